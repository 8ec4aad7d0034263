#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace contactd::domain {

// Current time as unix seconds (UTC).
std::int64_t NowSeconds();
// Current time as unix milliseconds (UTC).
std::int64_t NowMilliseconds();

// Formats unix seconds as ISO 8601 UTC with second precision: "2026-03-20T15:30:45Z".
std::string FormatTimestamp(std::int64_t unix_seconds);
// The same with milliseconds: 2024-03-01T12:00:00.250Z.
std::string FormatTimestampMs(std::int64_t unix_ms);

// Parses an ISO 8601 date or date-time into unix seconds: "2020-01-01" (midnight UTC),
// "2020-01-01T09:15:00Z", "2020-01-01T09:15:00.250Z" (fraction dropped),
// "2020-01-01T09:15:00-07:00", "2020-01-01T09:15:00 05:00" (a '+' decoded as a space).
// Returns nullopt for anything else or an impossible date.
std::optional<std::int64_t> ParseTimestamp(std::string_view text);

// Parses a calendar date in one of the six formats seed 004 accepts for dates of birth:
// YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, MM-DD-YYYY, MM/DD/YYYY, MM.DD.YYYY, and the two more
// HighLevel's published API takes, YYYY_MM_DD and MM_DD_YYYY (one separator throughout; month
// and day may have one digit). Returns it as ISO "YYYY-MM-DD", or nullopt for
// anything else, an impossible date or a year before 0001.
std::optional<std::string> ParseDate(std::string_view text);

}  // namespace contactd::domain

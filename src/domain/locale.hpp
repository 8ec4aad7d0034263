#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace contactd::domain {

// Returns the ISO 3166-1 alpha-2 code of `code` in upper case ("us" -> "US") when it is one of
// the current codes ICU knows, nullopt otherwise.
std::optional<std::string> IsoCountry(std::string_view code);

// Returns whether `name` is a zone or link of the system's IANA time zone database (tzdata's
// tzdata.zi, under $TZDIR or /usr/share/zoneinfo): "America/Chicago", "UTC", "US/Eastern".
// Names compare exactly, as the database spells them. Read once; thread-safe.
bool IsIanaTimeZone(std::string_view name);

}  // namespace contactd::domain

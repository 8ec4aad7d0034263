#include "domain/time.hpp"

#include <chrono>

#include <fmt/format.h>

namespace contactd::domain {
namespace {

// Reads exactly `width` decimal digits at `pos`.
std::optional<int> Digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// Reads 1 or 2 decimal digits at `pos`, advancing it.
std::optional<int> OneOrTwoDigits(std::string_view text, std::size_t& pos) {
  std::size_t start = pos;
  int value = 0;
  while (pos < text.size() && pos - start < 2 && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + (text[pos++] - '0');
  }
  if (pos == start) return std::nullopt;
  return value;
}

}  // namespace

std::int64_t NowSeconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t NowMilliseconds() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string FormatTimestamp(std::int64_t unix_seconds) {
  using namespace std::chrono;
  sys_seconds tp{seconds{unix_seconds}};
  sys_days day = floor<days>(tp);
  year_month_day ymd{day};
  hh_mm_ss hms{tp - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::string FormatTimestampMs(std::int64_t unix_ms) {
  std::int64_t seconds = unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000;
  std::string text = FormatTimestamp(seconds);
  text.insert(text.size() - 1, fmt::format(".{:03}", unix_ms - seconds * 1000));
  return text;
}

std::optional<std::int64_t> ParseTimestamp(std::string_view text) {
  using namespace std::chrono;
  auto y = Digits(text, 0, 4);
  auto mo = Digits(text, 5, 2);
  auto d = Digits(text, 8, 2);
  if (!y || !mo || !d || text[4] != '-' || text[7] != '-') return std::nullopt;
  year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  std::int64_t seconds_of_day = 0;
  std::int64_t offset = 0;
  std::size_t pos = 10;
  if (text.size() > pos) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
    auto h = Digits(text, pos + 1, 2);
    auto mi = Digits(text, pos + 4, 2);
    auto s = Digits(text, pos + 7, 2);
    if (!h || !mi || !s || text[pos + 3] != ':' || text[pos + 6] != ':') return std::nullopt;
    if (*h > 23 || *mi > 59 || *s > 59) return std::nullopt;
    seconds_of_day = *h * 3600 + *mi * 60 + *s;
    pos += 9;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      std::size_t start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (pos == start) return std::nullopt;
    }
    if (pos == text.size()) return std::nullopt;  // a time needs a zone: Z or an offset
    if (text[pos] == 'Z' || text[pos] == 'z') {
      ++pos;
    } else if (text[pos] == '+' || text[pos] == '-' || text[pos] == ' ') {
      // A space where the sign belongs is a '+' that a query string decoded as a space
      // (clients send "+05:00" unencoded).
      auto oh = Digits(text, pos + 1, 2);
      auto om = Digits(text, pos + 4, 2);
      if (!oh || !om || text[pos + 3] != ':' || *oh > 23 || *om > 59) return std::nullopt;
      offset = (*oh * 3600 + *om * 60) * (text[pos] == '-' ? -1 : 1);
      pos += 6;
    } else {
      return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;
  }
  std::int64_t day_seconds = sys_days{ymd}.time_since_epoch().count() * std::int64_t{86400};
  return day_seconds + seconds_of_day - offset;
}

std::optional<std::string> ParseDate(std::string_view text) {
  using namespace std::chrono;
  if (text.size() < 8 || text.size() > 10) return std::nullopt;
  int y = 0;
  int mo = 0;
  int d = 0;
  std::size_t pos = 0;
  char separator = 0;
  if (auto year4 = Digits(text, 0, 4);
      year4 && text.size() > 4 && !(text[4] >= '0' && text[4] <= '9')) {
    // Year first: YYYY?MM?DD.
    separator = text[4];
    pos = 5;
    auto month = OneOrTwoDigits(text, pos);
    if (!month || pos >= text.size() || text[pos] != separator) return std::nullopt;
    ++pos;
    auto day = OneOrTwoDigits(text, pos);
    if (!day || pos != text.size()) return std::nullopt;
    y = *year4;
    mo = *month;
    d = *day;
  } else {
    // Month first: MM?DD?YYYY.
    auto month = OneOrTwoDigits(text, pos);
    if (!month || pos >= text.size()) return std::nullopt;
    separator = text[pos++];
    auto day = OneOrTwoDigits(text, pos);
    if (!day || pos >= text.size() || text[pos] != separator) return std::nullopt;
    auto year_last = Digits(text, pos + 1, 4);
    if (!year_last || pos + 5 != text.size()) return std::nullopt;
    y = *year_last;
    mo = *month;
    d = *day;
  }
  if (separator != '-' && separator != '/' && separator != '.' && separator != '_') {
    return std::nullopt;
  }
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (y < 1 || !ymd.ok()) return std::nullopt;
  return fmt::format("{:04}-{:02}-{:02}", y, mo, d);
}

}  // namespace contactd::domain

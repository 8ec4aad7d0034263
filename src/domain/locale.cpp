#include "domain/locale.hpp"

#include <cstdlib>
#include <fstream>
#include <set>

#include <unicode/uloc.h>

namespace contactd::domain {
namespace {

std::set<std::string, std::less<>> LoadTimeZones() {
  const char* dir = std::getenv("TZDIR");
  std::string path = std::string(dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo") +
                     "/tzdata.zi";
  // tzdata.zi is the database in its compact text form: "Z <name> ..." declares a zone and
  // "L <target> <name>" a link (an alias such as US/Eastern).
  std::set<std::string, std::less<>> names;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() < 3 || line[1] != ' ' || (line[0] != 'Z' && line[0] != 'L')) continue;
    std::size_t start = 2;
    if (line[0] == 'L') {
      start = line.find(' ', 2);
      if (start == std::string::npos) continue;
      ++start;
    }
    std::size_t end = line.find(' ', start);
    names.insert(line.substr(start, end == std::string::npos ? std::string::npos : end - start));
  }
  return names;
}

}  // namespace

std::optional<std::string> IsoCountry(std::string_view code) {
  if (code.size() != 2) return std::nullopt;
  std::string upper;
  for (char c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return std::nullopt;
    upper += c;
  }
  // ICU's list of current ISO 3166-1 alpha-2 codes (deprecated ones are excluded).
  for (const char* const* country = uloc_getISOCountries(); *country != nullptr; ++country) {
    if (upper == *country) return upper;
  }
  return std::nullopt;
}

bool IsIanaTimeZone(std::string_view name) {
  static const std::set<std::string, std::less<>> kZones = LoadTimeZones();
  return kZones.contains(name);
}

}  // namespace contactd::domain

#include "api/conditional.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

namespace contactd::api {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The versions an entity-tag list names; -1 for a tag that names none of ours. `weak` accepts
// W/"n" as n (If-None-Match compares weakly).
std::vector<std::int64_t> ListedVersions(std::string_view list, bool weak) {
  std::vector<std::int64_t> versions;
  // Bounded: a header is at most 16 KiB, and each tag takes at least three bytes.
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view tag = Trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (tag.empty()) continue;
    bool is_weak = tag.starts_with("W/");
    if (is_weak) tag.remove_prefix(2);
    std::int64_t version = -1;
    if ((!is_weak || weak) && tag.size() >= 3 && tag.front() == '"' && tag.back() == '"') {
      std::string_view digits = tag.substr(1, tag.size() - 2);
      std::int64_t parsed = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed);
      if (ec == std::errc() && end == digits.data() + digits.size() && parsed > 0) {
        version = parsed;
      }
    }
    versions.push_back(version);
  }
  return versions;
}

}  // namespace

std::string EntityTag(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

bool NoneMatch(std::string_view if_none_match, std::int64_t version) {
  if (Trim(if_none_match) == "*") return true;
  auto versions = ListedVersions(if_none_match, /*weak=*/true);
  return std::ranges::find(versions, version) != versions.end();
}

http::Response NotModified(std::int64_t version) {
  http::Response response;
  response.status = 304;
  response.headers.emplace_back("ETag", EntityTag(version));
  return response;
}

void ApplyIfMatch(std::string_view if_match, domain::VersionCheck& expected) {
  if_match = Trim(if_match);
  if (if_match.empty() || if_match == "*") return;
  std::vector<std::int64_t> allowed = ListedVersions(if_match, /*weak=*/false);
  if (allowed.empty()) allowed.push_back(-1);
  if (expected.any_of.empty()) {
    expected.any_of = std::move(allowed);
    return;
  }
  std::erase_if(expected.any_of, [&](std::int64_t version) {
    return std::ranges::find(allowed, version) == allowed.end();
  });
  if (expected.any_of.empty()) expected.any_of.push_back(-1);  // no version satisfies both
}

void ReadVersion(ObjectReader& reader, domain::VersionCheck& expected) {
  domain::Input<std::int64_t> version = reader.Integer("version");
  if (!version.present) return;
  if (!version.value || *version.value < 1) {
    reader.errors().Add(reader.Path("version"), "version must be a positive integer");
    return;
  }
  expected.any_of = {*version.value};
}

}  // namespace contactd::api

#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"

namespace contactd::domain {

// The versions of a resource a change may apply to (If-Match, or `version` in a native body), so
// that two clients never overwrite each other's changes unseen. Empty: any version.
struct VersionCheck {
  std::vector<std::int64_t> any_of;

  // kPreconditionFailed unless `current` is one of them; checked inside the write.
  Result<void> Check(std::int64_t current, std::string_view what) const {
    if (any_of.empty() || std::ranges::find(any_of, current) != any_of.end()) return {};
    return std::unexpected(Error::PreconditionFailed(
        "The " + std::string(what) + " changed: it is at version " + std::to_string(current) +
        ", not the one this request was made for"));
  }
};

}  // namespace contactd::domain

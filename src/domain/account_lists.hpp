#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/access.hpp"
#include "domain/contact.hpp"
#include "domain/error.hpp"

namespace contactd::store {
class Store;
}

namespace contactd::domain {

// The per-account lists contacts point into (seed 002): where contacts come from, and how hot
// they are. Small by design, so that a whole list is one read.
inline constexpr std::size_t kMaxSourcesPerAccount = 200;
inline constexpr std::size_t kMaxHotnessLevelsPerAccount = 50;

// A source of the account's list. A contact's `source` text names it (compared
// case-insensitively); its source_id is the source's id.
struct Source {
  std::int64_t id = 0;
  AccountId account;
  std::string name;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// A hotness level with its account and times (the contact carries the HotnessLevel part).
struct StoredHotnessLevel {
  HotnessLevel level;
  AccountId account;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// The body of POST and PATCH /sources and /hotness-levels (sources take only a name).
struct ListItemInput {
  Input<std::string> name;
  Input<std::int64_t> rank;
  Input<std::string> color;
  FieldErrors errors;
};

// Changes to an item: only the engaged members change.
struct ListItemChanges {
  std::optional<std::string> name;
  std::optional<std::int64_t> rank;
  std::optional<std::optional<std::string>> color;
  std::int64_t now = 0;
};

// Whether `color` is a CSS hex color #rrggbb (any case); returns it in lower case.
std::optional<std::string> HexColor(std::string_view color);

// The account's sources and hotness levels: everyone reads them, admins change them.
class AccountListService {
 public:
  explicit AccountListService(store::Store& store) : store_(store) {}

  Result<std::vector<Source>> ListSources(const Principal& principal);
  // name required, unique in the account (case-insensitively: kConflict).
  Result<Source> CreateSource(const Principal& principal, ListItemInput input);
  // Renaming a source renames it on its contacts (their source text).
  Result<Source> UpdateSource(const Principal& principal, std::int64_t id, ListItemInput input);
  // Its contacts keep their source text and lose the id.
  Result<void> DeleteSource(const Principal& principal, std::int64_t id);

  // By rank, then id.
  Result<std::vector<StoredHotnessLevel>> ListHotnessLevels(const Principal& principal);
  // name required and unique (kConflict); rank an integer (default 0); color #rrggbb or null.
  Result<StoredHotnessLevel> CreateHotnessLevel(const Principal& principal, ListItemInput input);
  // Contacts at the level show it as changed.
  Result<StoredHotnessLevel> UpdateHotnessLevel(const Principal& principal, std::int64_t id,
                                                ListItemInput input);
  // Its contacts have no hotness afterwards.
  Result<void> DeleteHotnessLevel(const Principal& principal, std::int64_t id);

 private:
  store::Store& store_;
};

}  // namespace contactd::domain

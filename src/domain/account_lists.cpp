#include "domain/account_lists.hpp"

#include <algorithm>
#include <cctype>

#include "domain/time.hpp"
#include "domain/validation.hpp"
#include "store/store.hpp"

namespace contactd::domain {
namespace {

Result<void> RequireAdmin(const Principal& principal, std::string_view what) {
  if (Allows(principal.role, Permission::kDelete)) return {};
  return std::unexpected(Error::Forbidden("Only admins may change " + std::string(what)));
}

std::optional<std::string> ValidName(const Input<std::string>& input, FieldErrors& errors) {
  if (!input.value) {
    errors.Add("name", "name is required");
    return std::nullopt;
  }
  std::string name = CleanText("name", *input.value, errors);
  if (name.empty() && !errors.Has("name")) errors.Add("name", "name must not be empty");
  return name;
}

// Reads the members sent into changes; `levels` says whether rank and color exist.
ListItemChanges ValidChanges(const ListItemInput& input, bool levels, FieldErrors& errors) {
  ListItemChanges changes;
  if (input.name.present) changes.name = ValidName(input.name, errors);
  if (!levels) {
    if (input.rank.present) errors.Add("rank", "sources have no rank");
    if (input.color.present) errors.Add("color", "sources have no color");
    return changes;
  }
  if (input.rank.present) {
    if (!input.rank.value) errors.Add("rank", "rank must be an integer");
    changes.rank = input.rank.value;
  }
  if (input.color.present) {
    if (!input.color.value) {
      changes.color = std::optional<std::string>();
    } else if (auto color = HexColor(*input.color.value)) {
      changes.color = std::move(color);
    } else {
      errors.Add("color", "color must be a hex color such as #3b274c");
    }
  }
  return changes;
}

template <class T>
Result<T> Found(Result<std::optional<T>> result, std::string_view what) {
  if (!result) return std::unexpected(result.error());
  if (!*result) return std::unexpected(Error::NotFound(std::string(what) + " not found"));
  return std::move(**result);
}

Result<void> Deleted(Result<bool> result, std::string_view what) {
  if (!result) return std::unexpected(result.error());
  if (!*result) return std::unexpected(Error::NotFound(std::string(what) + " not found"));
  return {};
}

}  // namespace

std::optional<std::string> HexColor(std::string_view color) {
  if (color.size() != 7 || color.front() != '#') return std::nullopt;
  std::string lower(color);
  for (std::size_t i = 1; i < lower.size(); ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(lower[i]))) return std::nullopt;
    lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(lower[i])));
  }
  return lower;
}

Result<std::vector<Source>> AccountListService::ListSources(const Principal& principal) {
  if (auto allowed = Authorize(principal, Permission::kRead, "source"); !allowed) {
    return std::unexpected(allowed.error());
  }
  return store_.ListSources(principal.account);
}

Result<Source> AccountListService::CreateSource(const Principal& principal, ListItemInput input) {
  if (auto allowed = RequireAdmin(principal, "sources"); !allowed) {
    return std::unexpected(allowed.error());
  }
  FieldErrors errors = std::move(input.errors);
  ListItemChanges item = ValidChanges(input, /*levels=*/false, errors);
  if (!input.name.present) errors.Add("name", "name is required");
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  Source source;
  source.account = principal.account;
  source.name = std::move(*item.name);
  source.created_at = source.updated_at = NowSeconds();
  return store_.CreateSource(source, kMaxSourcesPerAccount);
}

Result<Source> AccountListService::UpdateSource(const Principal& principal, std::int64_t id,
                                                ListItemInput input) {
  if (auto allowed = RequireAdmin(principal, "sources"); !allowed) {
    return std::unexpected(allowed.error());
  }
  FieldErrors errors = std::move(input.errors);
  ListItemChanges changes = ValidChanges(input, /*levels=*/false, errors);
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  changes.now = NowSeconds();
  return Found(store_.UpdateSource(principal.account, id, changes), "Source");
}

Result<void> AccountListService::DeleteSource(const Principal& principal, std::int64_t id) {
  if (auto allowed = RequireAdmin(principal, "sources"); !allowed) {
    return std::unexpected(allowed.error());
  }
  return Deleted(store_.DeleteSource(principal.account, id, NowSeconds()), "Source");
}

Result<std::vector<StoredHotnessLevel>> AccountListService::ListHotnessLevels(
    const Principal& principal) {
  if (auto allowed = Authorize(principal, Permission::kRead, "hotness level"); !allowed) {
    return std::unexpected(allowed.error());
  }
  return store_.ListHotnessLevels(principal.account);
}

Result<StoredHotnessLevel> AccountListService::CreateHotnessLevel(const Principal& principal,
                                                                  ListItemInput input) {
  if (auto allowed = RequireAdmin(principal, "hotness levels"); !allowed) {
    return std::unexpected(allowed.error());
  }
  FieldErrors errors = std::move(input.errors);
  ListItemChanges item = ValidChanges(input, /*levels=*/true, errors);
  if (!input.name.present) errors.Add("name", "name is required");
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  StoredHotnessLevel level;
  level.account = principal.account;
  level.level.name = std::move(*item.name);
  level.level.rank = item.rank.value_or(0);
  if (item.color) level.level.color = std::move(*item.color);
  level.created_at = level.updated_at = NowSeconds();
  return store_.CreateHotnessLevel(level, kMaxHotnessLevelsPerAccount);
}

Result<StoredHotnessLevel> AccountListService::UpdateHotnessLevel(const Principal& principal,
                                                                  std::int64_t id,
                                                                  ListItemInput input) {
  if (auto allowed = RequireAdmin(principal, "hotness levels"); !allowed) {
    return std::unexpected(allowed.error());
  }
  FieldErrors errors = std::move(input.errors);
  ListItemChanges changes = ValidChanges(input, /*levels=*/true, errors);
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  changes.now = NowSeconds();
  return Found(store_.UpdateHotnessLevel(principal.account, id, changes), "Hotness level");
}

Result<void> AccountListService::DeleteHotnessLevel(const Principal& principal, std::int64_t id) {
  if (auto allowed = RequireAdmin(principal, "hotness levels"); !allowed) {
    return std::unexpected(allowed.error());
  }
  return Deleted(store_.DeleteHotnessLevel(principal.account, id, NowSeconds()),
                 "Hotness level");
}

}  // namespace contactd::domain

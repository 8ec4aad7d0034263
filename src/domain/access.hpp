#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "domain/ids.hpp"
#include "domain/rate_limit.hpp"

namespace contactd::domain {

enum class Role { kAdmin, kEditor, kViewer };
enum class Permission { kRead, kCreate, kUpdate, kDelete };

// Which contacts of its account a user sees: every one (Lev's rule, the default), or only those
// it owns, is assigned or that were shared with it (LionDesk's rule). Admins always see every one.
enum class Visibility { kAccount, kOwn };

// What a token may do, as bits: a token with scopes may do only what they name, within its
// user's role. A write scope includes reading the same resources.
enum Scope : std::uint32_t {
  kContactsRead = 1u << 0,
  kContactsWrite = 1u << 1,
  kCompaniesRead = 1u << 2,
  kCompaniesWrite = 1u << 3,
  kSettingsRead = 1u << 4,
  kSettingsWrite = 1u << 5,
  kUsersRead = 1u << 6,
  kUsersWrite = 1u << 7,
};
// A token without scopes: its user's permissions, unnarrowed (scopes added later included).
inline constexpr std::uint32_t kAllScopes = ~std::uint32_t{0};
// `scopes` with the read scope of each write scope it holds (each read bit is just below its
// write bit).
constexpr std::uint32_t WithReads(std::uint32_t scopes) {
  constexpr std::uint32_t kWrites =
      kContactsWrite | kCompaniesWrite | kSettingsWrite | kUsersWrite;
  return scopes | ((scopes & kWrites) >> 1);
}

// The authenticated caller of a request: a user of one account with one role, through one token.
struct Principal {
  UserId user;
  AccountId account;
  Role role = Role::kViewer;
  Visibility visibility = Visibility::kAccount;
  TokenId token;
  std::uint32_t scopes = kAllScopes;
  RateOverride rates;  // the account's own request limits
  std::string account_uid;  // the account's public id (seed 003's organizationId)
};

// Which contacts a read or write may touch: the account's, and of them, when `user` is set, only
// those the user owns, is assigned or that were shared with it.
struct ContactScope {
  AccountId account;
  std::optional<UserId> user;
};
// The contacts the principal sees.
ContactScope ScopeOf(const Principal& principal);
// Every contact of the account (for what is not a user's request: imports, admin commands).
inline ContactScope WholeAccount(AccountId account) { return {account, std::nullopt}; }

// Returns whether the role grants the permission: admin all, editor all but delete, viewer read.
bool Allows(Role role, Permission permission);

// kForbidden unless the principal's role grants the permission ("User not authorized to <verb>
// <resource>") and its token's scopes cover it ("This token lacks the scope <name>", with
// ErrorReason::kTokenScope). The one
// check every use case and the pipeline (before a body is read) make. Resources are "contact",
// "company", "settings", "custom field", "source", "hotness level", "webhook", "user" and
// "token".
Result<void> Authorize(const Principal& principal, Permission permission,
                       std::string_view resource);

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
std::string_view VisibilityName(Visibility visibility);
std::optional<Visibility> ParseVisibility(std::string_view name);

// The scope names ("contacts.readonly", "contacts.write", "companies.*", "settings.*",
// "users.*"), in bit order.
std::optional<Scope> ParseScope(std::string_view name);
std::string_view ScopeName(Scope scope);
// The names of the bits of `scopes`, in bit order.
std::vector<std::string> ScopeNames(std::uint32_t scopes);

}  // namespace contactd::domain

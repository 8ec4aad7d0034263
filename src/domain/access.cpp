#include "domain/access.hpp"

#include <array>
#include <utility>

namespace contactd::domain {
namespace {

constexpr std::array<std::pair<Scope, std::string_view>, 8> kScopeNames{{
    {kContactsRead, "contacts.readonly"},
    {kContactsWrite, "contacts.write"},
    {kCompaniesRead, "companies.readonly"},
    {kCompaniesWrite, "companies.write"},
    {kSettingsRead, "settings.readonly"},
    {kSettingsWrite, "settings.write"},
    {kUsersRead, "users.readonly"},
    {kUsersWrite, "users.write"},
}};

// The read and write scopes that cover a resource; none for a resource no scope names (a
// scoped token may not touch it).
std::pair<std::uint32_t, std::uint32_t> ScopesOf(std::string_view resource) {
  if (resource == "contact") return {kContactsRead, kContactsWrite};
  if (resource == "company") return {kCompaniesRead, kCompaniesWrite};
  if (resource == "settings" || resource == "custom field" || resource == "source" ||
      resource == "hotness level" || resource == "webhook") {
    return {kSettingsRead, kSettingsWrite};
  }
  if (resource == "user" || resource == "token") return {kUsersRead, kUsersWrite};
  return {0, 0};
}

}  // namespace

ContactScope ScopeOf(const Principal& principal) {
  if (principal.visibility == Visibility::kOwn && principal.role != Role::kAdmin) {
    return {principal.account, principal.user};
  }
  return {principal.account, std::nullopt};
}

bool Allows(Role role, Permission permission) {
  switch (role) {
    case Role::kAdmin:
      return true;
    case Role::kEditor:
      return permission != Permission::kDelete;
    case Role::kViewer:
      return permission == Permission::kRead;
  }
  return false;
}

Result<void> Authorize(const Principal& principal, Permission permission,
                       std::string_view resource) {
  std::string_view verb = "read";
  switch (permission) {
    case Permission::kRead:
      break;
    case Permission::kCreate:
      verb = "create";
      break;
    case Permission::kUpdate:
      verb = "update";
      break;
    case Permission::kDelete:
      verb = "delete";
      break;
  }
  if (!Allows(principal.role, permission)) {
    return std::unexpected(Error::Forbidden("User not authorized to " + std::string(verb) + " " +
                                            std::string(resource)));
  }
  if (principal.scopes == kAllScopes) return {};
  auto [read, write] = ScopesOf(resource);
  bool reading = permission == Permission::kRead;
  std::uint32_t covering = reading ? (read | write) : write;
  if ((principal.scopes & covering) != 0) return {};
  Error refused = Error::Forbidden(
      covering == 0 ? "This token's scopes do not cover " + std::string(resource)
                    : "This token lacks the scope " +
                          std::string(ScopeName(static_cast<Scope>(reading ? read : write))));
  refused.reason = ErrorReason::kTokenScope;
  return std::unexpected(std::move(refused));
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kEditor:
      return "editor";
    case Role::kViewer:
      return "viewer";
  }
  return "viewer";
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "editor") return Role::kEditor;
  if (name == "viewer") return Role::kViewer;
  return std::nullopt;
}

std::string_view VisibilityName(Visibility visibility) {
  return visibility == Visibility::kOwn ? "own" : "account";
}

std::optional<Visibility> ParseVisibility(std::string_view name) {
  if (name == "account") return Visibility::kAccount;
  if (name == "own") return Visibility::kOwn;
  return std::nullopt;
}

std::optional<Scope> ParseScope(std::string_view name) {
  for (const auto& [scope, scope_name] : kScopeNames) {
    if (scope_name == name) return scope;
  }
  return std::nullopt;
}

std::string_view ScopeName(Scope scope) {
  for (const auto& [bit, name] : kScopeNames) {
    if (bit == scope) return name;
  }
  return "";
}

std::vector<std::string> ScopeNames(std::uint32_t scopes) {
  std::vector<std::string> names;
  for (const auto& [bit, name] : kScopeNames) {
    if ((scopes & bit) != 0) names.emplace_back(name);
  }
  return names;
}

}  // namespace contactd::domain

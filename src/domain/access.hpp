#pragma once

#include <optional>
#include <string_view>

#include "domain/error.hpp"
#include "domain/ids.hpp"

namespace contactd::domain {

enum class Role { kAdmin, kEditor, kViewer };
enum class Permission { kRead, kCreate, kUpdate, kDelete };

// The authenticated caller of a request: a user of one account with one role.
struct Principal {
  UserId user;
  AccountId account;
  Role role = Role::kViewer;
};

// Returns whether the role grants the permission: admin all, editor all but delete, viewer read.
bool Allows(Role role, Permission permission);

// kForbidden "User not authorized to <verb> <resource>" unless the principal's role grants the
// permission. The one check every use case and the pipeline (before a body is read) make.
Result<void> Authorize(const Principal& principal, Permission permission,
                       std::string_view resource);

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

}  // namespace contactd::domain

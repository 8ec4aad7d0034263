#include "domain/access.hpp"

namespace contactd::domain {

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
  if (Allows(principal.role, permission)) return {};
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
  return std::unexpected(Error::Forbidden("User not authorized to " + std::string(verb) + " " +
                                          std::string(resource)));
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

}  // namespace contactd::domain

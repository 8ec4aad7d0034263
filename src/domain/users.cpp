#include "domain/users.hpp"

#include <algorithm>

#include "domain/crypto.hpp"
#include "domain/query.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"
#include "store/store.hpp"

namespace contactd::domain {
namespace {

Result<void> RequireAdmin(const Principal& principal, Permission permission,
                          std::string_view resource, std::string_view what) {
  if (auto allowed = Authorize(principal, permission, resource); !allowed) return allowed;
  if (principal.role == Role::kAdmin) return {};
  return std::unexpected(Error::Forbidden("Only admins may " + std::string(what)));
}

// A name or email member: text of at most 255 characters (an email a plausible address), or
// null / empty for none.
std::optional<std::string> OptionalText(const Input<std::string>& input, std::string_view field,
                                        FieldErrors& errors) {
  if (!input.value) return std::nullopt;
  std::string name(field);
  std::string text = CleanText(name, *input.value, errors);
  if (errors.Has(name) || text.empty()) return std::nullopt;
  if (field == "email") {
    if (Utf8Length(text) > kMaxEmailLength || !IsPlausibleEmail(text)) {
      errors.Add(name, "email must be a valid email address");
      return std::nullopt;
    }
  }
  return text;
}

std::optional<Role> SentRole(const Input<std::string>& input, FieldErrors& errors) {
  std::optional<Role> role;
  if (input.value) role = ParseRole(*input.value);
  if (!role) errors.Add("role", "role must be admin, editor or viewer");
  return role;
}

std::optional<Visibility> SentVisibility(const Input<std::string>& input, FieldErrors& errors) {
  std::optional<Visibility> visibility;
  if (input.value) visibility = ParseVisibility(*input.value);
  if (!visibility) errors.Add("visibility", "visibility must be account or own");
  return visibility;
}

void RefuseOwnForAdmin(Role role, Visibility visibility, FieldErrors& errors) {
  if (role == Role::kAdmin && visibility == Visibility::kOwn && !errors.Has("visibility")) {
    errors.Add("visibility", "an admin sees every contact of the account: its visibility is "
                             "account");
  }
}

// Higher is more: a user's own change may not raise its rank.
int RoleRank(Role role) {
  switch (role) {
    case Role::kAdmin:
      return 2;
    case Role::kEditor:
      return 1;
    case Role::kViewer:
      return 0;
  }
  return 0;
}

}  // namespace

Result<Me> UserService::GetMe(const Principal& principal) {
  auto user = store_.FindUser(principal.account, principal.user);
  if (!user) return std::unexpected(user.error());
  auto account = store_.FindAccount(principal.account);
  if (!account) return std::unexpected(account.error());
  // A revoked token or a deleted account between authentication and here: as if never valid.
  if (!*user || !*account) return std::unexpected(Error::Unauthorized());
  Me me{std::move(**user), (*account)->uid, (*account)->name, std::nullopt};
  if (principal.token.value == 0) return me;  // a JWT: no token of contactd's
  auto token = store_.FindToken(principal.token);
  if (!token) return std::unexpected(token.error());
  if (!*token) return std::unexpected(Error::Unauthorized());
  me.token = std::move(**token);
  return me;
}

Result<store::Page<User>> UserService::List(const Principal& principal, const ListQuery& query) {
  if (auto allowed = Authorize(principal, Permission::kRead, "user"); !allowed) {
    return std::unexpected(allowed.error());
  }
  return store_.ListUsers(principal.account, query);
}

Result<User> UserService::Create(const Principal& principal, UserInput input) {
  if (auto allowed = RequireAdmin(principal, Permission::kCreate, "user", "create users");
      !allowed) {
    return std::unexpected(allowed.error());
  }
  return CreateIn(principal.account, std::move(input));
}

Result<User> UserService::CreateUserFor(AccountId account, UserInput input) {
  auto found = store_.FindAccount(account);
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::unexpected(Error::NotFound("Account not found"));
  return CreateIn(account, std::move(input));
}

Result<User> UserService::CreateIn(AccountId account, UserInput input) {
  FieldErrors errors = std::move(input.errors);
  User user;
  user.account = account;
  user.name = OptionalText(input.name, "name", errors);
  user.email = OptionalText(input.email, "email", errors);
  if (!input.role.present) {
    errors.Add("role", "role is required");
  } else if (auto role = SentRole(input.role, errors)) {
    user.role = *role;
  }
  if (input.visibility.present) {
    if (auto visibility = SentVisibility(input.visibility, errors)) user.visibility = *visibility;
  }
  RefuseOwnForAdmin(user.role, user.visibility, errors);
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  user.created_at = user.updated_at = NowSeconds();
  return store_.CreateUser(user, kMaxUsersPerAccount);
}

Result<User> UserService::Update(const Principal& principal, UserId id, UserInput input) {
  if (auto allowed = Authorize(principal, Permission::kUpdate, "user"); !allowed) {
    return std::unexpected(allowed.error());
  }
  bool self = id == principal.user;
  bool admin = principal.role == Role::kAdmin;
  if (!admin && !self) return std::unexpected(Error::Forbidden("Only admins may change users"));
  FieldErrors errors = std::move(input.errors);
  UserChanges changes;
  if (input.name.present) changes.name = OptionalText(input.name, "name", errors);
  if (input.email.present) changes.email = OptionalText(input.email, "email", errors);
  if (input.role.present) changes.role = SentRole(input.role, errors);
  if (input.visibility.present) changes.visibility = SentVisibility(input.visibility, errors);
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  changes.now = NowSeconds();
  // The rules that depend on the stored user run on it, inside the write.
  auto check = [&](const User& current) -> Result<void> {
    Role role = changes.role.value_or(current.role);
    Visibility visibility = changes.visibility.value_or(current.visibility);
    if (self && RoleRank(role) > RoleRank(current.role)) {
      return std::unexpected(Error::Forbidden("A user cannot raise its own role"));
    }
    if (self && !admin && visibility == Visibility::kAccount &&
        current.visibility == Visibility::kOwn) {
      return std::unexpected(Error::Forbidden("A user cannot widen its own visibility"));
    }
    FieldErrors refused;
    RefuseOwnForAdmin(role, visibility, refused);
    if (!refused.empty()) return std::unexpected(Error::Validation(std::move(refused).Take()));
    return {};
  };
  auto updated = store_.UpdateUser(principal.account, id, changes, check);
  if (!updated) return std::unexpected(updated.error());
  if (!*updated) return std::unexpected(Error::NotFound("User not found"));
  return std::move(**updated);
}

Result<NewToken> UserService::CreateToken(const Principal& principal, UserId user,
                                          TokenInput input) {
  if (auto allowed = RequireAdmin(principal, Permission::kCreate, "token", "create tokens");
      !allowed) {
    return std::unexpected(allowed.error());
  }
  auto found = store_.FindUser(principal.account, user);
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::unexpected(Error::NotFound("User not found"));
  return IssueToken(**found, std::move(input), principal.scopes);
}

Result<NewToken> UserService::CreateTokenFor(UserId user, TokenInput input) {
  auto found = store_.FindUserById(user);
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::unexpected(Error::NotFound("User not found"));
  return IssueToken(**found, std::move(input), kAllScopes);
}

Result<NewToken> UserService::IssueToken(const User& user, TokenInput input,
                                         std::uint32_t within) {
  FieldErrors errors = std::move(input.errors);
  Token token;
  token.user = user.id;
  token.account = user.account;
  if (input.scopes.present) {
    if (!input.scopes.value) {
      errors.Add("scopes", "scopes must be an array of scope names");
    } else {
      std::uint32_t bits = 0;
      for (std::size_t i = 0; i < input.scopes.value->size(); ++i) {
        const std::string& name = (*input.scopes.value)[i];
        auto scope = ParseScope(name);
        if (!scope) {
          std::string path = "scopes[" + std::to_string(i) + "]";
          errors.Add(path, path + " must be one of contacts.readonly, contacts.write, "
                                  "companies.readonly, companies.write, settings.readonly, "
                                  "settings.write, users.readonly, users.write");
        } else {
          bits |= *scope;
        }
      }
      if (input.scopes.value->empty()) {
        errors.Add("scopes", "scopes must name at least one scope; leave it out for a token "
                             "with all of its user's permissions");
      }
      token.scopes = ScopeNames(bits);
    }
  }
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  // A narrowed token makes no token wider than itself (no scopes at all would be every one).
  if (within != kAllScopes) {
    std::uint32_t asked = kAllScopes;
    if (!token.scopes.empty()) {
      asked = 0;
      for (const std::string& name : token.scopes) asked |= *ParseScope(name);
    }
    if ((asked & ~WithReads(within)) != 0) {
      return std::unexpected(
          Error::Forbidden("A token cannot create a token with scopes it does not have"));
    }
  }
  token.created_at = NowSeconds();
  std::string secret = NewApiToken();
  auto created = store_.CreateToken(token, Sha256Hex(secret), kMaxTokensPerUser);
  if (!created) return std::unexpected(created.error());
  return NewToken{std::move(*created), std::move(secret)};
}

Result<std::vector<Token>> UserService::ListTokens(const Principal& principal, UserId user) {
  if (auto allowed = RequireAdmin(principal, Permission::kRead, "token", "list tokens");
      !allowed) {
    return std::unexpected(allowed.error());
  }
  auto found = store_.FindUser(principal.account, user);
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::unexpected(Error::NotFound("User not found"));
  return store_.ListTokens(principal.account, user);
}

Result<std::vector<User>> UserService::ListUsersOf(AccountId account) {
  auto found = store_.FindAccount(account);
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::unexpected(Error::NotFound("Account not found"));
  ListQuery query;
  query.limit = static_cast<int>(kMaxUsersPerAccount);
  auto page = store_.ListUsers(account, query);
  if (!page) return std::unexpected(page.error());
  return std::move(page->items);
}

Result<std::vector<Token>> UserService::ListTokensOf(UserId user) {
  auto found = store_.FindUserById(user);
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::unexpected(Error::NotFound("User not found"));
  return store_.ListTokens((*found)->account, user);
}

Result<void> UserService::RevokeToken(const Principal& principal, TokenId id) {
  if (auto allowed = RequireAdmin(principal, Permission::kDelete, "token", "revoke tokens");
      !allowed) {
    return std::unexpected(allowed.error());
  }
  auto revoked = store_.RevokeToken(principal.account, id);
  if (!revoked) return std::unexpected(revoked.error());
  if (!*revoked) return std::unexpected(Error::NotFound("Token not found"));
  return {};
}

Result<void> UserService::RevokeTokenById(TokenId id) {
  auto token = store_.FindToken(id);
  if (!token) return std::unexpected(token.error());
  if (!*token) return std::unexpected(Error::NotFound("Token not found"));
  auto revoked = store_.RevokeToken((*token)->account, id);
  if (!revoked) return std::unexpected(revoked.error());
  if (!*revoked) return std::unexpected(Error::NotFound("Token not found"));
  return {};
}

}  // namespace contactd::domain

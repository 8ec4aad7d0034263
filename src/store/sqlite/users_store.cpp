// SqliteStore: users and their tokens.
#include <string>

#include "domain/access.hpp"
#include "domain/users.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/store_detail.hpp"

namespace contactd::store::sqlite {

using domain::AccountId;
using domain::Error;
using domain::Result;
using domain::TokenId;
using domain::UserId;

namespace {

#define CONTACTD_USER_COLUMNS \
  "id, account_id, name, email, role, visibility, created_at, updated_at"

constexpr const char* kInsertUser =
    "INSERT INTO users (account_id, name, email, role, visibility, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kSelectUser =
    "SELECT " CONTACTD_USER_COLUMNS " FROM users WHERE account_id = ? AND id = ?";
constexpr const char* kSelectUserById = "SELECT " CONTACTD_USER_COLUMNS " FROM users WHERE id = ?";
constexpr const char* kSelectUsers =
    "SELECT " CONTACTD_USER_COLUMNS " FROM users WHERE account_id = ? AND id > ? ORDER BY id "
    "LIMIT ? OFFSET ?";
constexpr const char* kCountUsers = "SELECT count(*) FROM users WHERE account_id = ?";
constexpr const char* kEmailTaken =
    "SELECT 1 FROM users WHERE account_id = ? AND email = ? COLLATE NOCASE AND id IS NOT ?";
constexpr const char* kCountAdmins =
    "SELECT count(*) FROM users WHERE account_id = ? AND role = 'admin'";
constexpr const char* kUpdateUser =
    "UPDATE users SET name = ?, email = ?, role = ?, visibility = ?, updated_at = ? "
    "WHERE account_id = ? AND id = ?";

#define CONTACTD_TOKEN_COLUMNS "t.id, t.user_id, u.account_id, t.scopes, t.created_at"
constexpr const char* kInsertToken =
    "INSERT INTO tokens (hash, user_id, scopes, created_at) VALUES (?, ?, ?, ?)";
constexpr const char* kCountTokens = "SELECT count(*) FROM tokens WHERE user_id = ?";
constexpr const char* kSelectTokens =
    "SELECT " CONTACTD_TOKEN_COLUMNS " FROM tokens t JOIN users u ON u.id = t.user_id "
    "WHERE u.account_id = ? AND t.user_id = ? ORDER BY t.id";
constexpr const char* kSelectToken =
    "SELECT " CONTACTD_TOKEN_COLUMNS " FROM tokens t JOIN users u ON u.id = t.user_id "
    "WHERE t.id = ?";
constexpr const char* kDeleteToken =
    "DELETE FROM tokens WHERE id = ? AND user_id IN (SELECT id FROM users WHERE account_id = ?)";
constexpr const char* kSelectPrincipal =
    "SELECT u.id, u.account_id, u.role, u.visibility, t.id, t.scopes, a.rate_limit, "
    "a.rate_burst, a.uid FROM tokens t JOIN users u ON u.id = t.user_id "
    "JOIN accounts a ON a.id = u.account_id WHERE t.hash = ?";

// The principal of a user a JWT names: no token id, every scope (NULL scopes).
constexpr const char* kSelectUserPrincipalById =
    "SELECT u.id, u.account_id, u.role, u.visibility, 0, NULL, a.rate_limit, a.rate_burst, a.uid "
    "FROM users u JOIN accounts a ON a.id = u.account_id WHERE a.uid = ? AND u.id = ?";
constexpr const char* kSelectUserPrincipalByEmail =
    "SELECT u.id, u.account_id, u.role, u.visibility, 0, NULL, a.rate_limit, a.rate_burst, a.uid "
    "FROM users u JOIN accounts a ON a.id = u.account_id "
    "WHERE a.uid = ? AND u.email = ? COLLATE NOCASE";

domain::User ReadUser(const Statement& row) {
  domain::User user;
  user.id = UserId{row.Int(0)};
  user.account = AccountId{row.Int(1)};
  user.name = row.OptionalText(2);
  user.email = row.OptionalText(3);
  auto role = domain::ParseRole(row.Text(4));
  auto visibility = domain::ParseVisibility(row.Text(5));
  if (!role || !visibility) throw SqliteError(0, "corrupt users row");
  user.role = *role;
  user.visibility = *visibility;
  user.created_at = row.Int(6);
  user.updated_at = row.Int(7);
  return user;
}

// Scopes are stored as their names, space-separated (as OAuth 2 writes them); NULL for none.
std::vector<std::string> SplitScopes(const std::optional<std::string>& text) {
  std::vector<std::string> scopes;
  if (!text) return scopes;
  std::size_t start = 0;
  while (start < text->size()) {
    std::size_t end = text->find(' ', start);
    if (end == std::string::npos) end = text->size();
    if (end > start) scopes.push_back(text->substr(start, end - start));
    start = end + 1;
  }
  return scopes;
}

std::optional<std::string> JoinScopes(const std::vector<std::string>& scopes) {
  if (scopes.empty()) return std::nullopt;
  std::string text;
  for (const std::string& scope : scopes) {
    if (!text.empty()) text += ' ';
    text += scope;
  }
  return text;
}

domain::Token ReadToken(const Statement& row) {
  domain::Token token;
  token.id = TokenId{row.Int(0)};
  token.user = UserId{row.Int(1)};
  token.account = AccountId{row.Int(2)};
  token.scopes = SplitScopes(row.OptionalText(3));
  token.created_at = row.Int(4);
  return token;
}

std::optional<domain::User> SelectUser(Connection& c, AccountId account, UserId id) {
  Statement stmt = c.Prepare(kSelectUser);
  stmt.Bind(1, account.value).Bind(2, id.value);
  if (!stmt.Step()) return std::nullopt;
  return ReadUser(stmt);
}

// Refuses the write when another user of the account (than `self`) has the email.
void CheckEmailFree(Connection& c, AccountId account, const std::optional<std::string>& email,
                    std::optional<UserId> self) {
  if (!email) return;
  Statement stmt = c.Prepare(kEmailTaken);
  stmt.Bind(1, account.value).Bind(2, *email);
  if (self) {
    stmt.Bind(3, self->value);
  } else {
    stmt.BindNull(3);
  }
  if (stmt.Step()) {
    throw RefusedWrite{Error{domain::ErrorCode::kConflict,
                             "Another user of this account has this email",
                             {{"email", "another user of this account has this email"}}}};
  }
}

std::int64_t CountOf(Connection& c, const char* sql, std::int64_t id) {
  Statement stmt = c.Prepare(sql);
  stmt.Bind(1, id);
  stmt.Step();
  return stmt.Int(0);
}

// A principal from kSelectPrincipal's columns.
Result<std::optional<domain::Principal>> ReadPrincipal(const Statement& stmt) {
  auto role = domain::ParseRole(stmt.Text(2));
  auto visibility = domain::ParseVisibility(stmt.Text(3));
  if (!role || !visibility) return std::unexpected(Error::Internal("corrupt users row"));
  domain::Principal principal{UserId{stmt.Int(0)}, AccountId{stmt.Int(1)}, *role, *visibility,
                              TokenId{stmt.Int(4)}, domain::kAllScopes, {}, stmt.Text(8)};
  principal.rates = ReadRateOverride(stmt, 6);
  if (!stmt.IsNull(5)) {
    // A name this build does not know grants nothing.
    principal.scopes = 0;
    for (const std::string& name : SplitScopes(stmt.OptionalText(5))) {
      if (auto scope = domain::ParseScope(name)) principal.scopes |= *scope;
    }
  }
  return principal;
}

}  // namespace

Result<domain::User> SqliteStore::CreateUser(const domain::User& user,
                                             std::size_t max_per_account) {
  return Write([&](Connection& c) -> Result<domain::User> {
    if (CountOf(c, kCountUsers, user.account.value) >=
        static_cast<std::int64_t>(max_per_account)) {
      return std::unexpected(Error::Validation(
          {{"user", "an account holds at most " + std::to_string(max_per_account) + " users"}}));
    }
    CheckEmailFree(c, user.account, user.email, std::nullopt);
    c.Prepare(kInsertUser)
        .Bind(1, user.account.value)
        .BindOptional(2, user.name)
        .BindOptional(3, user.email)
        .Bind(4, domain::RoleName(user.role))
        .Bind(5, domain::VisibilityName(user.visibility))
        .Bind(6, user.created_at)
        .Bind(7, user.updated_at)
        .Run();
    domain::User created = user;
    created.id = UserId{c.LastInsertId()};
    return created;
  });
}

Result<std::optional<domain::User>> SqliteStore::FindUser(AccountId account, UserId id) {
  return Run([&](Connection& c) -> Result<std::optional<domain::User>> {
    return SelectUser(c, account, id);
  });
}

Result<std::optional<domain::User>> SqliteStore::FindUserById(UserId id) {
  return Run([&](Connection& c) -> Result<std::optional<domain::User>> {
    Statement stmt = c.Prepare(kSelectUserById);
    stmt.Bind(1, id.value);
    if (!stmt.Step()) return std::nullopt;
    return ReadUser(stmt);
  });
}

Result<Page<domain::User>> SqliteStore::ListUsers(AccountId account,
                                                  const domain::ListQuery& query) {
  return Run([&](Connection& c) -> Result<Page<domain::User>> {
    Transaction transaction(c, Transaction::Mode::kRead);
    Page<domain::User> page;
    Statement stmt = c.Prepare(kSelectUsers);
    stmt.Bind(1, account.value)
        .Bind(2, query.after_id.value_or(0))
        .Bind(3, std::int64_t{query.limit} + 1)
        .Bind(4, query.offset);
    while (stmt.Step()) page.items.push_back(ReadUser(stmt));
    if (page.items.size() > static_cast<std::size_t>(query.limit)) {
      page.items.pop_back();
      page.has_more = true;
    }
    page.total = CountOf(c, kCountUsers, account.value);
    transaction.Commit();
    return page;
  });
}

Result<std::optional<domain::User>> SqliteStore::UpdateUser(AccountId account, UserId id,
                                                            const domain::UserChanges& changes,
                                                            const UserCheck& check) {
  return Write([&](Connection& c) -> Result<std::optional<domain::User>> {
    std::optional<domain::User> user = SelectUser(c, account, id);
    if (!user) return std::nullopt;
    if (auto allowed = check(*user); !allowed) return std::unexpected(allowed.error());
    if (changes.name) user->name = *changes.name;
    if (changes.email) {
      CheckEmailFree(c, account, *changes.email, id);
      user->email = *changes.email;
    }
    if (changes.role) user->role = *changes.role;
    if (changes.visibility) user->visibility = *changes.visibility;
    user->updated_at = changes.now;
    c.Prepare(kUpdateUser)
        .BindOptional(1, user->name)
        .BindOptional(2, user->email)
        .Bind(3, domain::RoleName(user->role))
        .Bind(4, domain::VisibilityName(user->visibility))
        .Bind(5, user->updated_at)
        .Bind(6, account.value)
        .Bind(7, id.value)
        .Run();
    if (CountOf(c, kCountAdmins, account.value) == 0) {
      return std::unexpected(Error::Validation(
          {{"role", "an account keeps at least one admin: this is its last one"}}));
    }
    return user;
  });
}

Result<domain::Token> SqliteStore::CreateToken(const domain::Token& token, std::string_view hash,
                                               std::size_t max_per_user) {
  return Write([&](Connection& c) -> Result<domain::Token> {
    if (CountOf(c, kCountTokens, token.user.value) >= static_cast<std::int64_t>(max_per_user)) {
      return std::unexpected(Error::Validation(
          {{"user_id", "a user holds at most " + std::to_string(max_per_user) +
                           " tokens; revoke one first"}}));
    }
    c.Prepare(kInsertToken)
        .Bind(1, hash)
        .Bind(2, token.user.value)
        .BindOptional(3, JoinScopes(token.scopes))
        .Bind(4, token.created_at)
        .Run();
    domain::Token created = token;
    created.id = TokenId{c.LastInsertId()};
    return created;
  });
}

Result<std::vector<domain::Token>> SqliteStore::ListTokens(AccountId account, UserId user) {
  return Run([&](Connection& c) -> Result<std::vector<domain::Token>> {
    Statement stmt = c.Prepare(kSelectTokens);
    stmt.Bind(1, account.value).Bind(2, user.value);
    std::vector<domain::Token> tokens;
    while (stmt.Step()) tokens.push_back(ReadToken(stmt));
    return tokens;
  });
}

Result<std::optional<domain::Token>> SqliteStore::FindToken(TokenId id) {
  return Run([&](Connection& c) -> Result<std::optional<domain::Token>> {
    Statement stmt = c.Prepare(kSelectToken);
    stmt.Bind(1, id.value);
    if (!stmt.Step()) return std::nullopt;
    return ReadToken(stmt);
  });
}

Result<bool> SqliteStore::RevokeToken(AccountId account, TokenId id) {
  return Write([&](Connection& c) -> Result<bool> {
    c.Prepare(kDeleteToken).Bind(1, id.value).Bind(2, account.value).Run();
    return c.Changes() > 0;
  });
}

Result<std::optional<domain::Principal>> SqliteStore::FindPrincipal(std::string_view token_hash) {
  return Run([&](Connection& c) -> Result<std::optional<domain::Principal>> {
    Statement stmt = c.Prepare(kSelectPrincipal);
    stmt.Bind(1, token_hash);
    if (!stmt.Step()) return std::nullopt;
    return ReadPrincipal(stmt);
  });
}

Result<std::optional<domain::Principal>> SqliteStore::FindUserPrincipal(
    std::string_view account_uid, std::string_view user) {
  return Run([&](Connection& c) -> Result<std::optional<domain::Principal>> {
    bool by_id = !user.empty() && user.size() < 19 &&
                 std::all_of(user.begin(), user.end(),
                             [](char ch) { return ch >= '0' && ch <= '9'; });
    Statement stmt = c.Prepare(by_id ? kSelectUserPrincipalById : kSelectUserPrincipalByEmail);
    stmt.Bind(1, std::string(account_uid));
    if (by_id) {
      stmt.Bind(2, static_cast<std::int64_t>(std::stoll(std::string(user))));
    } else {
      stmt.Bind(2, std::string(user));
    }
    if (!stmt.Step()) return std::nullopt;
    return ReadPrincipal(stmt);
  });
}

}  // namespace contactd::store::sqlite

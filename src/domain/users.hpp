#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/access.hpp"
#include "domain/contact.hpp"
#include "domain/error.hpp"
#include "domain/ids.hpp"

namespace contactd::store {
class Store;
template <class T>
struct Page;
}  // namespace contactd::store

namespace contactd::domain {

struct ListQuery;

// A person (or integration) acting in one account, through its tokens.
struct User {
  UserId id;
  AccountId account;
  std::optional<std::string> name;
  std::optional<std::string> email;
  Role role = Role::kViewer;
  Visibility visibility = Visibility::kAccount;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// A user's changes: only the engaged members change.
struct UserChanges {
  std::optional<std::optional<std::string>> name;
  std::optional<std::optional<std::string>> email;
  std::optional<Role> role;
  std::optional<Visibility> visibility;
  std::int64_t now = 0;
};

// A token as it may be shown: never its secret, which exists only in the answer that creates it.
struct Token {
  TokenId id;
  UserId user;
  AccountId account;
  std::vector<std::string> scopes;  // empty: the user's permissions, unnarrowed
  std::int64_t created_at = 0;
};

struct NewToken {
  Token token;
  std::string secret;
};

// The body of POST / PATCH /users.
struct UserInput {
  Input<std::string> name;
  Input<std::string> email;
  Input<std::string> role;
  Input<std::string> visibility;
  FieldErrors errors;
};

// The body of POST /users/{id}/tokens.
struct TokenInput {
  Input<std::vector<std::string>> scopes;
  FieldErrors errors;
};

// What /me shows: the caller, its account and the token it called with.
struct Me {
  User user;
  std::string account_uid;
  std::string account_name;
  std::optional<Token> token;  // none for a JWT's principal
};

// How many users an account holds and tokens a user holds at most.
inline constexpr std::size_t kMaxUsersPerAccount = 10000;
inline constexpr std::size_t kMaxTokensPerUser = 100;

// Users and their tokens. Everyone reads the account's users; admins create and change them and
// their tokens. Commands (contactd users / tokens) act as the account's operator, without a
// principal. Thread-safe if the store is.
class UserService {
 public:
  explicit UserService(store::Store& store) : store_(store) {}

  Result<Me> GetMe(const Principal& principal);
  // The account's users by id; limit, offset and after_id of `query`.
  Result<store::Page<User>> List(const Principal& principal, const ListQuery& query);
  // Admin only. role is required; visibility defaults to account (own is refused for an admin:
  // admins see every contact). kConflict when the email is another user's of the account.
  Result<User> Create(const Principal& principal, UserInput input);
  // Admins change any user of the account; other users (editors) only their own name and email,
  // or lower their own role or visibility: no user raises its own role or widens its own
  // visibility (kForbidden). An account keeps at least one admin.
  Result<User> Update(const Principal& principal, UserId id, UserInput input);
  // Admin only: a token of one of the account's users, with the scopes named (none: the user's
  // permissions), never more than the calling token's. Returns its secret, this once.
  Result<NewToken> CreateToken(const Principal& principal, UserId user, TokenInput input);
  // Admin only: the user's tokens, without secrets.
  Result<std::vector<Token>> ListTokens(const Principal& principal, UserId user);
  // Admin only: the token stops working at once (its next request is 401).
  Result<void> RevokeToken(const Principal& principal, TokenId id);

  // The operator's commands, for any account.
  Result<User> CreateUserFor(AccountId account, UserInput input);
  Result<std::vector<User>> ListUsersOf(AccountId account);
  Result<NewToken> CreateTokenFor(UserId user, TokenInput input);
  Result<std::vector<Token>> ListTokensOf(UserId user);
  Result<void> RevokeTokenById(TokenId id);

 private:
  Result<User> CreateIn(AccountId account, UserInput input);
  // A token of `user`; kForbidden when it would have a scope outside `within`.
  Result<NewToken> IssueToken(const User& user, TokenInput input, std::uint32_t within);

  store::Store& store_;
};

}  // namespace contactd::domain

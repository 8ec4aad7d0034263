#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace contactd::app {

// Returns whether the database file of an admin command exists; prints why not (naming the file)
// to stderr otherwise. Only `serve` and `accounts create --create-db` create a database.
bool DatabaseExists(const std::string& db_path);

// `contactd accounts create`: creates an account and prints it as one JSON line; creates the
// database first only when `create_db`. Returns the process exit code; messages go to stderr.
int CreateAccountCommand(const std::string& db_path, const std::string& name,
                         const std::optional<std::string>& uid, bool create_db);

// `contactd accounts update`: sets the account's own request limits ("1000/h", "unlimited" or
// "default"; an empty string leaves one as it is) and prints the account as one JSON line.
int UpdateAccountCommand(const std::string& db_path, std::int64_t account_id,
                         const std::string& rate_limit, const std::string& rate_burst);

// `contactd tokens create`: creates a user of `role` in the account and prints its token alone.
int CreateTokenCommand(const std::string& db_path, std::int64_t account_id,
                       const std::string& role);

struct UserOptions {
  std::int64_t account_id = 0;
  std::string role;
  std::string visibility;  // empty: account
  std::string name;
  std::string email;
};

// `contactd users create`: prints the new user as one JSON line.
int CreateUserCommand(const std::string& db_path, const UserOptions& options);
// `contactd users list`: one JSON line per user of the account, by id.
int ListUsersCommand(const std::string& db_path, std::int64_t account_id);
// `contactd tokens create --user`: prints {id, user_id, scopes, created_at, token} as one JSON
// line; the secret is never shown again.
int CreateUserTokenCommand(const std::string& db_path, std::int64_t user_id,
                           const std::vector<std::string>& scopes);
// `contactd tokens list`: one JSON line per token of the user, without secrets.
int ListTokensCommand(const std::string& db_path, std::int64_t user_id);
// `contactd tokens revoke`: the token's next request is refused.
int RevokeTokenCommand(const std::string& db_path, std::int64_t token_id);

}  // namespace contactd::app

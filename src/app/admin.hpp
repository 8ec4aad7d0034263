#pragma once

#include <cstdint>
#include <string>

namespace contactd::app {

// Returns whether the database file of an admin command exists; prints why not (naming the file)
// to stderr otherwise. Only `serve` and `accounts create --create-db` create a database.
bool DatabaseExists(const std::string& db_path);

// `contactd accounts create`: creates an account and prints it as one JSON line; creates the
// database first only when `create_db`. Returns the process exit code; messages go to stderr.
int CreateAccountCommand(const std::string& db_path, const std::string& name, bool create_db);

// `contactd tokens create`: creates a user of `role` in the account and prints its token alone.
int CreateTokenCommand(const std::string& db_path, std::int64_t account_id,
                       const std::string& role);

}  // namespace contactd::app

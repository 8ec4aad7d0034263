#pragma once

#include <cstdint>
#include <string>

namespace contactd::app {

// `contactd accounts create`: creates an account and prints it as one JSON line. Returns the
// process exit code; messages go to stderr.
int CreateAccountCommand(const std::string& db_path, const std::string& name);

// `contactd tokens create`: creates a user of `role` in the account and prints its token alone.
int CreateTokenCommand(const std::string& db_path, std::int64_t account_id,
                       const std::string& role);

}  // namespace contactd::app

#include "app/admin.hpp"

#include <cstdio>
#include <filesystem>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/core.h>

#include "domain/accounts.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace contactd::app {

bool DatabaseExists(const std::string& db_path) {
  std::error_code error;
  if (std::filesystem::is_regular_file(db_path, error)) return true;
  fmt::print(stderr,
             "contactd: the database {} does not exist; `contactd serve --db {}` creates it (or "
             "`contactd accounts create --create-db`)\n",
             db_path, db_path);
  return false;
}

int CreateAccountCommand(const std::string& db_path, const std::string& name, bool create_db) {
  if (!create_db && !DatabaseExists(db_path)) return 1;
  store::sqlite::SqliteStore store({.path = db_path, .create_if_missing = create_db});
  domain::AccountService accounts(store);
  auto account = accounts.CreateAccount(name);
  if (!account) {
    fmt::print(stderr, "contactd: cannot create account: {}\n", account.error().message);
    return 1;
  }
  boost::json::object line{{"id", account->id.value}, {"uid", account->uid}, {"name", account->name}};
  fmt::print("{}\n", boost::json::serialize(line));
  return 0;
}

int CreateTokenCommand(const std::string& db_path, std::int64_t account_id,
                       const std::string& role_name) {
  auto role = domain::ParseRole(role_name);
  if (!role) {
    fmt::print(stderr, "contactd: unknown role '{}'; use admin, editor or viewer\n", role_name);
    return 2;
  }
  if (!DatabaseExists(db_path)) return 1;
  store::sqlite::SqliteStore store({.path = db_path, .create_if_missing = false});
  domain::AccountService accounts(store);
  auto token = accounts.CreateToken(domain::AccountId{account_id}, *role);
  if (!token) {
    if (token.error().code == domain::ErrorCode::kNotFound) {
      fmt::print(stderr, "contactd: account {} does not exist\n", account_id);
    } else {
      fmt::print(stderr, "contactd: cannot create token: {}\n", token.error().message);
    }
    return 1;
  }
  fmt::print("{}\n", *token);
  return 0;
}

}  // namespace contactd::app

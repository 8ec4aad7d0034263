#include "app/admin.hpp"

#include <cstdio>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/core.h>

#include "domain/accounts.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace contactd::app {

int CreateAccountCommand(const std::string& db_path, const std::string& name) {
  store::sqlite::SqliteStore store({.path = db_path});
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
  store::sqlite::SqliteStore store({.path = db_path});
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

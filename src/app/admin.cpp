#include "app/admin.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <tuple>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/core.h>

#include "api/native/users_codec.hpp"
#include "domain/accounts.hpp"
#include "domain/users.hpp"
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

int CreateAccountCommand(const std::string& db_path, const std::string& name,
                         const std::optional<std::string>& uid, bool create_db) {
  if (!create_db && !DatabaseExists(db_path)) return 1;
  store::sqlite::SqliteStore store({.path = db_path, .create_if_missing = create_db});
  domain::AccountService accounts(store);
  auto account = accounts.CreateAccount(name, uid);
  if (!account) {
    fmt::print(stderr, "contactd: cannot create account: {}\n", account.error().message);
    return 1;
  }
  boost::json::object line{{"id", account->id.value}, {"uid", account->uid}, {"name", account->name}};
  fmt::print("{}\n", boost::json::serialize(line));
  return 0;
}

int UpdateAccountCommand(const std::string& db_path, std::int64_t account_id,
                         const std::string& rate_limit, const std::string& rate_burst) {
  std::optional<domain::RateSetting> sustained, burst;
  for (auto [flag, text, target] : {std::tuple{"--rate-limit", &rate_limit, &sustained},
                                    std::tuple{"--rate-burst", &rate_burst, &burst}}) {
    if (text->empty()) continue;
    auto parsed = domain::ParseRateSetting(*text);
    if (!parsed) {
      fmt::print(stderr, "contactd: {}: {} (or unlimited, default)\n", flag,
                 parsed.error().message);
      return 2;
    }
    *target = *parsed;
  }
  if (!DatabaseExists(db_path)) return 1;
  store::sqlite::SqliteStore store({.path = db_path, .create_if_missing = false});
  domain::AccountService accounts(store);
  auto account = accounts.SetRates(domain::AccountId{account_id}, sustained, burst);
  if (!account) {
    fmt::print(stderr, "contactd: cannot update account {}: {}\n", account_id,
               account.error().message);
    return 1;
  }
  auto shown = [](const domain::RateSetting& setting) -> boost::json::value {
    if (setting.kind == domain::RateSetting::Kind::kDefault) return nullptr;
    return boost::json::value(domain::FormatRateSetting(setting));
  };
  boost::json::object line{{"id", account->id.value},
                           {"uid", account->uid},
                           {"name", account->name},
                           {"rate_limit", shown(account->rates.sustained)},
                           {"rate_burst", shown(account->rates.burst)}};
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

namespace {

// Opens the existing database of an admin command; nullptr (after saying why) when it is missing.
std::unique_ptr<store::sqlite::SqliteStore> OpenStore(const std::string& db_path) {
  if (!DatabaseExists(db_path)) return nullptr;
  return std::make_unique<store::sqlite::SqliteStore>(
      store::sqlite::SqliteOptions{.path = db_path, .create_if_missing = false});
}

int Fail(std::string_view what, const domain::Error& error) {
  std::string message = error.message;
  for (const domain::FieldError& field : error.fields) {
    if (field.message != message) message += "; " + field.message;
  }
  fmt::print(stderr, "contactd: cannot {}: {}\n", what, message);
  return 1;
}

// One JSON line: the user as admins see it, with its account.
void PrintUser(const domain::User& user) {
  boost::json::object line = api::native::UserJson(user, /*full=*/true);
  line["account_id"] = user.account.value;
  fmt::print("{}\n", boost::json::serialize(line));
}

}  // namespace

int CreateUserCommand(const std::string& db_path, const UserOptions& options) {
  auto store = OpenStore(db_path);
  if (!store) return 1;
  domain::UserService users(*store);
  domain::UserInput input;
  input.role = {true, options.role};
  if (!options.visibility.empty()) input.visibility = {true, options.visibility};
  if (!options.name.empty()) input.name = {true, options.name};
  if (!options.email.empty()) input.email = {true, options.email};
  auto user = users.CreateUserFor(domain::AccountId{options.account_id}, std::move(input));
  if (!user) return Fail("create user", user.error());
  PrintUser(*user);
  return 0;
}

int ListUsersCommand(const std::string& db_path, std::int64_t account_id) {
  auto store = OpenStore(db_path);
  if (!store) return 1;
  domain::UserService users(*store);
  auto list = users.ListUsersOf(domain::AccountId{account_id});
  if (!list) return Fail("list users", list.error());
  for (const domain::User& user : *list) PrintUser(user);
  return 0;
}

int CreateUserTokenCommand(const std::string& db_path, std::int64_t user_id,
                           const std::vector<std::string>& scopes) {
  auto store = OpenStore(db_path);
  if (!store) return 1;
  domain::UserService users(*store);
  domain::TokenInput input;
  if (!scopes.empty()) input.scopes = {true, scopes};
  auto token = users.CreateTokenFor(domain::UserId{user_id}, std::move(input));
  if (!token) return Fail("create token", token.error());
  boost::json::object line = api::native::TokenJson(token->token);
  line["token"] = token->secret;
  fmt::print("{}\n", boost::json::serialize(line));
  return 0;
}

int ListTokensCommand(const std::string& db_path, std::int64_t user_id) {
  auto store = OpenStore(db_path);
  if (!store) return 1;
  domain::UserService users(*store);
  auto tokens = users.ListTokensOf(domain::UserId{user_id});
  if (!tokens) return Fail("list tokens", tokens.error());
  for (const domain::Token& token : *tokens) {
    fmt::print("{}\n", boost::json::serialize(api::native::TokenJson(token)));
  }
  return 0;
}

int RevokeTokenCommand(const std::string& db_path, std::int64_t token_id) {
  auto store = OpenStore(db_path);
  if (!store) return 1;
  domain::UserService users(*store);
  auto revoked = users.RevokeTokenById(domain::TokenId{token_id});
  if (!revoked) return Fail("revoke token", revoked.error());
  fmt::print(stderr, "contactd: token {} revoked\n", token_id);
  return 0;
}

}  // namespace contactd::app

// contactd: a multi-tenant Contacts API server. This file only parses the command line.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include "app/admin.hpp"
#include "app/config.hpp"
#include "app/export.hpp"
#include "app/import.hpp"
#include "app/serve.hpp"
#include "domain/rate_limit.hpp"

int main(int argc, char** argv) {
  CLI::App cli{"contactd: a fast, self-hosted, multi-tenant Contacts API server"};
  cli.require_subcommand(1);
  std::string db = "data/contactd.db";

  auto* serve = cli.add_subcommand("serve", "Serve the HTTP API");
  std::string listen = "127.0.0.1:8080";
  int threads = 0;
  serve->add_option("--db", db, "SQLite database file")->envname("CONTACTD_DB")->capture_default_str();
  serve->add_option("--listen", listen, "HOST:PORT to listen on")
      ->envname("CONTACTD_LISTEN")
      ->capture_default_str();
  serve->add_option("--threads", threads, "Worker threads (default: one per core)")
      ->envname("CONTACTD_THREADS")
      ->check(CLI::Range(0, 1024));
  int max_connections = 0;
  serve
      ->add_option("--max-connections", max_connections,
                   "Open connections served at once; more are answered 503 (default: sized from "
                   "the open files limit)")
      ->envname("CONTACTD_MAX_CONNECTIONS")
      ->check(CLI::Range(0, 10000000));
  int shutdown_grace = 15;
  serve
      ->add_option("--shutdown-grace", shutdown_grace,
                   "Seconds in-flight requests get to finish on SIGTERM/SIGINT")
      ->envname("CONTACTD_SHUTDOWN_GRACE")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));

  int event_retention_days = 30;
  serve
      ->add_option("--event-retention-days", event_retention_days,
                   "Days the change feed (GET /events) keeps events")
      ->envname("CONTACTD_EVENT_RETENTION_DAYS")
      ->capture_default_str()
      ->check(CLI::Range(1, 3650));

  bool webhook_allow_private = false;
  serve
      ->add_flag("--webhook-allow-private", webhook_allow_private,
                 "Let webhook endpoints be on loopback, private or link-local addresses (tests, "
                 "private deployments)")
      ->envname("CONTACTD_WEBHOOK_ALLOW_PRIVATE");

  std::string metrics_token;
  serve
      ->add_option("--metrics-token", metrics_token,
                   "Bearer token that GET /metrics requires (default: none, and /metrics answers "
                   "clients on this host only)")
      ->envname("CONTACTD_METRICS_TOKEN");

  std::string rate_limit, rate_burst, auth_failure_limit = "20/min";
  serve
      ->add_option("--rate-limit", rate_limit,
                   "Each account's sustained request rate, like 1000/h (default: unlimited)")
      ->envname("CONTACTD_RATE_LIMIT");
  serve
      ->add_option("--rate-burst", rate_burst,
                   "Each account's burst, like 100/min (default: unlimited)")
      ->envname("CONTACTD_RATE_BURST");
  serve
      ->add_option("--auth-failure-limit", auth_failure_limit,
                   "Failed authentications per client address before 429s, like 20/min, or "
                   "unlimited")
      ->envname("CONTACTD_AUTH_FAILURE_LIMIT")
      ->capture_default_str();

  std::string jwt_secret_file, jwt_jwks;
  std::string jwt_issuer, jwt_audience, jwt_account_claim = "org", jwt_user_claim = "sub";
  serve
      ->add_option("--jwt-secret-file", jwt_secret_file,
                   "File holding the HS256 secret of JWT bearer tokens (trailing newline ignored)")
      ->envname("CONTACTD_JWT_SECRET_FILE");
  serve
      ->add_option("--jwt-jwks", jwt_jwks,
                   "JWKS file with the RS256 / ES256 public keys of JWT bearer tokens")
      ->envname("CONTACTD_JWT_JWKS");
  serve->add_option("--jwt-issuer", jwt_issuer, "The iss JWTs must carry (default: any)")
      ->envname("CONTACTD_JWT_ISSUER");
  serve->add_option("--jwt-audience", jwt_audience, "The aud JWTs must carry (default: any)")
      ->envname("CONTACTD_JWT_AUDIENCE");
  serve
      ->add_option("--jwt-account-claim", jwt_account_claim,
                   "The JWT claim holding the account's (organization's) uid")
      ->envname("CONTACTD_JWT_ACCOUNT_CLAIM")
      ->capture_default_str();
  serve
      ->add_option("--jwt-user-claim", jwt_user_claim,
                   "The JWT claim holding the user's id or email")
      ->envname("CONTACTD_JWT_USER_CLAIM")
      ->capture_default_str();

  auto* accounts = cli.add_subcommand("accounts", "Manage accounts");
  accounts->require_subcommand(1);
  auto* accounts_create = accounts->add_subcommand("create", "Create an account");
  std::string name;
  accounts_create->add_option("--name", name, "Account name")->required();
  std::string account_uid;
  accounts_create->add_option("--uid", account_uid,
                              "The account's public id (seed 003's organizationId, seed 004's "
                              "locationId): 1 to 64 of A-Z a-z 0-9 _ -; default a new UUID");
  accounts_create->add_option("--db", db, "SQLite database file")->envname("CONTACTD_DB");
  bool create_db = false;
  accounts_create->add_flag("--create-db", create_db,
                            "Create the database file if it does not exist");

  auto* accounts_update =
      accounts->add_subcommand("update", "Set an account's own request limits");
  std::int64_t update_account_id = 0;
  std::string account_rate_limit, account_rate_burst;
  accounts_update->add_option("id", update_account_id, "Account id")->required();
  accounts_update->add_option("--rate-limit", account_rate_limit,
                              "Sustained rate, like 1000/h; unlimited; or default (the server's)");
  accounts_update->add_option("--rate-burst", account_rate_burst,
                              "Burst, like 100/min; unlimited; or default (the server's)");
  accounts_update->add_option("--db", db, "SQLite database file")->envname("CONTACTD_DB");

  auto* users = cli.add_subcommand("users", "Manage the users of an account");
  users->require_subcommand(1);
  auto* users_create = users->add_subcommand("create", "Create a user and print it as JSON");
  contactd::app::UserOptions user_options;
  users_create->add_option("--account", user_options.account_id, "Account id")->required();
  users_create->add_option("--role", user_options.role, "admin, editor or viewer")
      ->required()
      ->check(CLI::IsMember({"admin", "editor", "viewer"}));
  users_create
      ->add_option("--visibility", user_options.visibility,
                   "account (every contact of the account; the default) or own (the contacts "
                   "the user owns, is assigned or that were shared with it)")
      ->check(CLI::IsMember({"account", "own"}));
  users_create->add_option("--name", user_options.name, "The user's name");
  users_create->add_option("--email", user_options.email, "The user's email");
  users_create->add_option("--db", db, "SQLite database file")->envname("CONTACTD_DB");
  auto* users_list = users->add_subcommand("list", "Print the account's users as JSON lines");
  std::int64_t list_account_id = 0;
  users_list->add_option("--account", list_account_id, "Account id")->required();
  users_list->add_option("--db", db, "SQLite database file")->envname("CONTACTD_DB");

  auto* tokens = cli.add_subcommand("tokens", "Manage API tokens");
  tokens->require_subcommand(1);
  auto* tokens_create = tokens->add_subcommand(
      "create",
      "With --user: create a token of that user and print it as JSON (its secret shown this "
      "once). With --account and --role: create a user and print its token alone");
  std::int64_t account_id = 0;
  std::string role;
  std::int64_t user_id = 0;
  std::vector<std::string> scopes;
  auto* account_option = tokens_create->add_option("--account", account_id, "Account id");
  auto* role_option = tokens_create->add_option("--role", role, "admin, editor or viewer")
                          ->check(CLI::IsMember({"admin", "editor", "viewer"}));
  auto* user_option = tokens_create->add_option("--user", user_id, "User id");
  tokens_create
      ->add_option("--scopes", scopes,
                   "Comma-separated scopes the token is narrowed to (contacts.readonly, "
                   "contacts.write, companies.readonly, companies.write, settings.readonly, "
                   "settings.write, users.readonly, users.write); none: all of the user's "
                   "permissions")
      ->delimiter(',')
      ->needs(user_option);
  account_option->needs(role_option)->excludes(user_option);
  role_option->needs(account_option);
  tokens_create->add_option("--db", db, "SQLite database file")->envname("CONTACTD_DB");
  auto* tokens_list = tokens->add_subcommand("list", "Print a user's tokens (never their secrets)");
  std::int64_t tokens_user_id = 0;
  tokens_list->add_option("--user", tokens_user_id, "User id")->required();
  tokens_list->add_option("--db", db, "SQLite database file")->envname("CONTACTD_DB");
  auto* tokens_revoke = tokens->add_subcommand("revoke", "Revoke a token: its next request fails");
  std::int64_t token_id = 0;
  tokens_revoke->add_option("TOKEN_ID", token_id, "Token id")->required();
  tokens_revoke->add_option("--db", db, "SQLite database file")->envname("CONTACTD_DB");

  auto* import = cli.add_subcommand("import", "Import contacts from an NDJSON or CSV file");
  contactd::app::ImportOptions import_options;
  import->add_option("--account", import_options.account_id, "Account id")->required();
  import->add_option("--file", import_options.file, "NDJSON or CSV file")
      ->required()
      ->check(CLI::ExistingFile);
  import->add_option("--format", import_options.format, "ndjson or csv (default: by extension)")
      ->check(CLI::IsMember({"ndjson", "csv"}));
  import->add_option("--db", db, "SQLite database file")->envname("CONTACTD_DB");
  const std::map<std::string, contactd::app::IndexMode> index_modes{
      {"auto", contactd::app::IndexMode::kAuto},
      {"rebuild", contactd::app::IndexMode::kRebuild},
      {"keep", contactd::app::IndexMode::kKeep}};
  import
      ->add_option("--indexes", import_options.indexes,
                   "auto (default), rebuild (one transaction, indexes sorted at the end; fastest "
                   "for large loads) or keep (a transaction per 10,000 rows)")
      ->transform(CLI::CheckedTransformer(index_modes));

  auto* export_command =
      cli.add_subcommand("export", "Export an account's contacts as CSV or NDJSON");
  contactd::app::ExportOptions export_options;
  export_command->add_option("--account", export_options.account_id, "Account id")->required();
  export_command->add_option("--format", export_options.format, "csv or ndjson")
      ->required()
      ->check(CLI::IsMember({"ndjson", "csv"}));
  export_command->add_option("--out", export_options.out,
                             "File to write (default: standard output)");
  export_command->add_option("--db", db, "SQLite database file")->envname("CONTACTD_DB");

  CLI11_PARSE(cli, argc, argv);

  try {
    if (*serve) {
      auto address = contactd::app::ParseListen(listen);
      if (!address) {
        fmt::print(stderr, "contactd: --listen must be HOST:PORT, got '{}'\n", listen);
        return 2;
      }
      contactd::app::SetUpLogging();
      contactd::app::ServeConfig config;
      config.sqlite.path = db;
      config.server.host = address->host;
      config.server.port = address->port;
      config.server.threads = threads;
      config.server.max_connections = max_connections;
      config.server.shutdown_grace = std::chrono::seconds(shutdown_grace);
      config.event_retention_seconds = std::int64_t{event_retention_days} * 24 * 3600;
      config.webhook_allow_private = webhook_allow_private;
      if (!metrics_token.empty()) config.metrics_token = metrics_token;
      if (const char* scale = std::getenv("CONTACTD_WEBHOOK_RETRY_SCALE")) {
        char* end = nullptr;
        double value = std::strtod(scale, &end);
        if (end == scale || *end != '\0' || !(value > 0) || value > 1000) {
          fmt::print(stderr, "contactd: CONTACTD_WEBHOOK_RETRY_SCALE must be a number > 0\n");
          return 2;
        }
        config.webhook_retry_scale = value;
      }
      for (auto [flag, text, target] :
           {std::tuple{"--rate-limit", &rate_limit, &config.rates.sustained},
            std::tuple{"--rate-burst", &rate_burst, &config.rates.burst},
            std::tuple{"--auth-failure-limit", &auth_failure_limit, &config.auth_failure_limit}}) {
        if (text->empty() || *text == "unlimited") {
          target->reset();
          continue;
        }
        auto rate = contactd::domain::ParseRate(*text);
        if (!rate) {
          fmt::print(stderr, "contactd: {}: {}\n", flag, rate.error().message);
          return 2;
        }
        *target = *rate;
      }
      auto read_file = [](const std::string& path) -> std::optional<std::string> {
        std::ifstream in(path, std::ios::binary);
        if (!in) return std::nullopt;
        return std::string(std::istreambuf_iterator<char>(in), {});
      };
      if (!jwt_secret_file.empty()) {
        auto secret = read_file(jwt_secret_file);
        if (!secret) {
          fmt::print(stderr, "contactd: --jwt-secret-file: cannot read {}\n", jwt_secret_file);
          return 2;
        }
        while (!secret->empty() && (secret->back() == '\n' || secret->back() == '\r')) {
          secret->pop_back();
        }
        config.jwt.secret = std::move(*secret);
      }
      if (!jwt_jwks.empty()) {
        config.jwt.jwks = read_file(jwt_jwks);
        if (!config.jwt.jwks) {
          fmt::print(stderr, "contactd: --jwt-jwks: cannot read {}\n", jwt_jwks);
          return 2;
        }
      }
      if (!jwt_issuer.empty()) config.jwt.issuer = jwt_issuer;
      if (!jwt_audience.empty()) config.jwt.audience = jwt_audience;
      config.jwt.account_claim = jwt_account_claim;
      config.jwt.user_claim = jwt_user_claim;
      int code = contactd::app::Serve(config);
      spdlog::shutdown();  // flushes the access log and stops its flusher thread
      return code;
    }
    if (*accounts_create) {
      // --uid "" is an error to report, not the absence of the option.
      std::optional<std::string> uid;
      if (accounts_create->count("--uid") > 0) uid = account_uid;
      return contactd::app::CreateAccountCommand(db, name, uid, create_db);
    }
    if (*accounts_update) {
      return contactd::app::UpdateAccountCommand(db, update_account_id, account_rate_limit,
                                                 account_rate_burst);
    }
    if (*users_create) return contactd::app::CreateUserCommand(db, user_options);
    if (*users_list) return contactd::app::ListUsersCommand(db, list_account_id);
    if (*tokens_create) {
      if (*user_option) return contactd::app::CreateUserTokenCommand(db, user_id, scopes);
      if (!*account_option) {
        fmt::print(stderr, "contactd: tokens create needs --user, or --account and --role\n");
        return 2;
      }
      return contactd::app::CreateTokenCommand(db, account_id, role);
    }
    if (*tokens_list) return contactd::app::ListTokensCommand(db, tokens_user_id);
    if (*tokens_revoke) return contactd::app::RevokeTokenCommand(db, token_id);
    if (*import) {
      import_options.db_path = db;
      return contactd::app::ImportCommand(import_options);
    }
    if (*export_command) {
      export_options.db_path = db;
      return contactd::app::ExportCommand(export_options);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "contactd: {}\n", e.what());
    return 1;
  }
  return 0;
}

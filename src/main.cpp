// contactd: a multi-tenant Contacts API server. This file only parses the command line.
#include <chrono>
#include <cstdio>
#include <exception>
#include <map>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include "app/admin.hpp"
#include "app/config.hpp"
#include "app/import.hpp"
#include "app/serve.hpp"

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

  auto* accounts = cli.add_subcommand("accounts", "Manage accounts");
  accounts->require_subcommand(1);
  auto* accounts_create = accounts->add_subcommand("create", "Create an account");
  std::string name;
  accounts_create->add_option("--name", name, "Account name")->required();
  accounts_create->add_option("--db", db, "SQLite database file")->envname("CONTACTD_DB");
  bool create_db = false;
  accounts_create->add_flag("--create-db", create_db,
                            "Create the database file if it does not exist");

  auto* tokens = cli.add_subcommand("tokens", "Manage API tokens");
  tokens->require_subcommand(1);
  auto* tokens_create = tokens->add_subcommand("create", "Create a user and print its token");
  std::int64_t account_id = 0;
  std::string role;
  tokens_create->add_option("--account", account_id, "Account id")->required();
  tokens_create->add_option("--role", role, "admin, editor or viewer")
      ->required()
      ->check(CLI::IsMember({"admin", "editor", "viewer"}));
  tokens_create->add_option("--db", db, "SQLite database file")->envname("CONTACTD_DB");

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
      int code = contactd::app::Serve(config);
      spdlog::shutdown();  // flushes the access log and stops its flusher thread
      return code;
    }
    if (*accounts_create) return contactd::app::CreateAccountCommand(db, name, create_db);
    if (*tokens_create) return contactd::app::CreateTokenCommand(db, account_id, role);
    if (*import) {
      import_options.db_path = db;
      return contactd::app::ImportCommand(import_options);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "contactd: {}\n", e.what());
    return 1;
  }
  return 0;
}

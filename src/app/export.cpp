#include "app/export.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "api/native/export.hpp"
#include "app/admin.hpp"
#include "app/progress.hpp"
#include "domain/contacts.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace contactd::app {

int ExportCommand(const ExportOptions& options) {
  auto format = api::native::ParseExportFormat(options.format);
  if (!format) {
    fmt::print(stderr, "contactd: --format must be csv or ndjson\n");
    return 1;
  }
  if (!DatabaseExists(options.db_path)) return 1;
  store::sqlite::SqliteStore store({.path = options.db_path, .create_if_missing = false});
  domain::AccountId account{options.account_id};
  auto found = store.FindAccount(account);
  if (!found || !*found) {
    fmt::print(stderr, "contactd: account {} does not exist\n", options.account_id);
    return 1;
  }
  // The account's admin, seeing every contact.
  domain::Principal principal{.user = {},
                              .account = account,
                              .role = domain::Role::kAdmin,
                              .visibility = domain::Visibility::kAccount,
                              .token = {},
                              .scopes = domain::kAllScopes,
                              .rates = {},
                              .account_uid = (*found)->uid};
  domain::ContactService contacts(store);
  domain::ListQuery query;
  query.connected = domain::Connected::kAll;
  query.limit = 1;
  auto counted = contacts.List(principal, query);
  if (!counted) {
    fmt::print(stderr, "contactd: {}\n", counted.error().message);
    return 1;
  }

  std::ofstream file;
  std::string partial = options.out + ".partial";
  if (!options.out.empty()) {
    file.open(partial, std::ios::binary | std::ios::trunc);
    if (!file) {
      fmt::print(stderr, "contactd: cannot write {}\n", partial);
      return 1;
    }
  }
  std::ostream& out = options.out.empty() ? std::cout : file;

  Progress progress(static_cast<std::uintmax_t>(counted->total), "export");
  auto opened = api::native::ContactExport::Open(contacts, principal, query, *format);
  if (!opened) {
    fmt::print(stderr, "contactd: {}\n", opened.error().message);
    if (!options.out.empty()) std::filesystem::remove(partial);
    return 1;
  }
  api::native::ContactExport& exporter = **opened;
  std::string piece;
  bool more = true;
  try {
    while (more) {
      piece.clear();
      more = exporter.Next(piece);
      out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      if (!out) throw std::runtime_error("writing the export failed");
      progress.Update(static_cast<std::uintmax_t>(exporter.exported()), exporter.exported());
    }
    out.flush();
    if (!out) throw std::runtime_error("writing the export failed");
  } catch (const std::exception& e) {
    fmt::print(stderr, "\ncontactd: {}\n", e.what());
    if (!options.out.empty()) std::filesystem::remove(partial);
    return 1;
  }
  progress.Update(0, exporter.exported(), /*finished=*/true);
  if (!options.out.empty()) {
    file.close();
    std::error_code ec;
    std::filesystem::rename(partial, options.out, ec);
    if (ec) {
      fmt::print(stderr, "contactd: cannot rename {} to {}: {}\n", partial, options.out,
                 ec.message());
      return 1;
    }
  }
  fmt::print(stderr, "exported {} contacts\n", exporter.exported());
  return 0;
}

}  // namespace contactd::app

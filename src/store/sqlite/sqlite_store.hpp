#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace contactd::store::sqlite {

class Connection;

struct SqliteOptions {
  // Database file; created with its schema when missing.
  std::string path = "data/contactd.db";
  // How long a statement waits for another connection's write lock before failing busy.
  int busy_timeout_ms = 5000;
  // Page cache of each connection, in KiB. Bulk imports want a large one: index pages stay in
  // memory instead of being re-read for every row.
  int cache_kib = 8 * 1024;
};

// The embedded store: one SQLite file in WAL mode (readers never block the writer), synchronous
// FULL (a committed write survives a crash of the process or the machine). Thread-safe: each call
// borrows a connection from a pool, so calls on different threads run in parallel.
class SqliteStore final : public Store {
 public:
  // Opens the file and migrates it. Throws std::runtime_error if it cannot.
  explicit SqliteStore(SqliteOptions options);
  ~SqliteStore() override;

  domain::Result<void> Ping() override;
  domain::Result<std::string> CursorSecret() override;

  domain::Result<domain::Account> CreateAccount(const domain::Account& account) override;
  domain::Result<std::optional<domain::Account>> FindAccount(domain::AccountId id) override;
  domain::Result<std::int64_t> CountAccounts() override;
  domain::Result<domain::UserId> CreateUser(domain::AccountId account, domain::Role role,
                                            std::string_view token_hash,
                                            std::int64_t now) override;
  domain::Result<std::optional<domain::Principal>> FindPrincipal(
      std::string_view token_hash) override;

  domain::Result<domain::Company> CreateCompany(const domain::NewCompany& company) override;
  domain::Result<std::optional<domain::Company>> FindCompany(domain::AccountId account,
                                                             domain::CompanyId id) override;
  domain::Result<Page<domain::Company>> ListCompanies(domain::AccountId account,
                                                      const domain::ListQuery& query) override;

  domain::Result<domain::Contact> CreateContact(const domain::NewContact& contact) override;
  domain::Result<std::unique_ptr<ContactLoad>> BeginContactLoad(LoadMode mode) override;
  domain::Result<std::int64_t> CountAllContacts() override;
  domain::Result<std::vector<domain::Company>> AllCompanies(domain::AccountId account) override;
  domain::Result<std::optional<domain::Contact>> FindContact(domain::AccountId account,
                                                             domain::ContactId id) override;
  domain::Result<Page<domain::Contact>> ListContacts(domain::AccountId account,
                                                     const domain::ListQuery& query) override;
  domain::Result<std::optional<domain::Contact>> UpdateContact(
      domain::AccountId account, domain::ContactId id,
      const domain::ContactChanges& changes) override;

 private:
  class Lease;
  class Load;

  // Runs `body` on a pooled connection; turns SQLite failures into domain errors.
  template <class Body>
  auto Run(Body&& body) -> decltype(body(std::declval<Connection&>()));

  std::unique_ptr<Connection> Acquire();
  void Release(std::unique_ptr<Connection> connection);

  const SqliteOptions options_;  // Constant after construction
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
};

}  // namespace contactd::store::sqlite

#pragma once

// What the files implementing SqliteStore share: connection leases, Run and Write, and how a
// write body refuses itself. Not for use outside src/store/sqlite.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/company.hpp"
#include "domain/contact.hpp"
#include "domain/error.hpp"
#include "domain/webhooks.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"

namespace contactd::store::sqlite {

// Thrown inside a write body to cancel it with a domain error (CommitGroup and loads catch it).
struct RefusedWrite {
  domain::Error error;
};

// A failure of SQLite as a domain error: kUnavailable when the database was busy, else kInternal.
domain::Error FromSqlite(const SqliteError& e);

// A row of the columns of CONTACTD_CONTACT_COLUMNS / CONTACTD_COMPANY_COLUMNS (sqlite_store.cpp),
// in their order.
domain::Contact ReadContact(const Statement& row);
domain::Company ReadCompany(const Statement& row);

// The columns an update wrote, before and after it, as JSON objects: what its event's `previous`
// keeps (the rest is in the event's snapshot), and whether anything changed at all.
struct ContactDelta {
  std::string before;
  std::string after;
};

// A webhook's event types as stored (space-separated; "*" alone for every type).
std::vector<std::string> SplitEvents(const std::string& text);

// The columns of a webhook as ReadWebhook reads them, from `first` on (prefix each with the
// table's alias where a query joins).
#define CONTACTD_WEBHOOK_COLUMNS                                                              \
  "id, account_id, url, events, description, enabled, disabled_reason, format, created_at, " \
  "updated_at, version"
domain::Webhook ReadWebhook(const Statement& row, int first = 0);

// An account's rate_limit and rate_burst columns, from `first` on (a value this build cannot read
// keeps the server's default).
domain::RateOverride ReadRateOverride(const Statement& row, int first);

// Borrows a pooled connection for one call and gives it back afterwards.
class SqliteStore::Lease {
 public:
  explicit Lease(SqliteStore& store) : store_(store), connection_(store.Acquire()) {}
  ~Lease() { store_.Release(std::move(connection_)); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Connection& connection() { return *connection_; }

 private:
  SqliteStore& store_;
  std::unique_ptr<Connection> connection_;
};

template <class Body>
auto SqliteStore::Run(Body&& body) -> decltype(body(std::declval<Connection&>())) {
  try {
    Lease lease(*this);
    return body(lease.connection());
  } catch (const SqliteError& e) {
    return std::unexpected(FromSqlite(e));
  }
}

template <class Body>
auto SqliteStore::Write(Body&& body) -> decltype(body(std::declval<Connection&>())) {
  using R = decltype(body(std::declval<Connection&>()));
  std::optional<R> result;
  PendingWrite write;
  write.apply = [&](Connection& c) {
    result.emplace(body(c));
    return result->has_value();
  };
  write.fail = [&](const domain::Error& error) { result.emplace(std::unexpected(error)); };
  JoinGroup(write);
  return std::move(*result);
}

}  // namespace contactd::store::sqlite

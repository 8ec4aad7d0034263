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

// Deletes the idempotency answers of the account whose body shows `uid` (an erased contact's).
void ForgetAnswersShowing(Connection& c, domain::AccountId account, std::string_view uid);

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

// A write unit (store::WriteUnit): from its first write it holds the write turn (the writers'
// queue waits behind it) and one write transaction on its own connection; the thread's writes
// run there, each in a savepoint, and so do its reads after the first write (so that they see
// it).
class SqliteStore::Unit final : public WriteUnit {
 public:
  explicit Unit(SqliteStore& store);
  ~Unit() override;
  Unit(const Unit&) = delete;
  Unit& operator=(const Unit&) = delete;

  domain::Result<void> Commit() override;

  SqliteStore& store() { return store_; }
  bool begun() const { return transaction_.has_value(); }
  Connection& connection() { return lease_.connection(); }

  template <class Body>
  auto Apply(Body&& body) -> decltype(body(std::declval<Connection&>())) {
    using R = decltype(body(std::declval<Connection&>()));
    if (broken_) return std::unexpected(domain::Error::Internal("an earlier write failed"));
    std::optional<R> result;
    try {
      Connection& c = Begin();
      c.Exec("SAVEPOINT unit_write");
      try {
        result.emplace(body(c));
      } catch (const RefusedWrite& refused) {
        result.emplace(std::unexpected(refused.error));
      } catch (const SqliteError& e) {
        result.emplace(std::unexpected(FromSqlite(e)));
      } catch (const std::exception& e) {
        result.emplace(std::unexpected(domain::Error::Internal(e.what())));
      }
      if (!result->has_value()) c.Exec("ROLLBACK TO unit_write");
      c.Exec("RELEASE unit_write");
    } catch (const SqliteError& e) {
      // The transaction is not what the writes left it: nothing of it may commit.
      broken_ = true;
      return std::unexpected(FromSqlite(e));
    }
    return std::move(*result);
  }

 private:
  // Waits for the write turn and begins the transaction, at the first write.
  Connection& Begin();

  SqliteStore& store_;
  Lease lease_;
  PendingWrite turn_;
  bool has_turn_ = false;
  bool broken_ = false;
  std::optional<Transaction> transaction_;
  Unit* outer_ = nullptr;  // the thread's unit before this one (none in practice)
};

template <class Body>
auto SqliteStore::Run(Body&& body) -> decltype(body(std::declval<Connection&>())) {
  try {
    if (Unit* unit = CurrentUnit(); unit != nullptr && unit->begun()) {
      return body(unit->connection());
    }
    Lease lease(*this);
    return body(lease.connection());
  } catch (const SqliteError& e) {
    return std::unexpected(FromSqlite(e));
  }
}

template <class Body>
auto SqliteStore::Write(Body&& body) -> decltype(body(std::declval<Connection&>())) {
  if (Unit* unit = CurrentUnit()) return unit->Apply(std::forward<Body>(body));
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

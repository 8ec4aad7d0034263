// SqliteStore: the outbox read back as the change feed, and its retention.
#include <string>
#include <unordered_set>

#include <boost/json.hpp>

#include "domain/events.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/store_detail.hpp"

namespace contactd::store::sqlite {

using domain::AccountId;
using domain::Error;
using domain::Result;

namespace {

constexpr const char* kScanEvents =
    "SELECT id, type, subject_id, owner_user_id, assigned_user_id FROM events "
    "WHERE account_id = ? AND id > ? ORDER BY id LIMIT ?";
constexpr const char* kSelectEvent =
    "SELECT id, account_id, type, created_at, subject_id, data, previous FROM events "
    "WHERE id = ?";
constexpr const char* kSharedWith =
    "SELECT 1 FROM contact_shares WHERE contact_id = ? AND user_id = ?";
constexpr const char* kSelectPurgedThrough =
    "SELECT value FROM settings WHERE key = 'events_purged_through'";
constexpr const char* kSetPurgedThrough =
    "INSERT INTO settings (key, value) VALUES ('events_purged_through', ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
// The oldest event to keep: events are written in id order, so the ones before it are the
// expired ones (found once per purge, reading what it deletes).
constexpr const char* kFirstKeptEvent =
    "SELECT id FROM events WHERE created_at >= ? ORDER BY id LIMIT 1";
constexpr const char* kLastEvent = "SELECT max(id) FROM events";
constexpr const char* kLastOfChunk =
    "SELECT max(id) FROM (SELECT id FROM events WHERE id < ? ORDER BY id LIMIT ?)";
constexpr const char* kPurgeEvents = "DELETE FROM events WHERE id <= ?";
constexpr const char* kPurgeDeliveries =
    "DELETE FROM deliveries WHERE state <> 'pending' AND created_at < ?";
constexpr const char* kPurgeAttempts = "DELETE FROM delivery_attempts WHERE attempted_at < ?";

bool IsContactEvent(std::string_view type) { return type.starts_with("contact."); }

// A contact update's event keeps the old values of the columns it wrote only: over the snapshot
// after it, they give the contact before it.
std::string Overlay(const std::string& after, const std::string& written_before) {
  boost::json::value contact = boost::json::parse(after);
  boost::json::value before = boost::json::parse(written_before);
  if (!contact.is_object() || !before.is_object()) throw SqliteError(0, "corrupt event snapshot");
  for (const auto& member : before.get_object()) contact.get_object()[member.key()] = member.value();
  return boost::json::serialize(contact);
}

std::int64_t PurgedThrough(Connection& c) {
  Statement stmt = c.Prepare(kSelectPurgedThrough);
  if (!stmt.Step()) return 0;
  return std::stoll(stmt.Text(0));
}

}  // namespace

std::optional<domain::Event> SqliteStore::ReadEvent(Connection& c, std::int64_t id) {
  Statement stmt = c.Prepare(kSelectEvent);
  stmt.Bind(1, id);
  if (!stmt.Step()) return std::nullopt;
  domain::Event event;
  event.id = stmt.Int(0);
  event.account = AccountId{stmt.Int(1)};
  event.type = stmt.Text(2);
  event.created_at = stmt.Int(3);
  event.subject_id = stmt.Int(4);
  bool contact = IsContactEvent(event.type);
  auto decode = [&](int column, auto& contact_out, auto& company_out) {
    if (stmt.IsNull(column)) return;
    std::string snapshot = stmt.Text(column);
    if (contact && column == 6) {
      if (stmt.IsNull(5)) return;
      snapshot = Overlay(stmt.Text(5), snapshot);
    }
    Statement row = c.Prepare(contact ? contact_from_json_sql_ : company_from_json_sql_);
    row.Bind(1, snapshot);
    if (!row.Step()) return;
    if (contact) {
      contact_out = ReadContact(row);
    } else {
      company_out = ReadCompany(row);
    }
  };
  decode(5, event.contact, event.company);
  decode(6, event.previous_contact, event.previous_company);
  return event;
}

Result<domain::EventPage> SqliteStore::ListEvents(const domain::ContactScope& scope,
                                                  const domain::EventQuery& query,
                                                  std::size_t max_scanned) {
  return Run([&](Connection& c) -> Result<domain::EventPage> {
    Transaction transaction(c, Transaction::Mode::kRead);
    domain::EventPage page;
    page.last_id = query.after_id;
    // In the read's own snapshot, so that no purge slips between the check and the read.
    if (query.after_id > 0 && query.after_id < PurgedThrough(c)) {
      page.gone = true;
      return page;
    }
    std::unordered_set<std::string> types(query.types.begin(), query.types.end());
    std::vector<std::int64_t> kept;
    std::size_t scanned = 0;
    {
      Statement scan = c.Prepare(kScanEvents);
      scan.Bind(1, scope.account.value)
          .Bind(2, query.after_id)
          .Bind(3, static_cast<std::int64_t>(max_scanned));
      while (scan.Step()) {
        ++scanned;
        std::int64_t id = scan.Int(0);
        std::string type = scan.Text(1);
        bool wanted = types.empty() || types.contains(type);
        if (wanted && scope.user && IsContactEvent(type)) {
          std::int64_t user = scope.user->value;
          bool seen = (!scan.IsNull(3) && scan.Int(3) == user) ||
                      (!scan.IsNull(4) && scan.Int(4) == user);
          if (!seen) {
            Statement shared = c.Prepare(kSharedWith);
            shared.Bind(1, scan.Int(2)).Bind(2, user);
            seen = shared.Step();
          }
          wanted = seen;
        }
        if (wanted) {
          if (kept.size() == static_cast<std::size_t>(query.limit)) {
            page.has_more = true;  // one more than the page: the page ends before it
            break;
          }
          kept.push_back(id);
        }
        page.last_id = id;
      }
    }
    if (!page.has_more && scanned == max_scanned) page.has_more = true;
    for (std::int64_t id : kept) {
      if (auto event = ReadEvent(c, id)) page.items.push_back(std::move(*event));
    }
    // A page cut by its limit ends at its last event; one cut by the scan, where the scan ended;
    // a whole one at the newest event of every account (ids are given in commit order), so that
    // an idle account's cursor moves on with the others' and stays ahead of the purge.
    if (page.has_more && kept.size() == static_cast<std::size_t>(query.limit) && !kept.empty()) {
      page.last_id = kept.back();
    } else if (!page.has_more) {
      Statement newest = c.Prepare(kLastEvent);
      newest.Step();
      if (!newest.IsNull(0)) page.last_id = std::max(page.last_id, newest.Int(0));
    }
    transaction.Commit();
    return page;
  });
}

Result<std::int64_t> SqliteStore::PurgeEvents(std::int64_t created_before) {
  // The first event to keep, found once; then deletes below it in writes of at most 10,000
  // events, so that other writers get their turn.
  auto boundary = Run([&](Connection& c) -> Result<std::int64_t> {
    Statement first = c.Prepare(kFirstKeptEvent);
    first.Bind(1, created_before);
    if (first.Step()) return first.Int(0);
    Statement last = c.Prepare(kLastEvent);
    last.Step();
    return last.IsNull(0) ? 0 : last.Int(0) + 1;
  });
  if (!boundary) return std::unexpected(boundary.error());
  // Deliveries done and attempts go with their events' retention.
  auto deliveries = Write([&](Connection& c) -> Result<void> {
    c.Prepare(kPurgeDeliveries).Bind(1, created_before).Run();
    c.Prepare(kPurgeAttempts).Bind(1, created_before * 1000).Run();
    return {};
  });
  if (!deliveries) return std::unexpected(deliveries.error());
  constexpr std::int64_t kChunk = 10000;
  std::int64_t total = 0;
  for (;;) {
    auto purged = Write([&](Connection& c) -> Result<std::int64_t> {
      // The greatest id this write purges: the cursor a client must be past.
      Statement chunk = c.Prepare(kLastOfChunk);
      chunk.Bind(1, *boundary).Bind(2, kChunk);
      chunk.Step();
      if (chunk.IsNull(0)) return 0;
      std::int64_t through = chunk.Int(0);
      c.Prepare(kPurgeEvents).Bind(1, through).Run();
      std::int64_t deleted = c.Changes();
      c.Prepare(kSetPurgedThrough).Bind(1, std::to_string(through)).Run();
      return deleted;
    });
    if (!purged) return std::unexpected(purged.error());
    total += *purged;
    if (*purged < kChunk) return total;
  }
}

}  // namespace contactd::store::sqlite

// SqliteStore: webhook deliveries, from the outbox to attempts.
#include <algorithm>
#include <map>
#include <string>

#include "domain/webhooks.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/store_detail.hpp"

namespace contactd::store::sqlite {

using domain::AccountId;
using domain::Error;
using domain::Result;

namespace {

constexpr const char* kSelectBehind =
    "SELECT w.id, w.account_id, w.events, w.last_event_id FROM webhooks w "
    "WHERE w.enabled = 1 AND EXISTS (SELECT 1 FROM events e WHERE e.account_id = w.account_id "
    "AND e.id > w.last_event_id)";
constexpr const char* kSelectNewEvents =
    "SELECT id, type FROM events WHERE account_id = ? AND id > ? ORDER BY id LIMIT ?";
constexpr const char* kInsertDelivery =
    "INSERT INTO deliveries (webhook_id, event_id, kind, next_attempt_at, created_at) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr const char* kMoveWebhook = "UPDATE webhooks SET last_event_id = ? WHERE id = ?";
// The first due deliveries of each enabled endpoint (at most ?2 each): one endpoint's backlog
// never hides another's. Columns 5-15 are the webhook's (ReadWebhook).
constexpr const char* kSelectDue =
    "SELECT d.id, d.kind, d.attempts, d.event_id, d.created_at, w.id, w.account_id, w.url, "
    "w.events, w.description, w.enabled, w.disabled_reason, w.format, w.created_at, "
    "w.updated_at, w.version, w.secret, w.previous_secret, w.previous_secret_until, "
    "w.failing_since_ms, (SELECT uid FROM accounts WHERE id = w.account_id) "
    "FROM webhooks w JOIN deliveries d ON d.id IN (SELECT id FROM deliveries "
    "WHERE webhook_id = w.id AND state = 'pending' AND next_attempt_at <= ?1 "
    "ORDER BY next_attempt_at, id LIMIT ?2) "
    "WHERE w.enabled = 1 ORDER BY d.next_attempt_at, d.id";
constexpr const char* kSelectErasedContactUid = "SELECT uid FROM deleted_contacts WHERE id = ?";
constexpr const char* kSelectCompanyUid = "SELECT uid FROM companies WHERE id = ?";
constexpr const char* kInsertAttempt =
    "INSERT INTO delivery_attempts (delivery_id, webhook_id, event_id, attempted_at, "
    "status_code, duration_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kDelivered =
    "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1 WHERE id = ?";
constexpr const char* kRetry =
    "UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?";
constexpr const char* kGiveUp =
    "UPDATE deliveries SET state = 'failed', attempts = attempts + 1 WHERE id = ?";
constexpr const char* kHealthy = "UPDATE webhooks SET failing_since_ms = NULL WHERE id = ?";
// A failure starts a failing streak, unless one is on; a streak whose last failure is older than
// the longest retry gap was broken by deliveries that gave up, and starts again.
constexpr const char* kFailing =
    "UPDATE webhooks SET failing_since_ms = CASE WHEN failing_since_ms IS NULL OR "
    "last_failure_at_ms < ? THEN ?2 ELSE failing_since_ms END, last_failure_at_ms = ?2 "
    "WHERE id = ?3";
constexpr const char* kDisable =
    "UPDATE webhooks SET version = version + 1, enabled = 0, disabled_reason = ?, "
    "updated_at = ? WHERE id = ?";
constexpr const char* kSelectAttempts =
    "SELECT delivery_id, webhook_id, event_id, attempted_at, status_code, duration_ms, error "
    "FROM delivery_attempts WHERE webhook_id = ? ORDER BY id DESC LIMIT ?";
constexpr const char* kWebhookOfAccount =
    "SELECT 1 FROM webhooks WHERE account_id = ? AND id = ?";
constexpr const char* kEventOfAccount = "SELECT type FROM events WHERE account_id = ? AND id = ?";
constexpr const char* kAccountWebhooks =
    "SELECT id, events FROM webhooks WHERE account_id = ? AND enabled = 1 ORDER BY id";
constexpr const char* kBacklog = "SELECT count(*) FROM deliveries WHERE state = 'pending'";

bool Takes(const std::string& events, const std::string& type) {
  for (const std::string& event : SplitEvents(events)) {
    if (event == "*" || event == type) return true;
  }
  return false;
}

void InsertDelivery(Connection& c, std::int64_t webhook, std::int64_t event, const char* kind,
                    std::int64_t now) {
  c.Prepare(kInsertDelivery)
      .Bind(1, webhook)
      .Bind(2, event)
      .Bind(3, kind)
      .Bind(4, now * 1000)
      .Bind(5, now)
      .Run();
}

// Records one attempt and what follows from it: the delivery done, retried later or given up,
// the endpoint's failing streak, and its disabling.
void RecordOutcome(Connection& c, const domain::AttemptOutcome& outcome) {
  const domain::DeliveryAttempt& attempt = outcome.attempt;
  if (!outcome.attempted) {
    c.Prepare(kGiveUp).Bind(1, attempt.delivery_id).Run();
    return;
  }
  Statement insert = c.Prepare(kInsertAttempt);
  insert.Bind(1, attempt.delivery_id)
      .Bind(2, attempt.webhook_id)
      .Bind(3, attempt.event_id)
      .Bind(4, attempt.attempted_at_ms);
  if (attempt.status_code) {
    insert.Bind(5, std::int64_t{*attempt.status_code});
  } else {
    insert.BindNull(5);
  }
  insert.Bind(6, attempt.duration_ms).BindOptional(7, attempt.error).Run();
  if (outcome.delivered) {
    c.Prepare(kDelivered).Bind(1, attempt.delivery_id).Run();
    c.Prepare(kHealthy).Bind(1, attempt.webhook_id).Run();
  } else {
    if (outcome.retry_at_ms) {
      c.Prepare(kRetry).Bind(1, *outcome.retry_at_ms).Bind(2, attempt.delivery_id).Run();
    } else {
      c.Prepare(kGiveUp).Bind(1, attempt.delivery_id).Run();
    }
    c.Prepare(kFailing)
        .Bind(1, outcome.streak_broken_before_ms)
        .Bind(2, outcome.now_ms)
        .Bind(3, attempt.webhook_id)
        .Run();
  }
  if (outcome.disable_reason) {
    c.Prepare(kDisable)
        .Bind(1, *outcome.disable_reason)
        .Bind(2, outcome.now_ms / 1000)
        .Bind(3, attempt.webhook_id)
        .Run();
  }
}

}  // namespace

Result<std::size_t> SqliteStore::FanOutEvents(std::size_t max_events, std::int64_t now) {
  // A read first: an idle outbox costs no write.
  auto behind = Run([&](Connection& c) -> Result<bool> {
    Statement stmt = c.Prepare(kSelectBehind);
    return stmt.Step();
  });
  if (!behind) return std::unexpected(behind.error());
  if (!*behind) return std::size_t{0};
  return Write([&](Connection& c) -> Result<std::size_t> {
    struct Behind {
      std::int64_t id, account;
      std::string events;
      std::int64_t last;
    };
    std::vector<Behind> behind;
    {
      Statement stmt = c.Prepare(kSelectBehind);
      while (stmt.Step()) {
        behind.push_back({stmt.Int(0), stmt.Int(1), stmt.Text(2), stmt.Int(3)});
      }
    }
    std::size_t made = 0;
    for (const Behind& webhook : behind) {
      if (made >= max_events) break;  // bounds the write; the next one goes on
      std::int64_t last = webhook.last;
      Statement events = c.Prepare(kSelectNewEvents);
      events.Bind(1, webhook.account)
          .Bind(2, webhook.last)
          .Bind(3, static_cast<std::int64_t>(max_events));
      std::vector<std::int64_t> taken;
      while (events.Step()) {
        last = events.Int(0);
        if (Takes(webhook.events, events.Text(1))) taken.push_back(last);
      }
      for (std::int64_t event : taken) InsertDelivery(c, webhook.id, event, "event", now);
      c.Prepare(kMoveWebhook).Bind(1, last).Bind(2, webhook.id).Run();
      made += taken.size();
    }
    return made;
  });
}

namespace {

// The uids a v1 payload names: the contact's (an erased one's from its tombstone) and its
// company's.
void NameByUid(Connection& c, domain::DueDelivery& delivery) {
  if (!delivery.event) return;
  const domain::Event& event = *delivery.event;
  auto uid_of = [&](const char* sql, std::int64_t id) -> std::optional<std::string> {
    Statement stmt = c.Prepare(sql);
    stmt.Bind(1, id);
    if (!stmt.Step()) return std::nullopt;
    return stmt.Text(0);
  };
  if (event.contact) {
    delivery.subject_uid = event.contact->uid;
    if (event.contact->company) {
      delivery.company_uid = uid_of(kSelectCompanyUid, event.contact->company->value);
    }
  } else if (event.type.starts_with("contact.")) {
    delivery.subject_uid = uid_of(kSelectErasedContactUid, event.subject_id);
  }
}

}  // namespace

Result<std::vector<domain::DueDelivery>> SqliteStore::DueDeliveries(
    std::int64_t now_ms, std::size_t limit, std::size_t per_endpoint,
    const std::vector<domain::DeliveryInFlight>& in_flight) {
  return Run([&](Connection& c) -> Result<std::vector<domain::DueDelivery>> {
    Transaction transaction(c, Transaction::Mode::kRead);
    std::map<std::int64_t, std::size_t> taken;  // by endpoint, counting those in flight
    for (const domain::DeliveryInFlight& flight : in_flight) ++taken[flight.webhook_id];
    auto flying = [&](std::int64_t delivery) {
      return std::any_of(in_flight.begin(), in_flight.end(), [&](const auto& flight) {
        return flight.delivery_id == delivery;
      });
    };
    std::vector<domain::DueDelivery> due;
    Statement stmt = c.Prepare(kSelectDue);
    stmt.Bind(1, now_ms).Bind(2, static_cast<std::int64_t>(per_endpoint));
    while (due.size() < limit && stmt.Step()) {
      std::int64_t webhook_id = stmt.Int(5);
      // A failing endpoint gets one at a time: dead ones hold few of the worker's transfers.
      std::size_t share = stmt.IsNull(19) ? per_endpoint : 1;
      if (flying(stmt.Int(0)) || taken[webhook_id] >= share) continue;
      ++taken[webhook_id];
      domain::DueDelivery delivery;
      delivery.id = stmt.Int(0);
      delivery.kind = stmt.Text(1);
      delivery.attempts = static_cast<int>(stmt.Int(2));
      std::int64_t event_id = stmt.Int(3);
      delivery.created_at = stmt.Int(4);
      delivery.webhook = ReadWebhook(stmt, 5);
      delivery.secrets.push_back(stmt.Text(16));
      if (!stmt.IsNull(17) && !stmt.IsNull(18) && stmt.Int(18) * 1000 > now_ms) {
        delivery.secrets.push_back(stmt.Text(17));
      }
      if (!stmt.IsNull(19)) delivery.failing_since_ms = stmt.Int(19);
      if (delivery.kind == "event") delivery.event = ReadEvent(c, event_id);
      delivery.account_uid = stmt.Text(20);
      if (delivery.webhook.format == "v1") NameByUid(c, delivery);
      due.push_back(std::move(delivery));
    }
    transaction.Commit();
    return due;
  });
}

Result<void> SqliteStore::FinishAttempts(const std::vector<domain::AttemptOutcome>& outcomes) {
  return Write([&](Connection& c) -> Result<void> {
    for (const domain::AttemptOutcome& outcome : outcomes) RecordOutcome(c, outcome);
    return {};
  });
}

Result<std::optional<std::vector<domain::DeliveryAttempt>>> SqliteStore::ListDeliveryAttempts(
    AccountId account, std::int64_t webhook, std::size_t limit) {
  return Run([&](Connection& c) -> Result<std::optional<std::vector<domain::DeliveryAttempt>>> {
    Transaction transaction(c, Transaction::Mode::kRead);
    Statement owned = c.Prepare(kWebhookOfAccount);
    owned.Bind(1, account.value).Bind(2, webhook);
    if (!owned.Step()) return std::nullopt;
    std::vector<domain::DeliveryAttempt> attempts;
    Statement stmt = c.Prepare(kSelectAttempts);
    stmt.Bind(1, webhook).Bind(2, static_cast<std::int64_t>(limit));
    while (stmt.Step()) {
      domain::DeliveryAttempt attempt;
      attempt.delivery_id = stmt.Int(0);
      attempt.webhook_id = stmt.Int(1);
      attempt.event_id = stmt.Int(2);
      attempt.attempted_at_ms = stmt.Int(3);
      if (!stmt.IsNull(4)) attempt.status_code = static_cast<int>(stmt.Int(4));
      attempt.duration_ms = stmt.Int(5);
      attempt.error = stmt.OptionalText(6);
      attempts.push_back(std::move(attempt));
    }
    transaction.Commit();
    return attempts;
  });
}

Result<std::optional<std::int64_t>> SqliteStore::QueuePing(AccountId account,
                                                           std::int64_t webhook,
                                                           std::int64_t now) {
  return Write([&](Connection& c) -> Result<std::optional<std::int64_t>> {
    Statement owned = c.Prepare(kWebhookOfAccount);
    owned.Bind(1, account.value).Bind(2, webhook);
    if (!owned.Step()) return std::nullopt;
    InsertDelivery(c, webhook, 0, "ping", now);
    return c.LastInsertId();
  });
}

Result<std::optional<std::int64_t>> SqliteStore::Redeliver(AccountId account,
                                                           std::int64_t event_id,
                                                           std::int64_t now) {
  return Write([&](Connection& c) -> Result<std::optional<std::int64_t>> {
    Statement event = c.Prepare(kEventOfAccount);
    event.Bind(1, account.value).Bind(2, event_id);
    if (!event.Step()) return std::nullopt;
    std::string type = event.Text(0);
    std::vector<std::int64_t> webhooks;
    {
      Statement stmt = c.Prepare(kAccountWebhooks);
      stmt.Bind(1, account.value);
      while (stmt.Step()) {
        if (Takes(stmt.Text(1), type)) webhooks.push_back(stmt.Int(0));
      }
    }
    for (std::int64_t webhook : webhooks) InsertDelivery(c, webhook, event_id, "event", now);
    return static_cast<std::int64_t>(webhooks.size());
  });
}

Result<std::int64_t> SqliteStore::DeliveryBacklog() {
  return Run([&](Connection& c) -> Result<std::int64_t> {
    Statement stmt = c.Prepare(kBacklog);
    stmt.Step();
    return stmt.Int(0);
  });
}

}  // namespace contactd::store::sqlite

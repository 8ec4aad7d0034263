// SqliteStore: webhook endpoints.
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

constexpr const char* kSelectWebhooks = "SELECT " CONTACTD_WEBHOOK_COLUMNS
                                        " FROM webhooks WHERE account_id = ? ORDER BY id";
constexpr const char* kSelectWebhook =
    "SELECT " CONTACTD_WEBHOOK_COLUMNS " FROM webhooks WHERE account_id = ? AND id = ?";
constexpr const char* kCountWebhooks = "SELECT count(*) FROM webhooks WHERE account_id = ?";
// A new endpoint receives the events written after it.
constexpr const char* kInsertWebhook =
    "INSERT INTO webhooks (account_id, url, events, description, enabled, format, secret, "
    "last_event_id, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, coalesce((SELECT max(id) FROM events), 0), ?, ?)";
constexpr const char* kUpdateWebhook =
    "UPDATE webhooks SET version = version + 1, url = ?, events = ?, description = ?, "
    "enabled = ?, disabled_reason = ?, "
    "failing_since_ms = CASE WHEN ? THEN NULL ELSE failing_since_ms END, "
    "updated_at = ? WHERE account_id = ? AND id = ?";
constexpr const char* kDeleteWebhook = "DELETE FROM webhooks WHERE account_id = ? AND id = ?";
constexpr const char* kDeleteDeliveries = "DELETE FROM deliveries WHERE webhook_id = ?";
constexpr const char* kDeleteAttempts = "DELETE FROM delivery_attempts WHERE webhook_id = ?";
constexpr const char* kRotateSecret =
    "UPDATE webhooks SET version = version + 1, previous_secret = secret, "
    "previous_secret_until = ?, secret = ?, "
    "updated_at = ? WHERE account_id = ? AND id = ?";

// Event types are stored space-separated ("*" alone for every type): see SplitEvents.
std::string JoinEvents(const std::vector<std::string>& events) {
  std::string text;
  for (const std::string& event : events) text += (text.empty() ? "" : " ") + event;
  return text;
}

std::optional<domain::Webhook> SelectWebhook(Connection& c, AccountId account, std::int64_t id) {
  Statement stmt = c.Prepare(kSelectWebhook);
  stmt.Bind(1, account.value).Bind(2, id);
  if (!stmt.Step()) return std::nullopt;
  return ReadWebhook(stmt);
}

}  // namespace

std::vector<std::string> SplitEvents(const std::string& text) {
  std::vector<std::string> events;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.find(' ', start), text.size());
    if (end > start) events.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return events;
}

domain::Webhook ReadWebhook(const Statement& row, int first) {
  domain::Webhook webhook;
  webhook.id = row.Int(first);
  webhook.account = AccountId{row.Int(first + 1)};
  webhook.url = row.Text(first + 2);
  webhook.events = SplitEvents(row.Text(first + 3));
  webhook.description = row.OptionalText(first + 4);
  webhook.enabled = row.Int(first + 5) != 0;
  webhook.disabled_reason = row.OptionalText(first + 6);
  webhook.format = row.Text(first + 7);
  webhook.created_at = row.Int(first + 8);
  webhook.updated_at = row.Int(first + 9);
  webhook.version = row.Int(first + 10);
  return webhook;
}

Result<std::vector<domain::Webhook>> SqliteStore::ListWebhooks(AccountId account) {
  return Run([&](Connection& c) -> Result<std::vector<domain::Webhook>> {
    Statement stmt = c.Prepare(kSelectWebhooks);
    stmt.Bind(1, account.value);
    std::vector<domain::Webhook> webhooks;
    while (stmt.Step()) webhooks.push_back(ReadWebhook(stmt));
    return webhooks;
  });
}

Result<std::optional<domain::Webhook>> SqliteStore::FindWebhook(AccountId account,
                                                                std::int64_t id) {
  return Run([&](Connection& c) -> Result<std::optional<domain::Webhook>> {
    return SelectWebhook(c, account, id);
  });
}

Result<domain::Webhook> SqliteStore::CreateWebhook(const domain::Webhook& webhook,
                                                   std::string_view secret, std::size_t max) {
  return Write([&](Connection& c) -> Result<domain::Webhook> {
    Statement count = c.Prepare(kCountWebhooks);
    count.Bind(1, webhook.account.value);
    count.Step();
    if (count.Int(0) >= static_cast<std::int64_t>(max)) {
      return std::unexpected(Error::Validation(
          {{"url", "an account has at most " + std::to_string(max) + " webhook endpoints"}}));
    }
    c.Prepare(kInsertWebhook)
        .Bind(1, webhook.account.value)
        .Bind(2, webhook.url)
        .Bind(3, JoinEvents(webhook.events))
        .BindOptional(4, webhook.description)
        .Bind(5, std::int64_t{webhook.enabled})
        .Bind(6, webhook.format)
        .Bind(7, secret)
        .Bind(8, webhook.created_at)
        .Bind(9, webhook.updated_at)
        .Run();
    domain::Webhook created = webhook;
    created.id = c.LastInsertId();
    return created;
  });
}

Result<std::optional<domain::Webhook>> SqliteStore::UpdateWebhook(
    AccountId account, std::int64_t id, const domain::WebhookChanges& changes) {
  return Write([&](Connection& c) -> Result<std::optional<domain::Webhook>> {
    std::optional<domain::Webhook> webhook = SelectWebhook(c, account, id);
    if (!webhook) return std::nullopt;
    if (auto fresh = changes.expected.Check(webhook->version, "webhook"); !fresh) {
      return std::unexpected(fresh.error());
    }
    bool restart = false;
    if (changes.url) webhook->url = *changes.url;
    if (changes.events) webhook->events = *changes.events;
    if (changes.description) webhook->description = *changes.description;
    if (changes.enabled) {
      // Enabling starts afresh: the reason it was stopped and its failing streak go.
      if (*changes.enabled) {
        webhook->disabled_reason.reset();
        restart = true;
      }
      webhook->enabled = *changes.enabled;
    }
    webhook->updated_at = changes.now;
    Statement update = c.Prepare(kUpdateWebhook);
    update.Bind(1, webhook->url)
        .Bind(2, JoinEvents(webhook->events))
        .BindOptional(3, webhook->description)
        .Bind(4, std::int64_t{webhook->enabled})
        .BindOptional(5, webhook->disabled_reason)
        .Bind(6, std::int64_t{restart});
    update.Bind(7, webhook->updated_at).Bind(8, account.value).Bind(9, id).Run();
    ++webhook->version;
    return webhook;
  });
}

Result<bool> SqliteStore::DeleteWebhook(AccountId account, std::int64_t id,
                                        const domain::VersionCheck& expected) {
  return Write([&](Connection& c) -> Result<bool> {
    std::optional<domain::Webhook> current = SelectWebhook(c, account, id);
    if (!current) return false;
    if (auto fresh = expected.Check(current->version, "webhook"); !fresh) {
      return std::unexpected(fresh.error());
    }
    c.Prepare(kDeleteWebhook).Bind(1, account.value).Bind(2, id).Run();
    if (c.Changes() == 0) return false;
    c.Prepare(kDeleteDeliveries).Bind(1, id).Run();
    c.Prepare(kDeleteAttempts).Bind(1, id).Run();
    return true;
  });
}

Result<std::optional<domain::Webhook>> SqliteStore::RotateWebhookSecret(
    AccountId account, std::int64_t id, std::string_view secret, std::int64_t now,
    std::int64_t previous_until) {
  return Write([&](Connection& c) -> Result<std::optional<domain::Webhook>> {
    c.Prepare(kRotateSecret)
        .Bind(1, previous_until)
        .Bind(2, secret)
        .Bind(3, now)
        .Bind(4, account.value)
        .Bind(5, id)
        .Run();
    if (c.Changes() == 0) return std::nullopt;
    return SelectWebhook(c, account, id);
  });
}

}  // namespace contactd::store::sqlite

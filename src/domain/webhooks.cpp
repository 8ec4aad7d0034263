#include "domain/webhooks.hpp"

#include <algorithm>

#include "domain/crypto.hpp"
#include "domain/events.hpp"
#include "domain/ssrf.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"
#include "store/store.hpp"

namespace contactd::domain {
namespace {

Result<void> RequireAdmin(const Principal& principal, Permission permission) {
  if (auto allowed = Authorize(principal, permission, "webhook"); !allowed) return allowed;
  if (principal.role != Role::kAdmin) {
    return std::unexpected(Error::Forbidden("Only admins may manage webhooks"));
  }
  if (permission == Permission::kRead) return {};
  // An endpoint receives contacts and companies: a token that directs deliveries must read both.
  if (auto contacts = Authorize(principal, Permission::kRead, "contact"); !contacts) {
    return contacts;
  }
  return Authorize(principal, Permission::kRead, "company");
}

// ["*"] or distinct known event types, 1 to 9 of them.
std::vector<std::string> ValidEvents(const Input<std::vector<std::string>>& input,
                                     std::string_view format, FieldErrors& errors) {
  std::vector<std::string> events;
  if (!input.value || input.value->empty()) {
    errors.Add("events", "events must be [\"*\"] or a non-empty array of event types");
    return events;
  }
  bool v1 = format == "v1";
  for (std::size_t i = 0; i < input.value->size(); ++i) {
    const std::string& type = (*input.value)[i];
    std::string path = "events[" + std::to_string(i) + "]";
    if (type == "*") {
      if (input.value->size() > 1) errors.Add(path, "\"*\" stands alone: it is every type");
      events = {"*"};
    } else if (v1 && std::find(kV1EventTypes.begin(), kV1EventTypes.end(), type) ==
                         kV1EventTypes.end()) {
      errors.Add(path, path + " must be one of seed 003's events (contact.created, "
                              "contact.updated, contact.deleted, contact.status_changed, "
                              "contact.primary_set) or \"*\" for a v1 endpoint");
    } else if (!IsEventType(type)) {
      errors.Add(path, path + " must be an event type (contact.created, contact.updated, "
                              "contact.deleted, contact.restored, contact.status_changed, "
                              "contact.primary_set, company.created, company.updated, "
                              "company.deleted) or \"*\"");
    } else if (std::find(events.begin(), events.end(), type) == events.end()) {
      events.push_back(type);
    }
  }
  // A v1 endpoint's "*" is every event of seed 003, not company events it has no shape for.
  if (v1 && events == std::vector<std::string>{"*"}) {
    events.assign(kV1EventTypes.begin(), kV1EventTypes.end());
  }
  return events;
}

std::optional<std::string> Description(const Input<std::string>& input, FieldErrors& errors) {
  if (!input.value) return std::nullopt;
  std::string text = CleanText("description", *input.value, errors);
  if (text.empty()) return std::nullopt;
  return text;
}

}  // namespace

std::string NewWebhookSecret() { return "whsec_" + Base64Encode(RandomBytes(32)); }

Result<std::vector<Webhook>> WebhookService::List(const Principal& principal) {
  if (auto allowed = RequireAdmin(principal, Permission::kRead); !allowed) {
    return std::unexpected(allowed.error());
  }
  return store_.ListWebhooks(principal.account);
}

Result<Webhook> WebhookService::Get(const Principal& principal, std::int64_t id) {
  if (auto allowed = RequireAdmin(principal, Permission::kRead); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto webhook = store_.FindWebhook(principal.account, id);
  if (!webhook) return std::unexpected(webhook.error());
  if (!*webhook) return std::unexpected(Error::NotFound("Webhook not found"));
  return std::move(**webhook);
}

Result<WebhookWithSecret> WebhookService::Create(const Principal& principal, WebhookInput input) {
  if (auto allowed = RequireAdmin(principal, Permission::kCreate); !allowed) {
    return std::unexpected(allowed.error());
  }
  // Before resolving anything: a full account costs no lookup.
  auto existing = store_.ListWebhooks(principal.account);
  if (!existing) return std::unexpected(existing.error());
  if (existing->size() >= kMaxWebhooksPerAccount) {
    return std::unexpected(Error::Validation(
        {{"url", "an account has at most 20 webhook endpoints"}}));
  }
  FieldErrors errors = std::move(input.errors);
  Webhook webhook;
  webhook.account = principal.account;
  if (!input.url.value) {
    errors.Add("url", "url is required");
  } else if (auto url = CheckPublicUrl(Trim(*input.url.value), "url", allow_private_); !url) {
    for (const FieldError& field : url.error().fields) errors.Add(field.field, field.message);
  } else {
    webhook.url = std::string(Trim(*input.url.value));
  }
  if (input.format.present) {
    if (!input.format.value || std::find(kWebhookFormats.begin(), kWebhookFormats.end(),
                                         *input.format.value) == kWebhookFormats.end()) {
      errors.Add("format", "format must be native or v1");
    } else {
      webhook.format = *input.format.value;
    }
  }
  if (!input.events.present) {
    errors.Add("events", "events is required: [\"*\"] or a list of event types");
  } else {
    webhook.events = ValidEvents(input.events, webhook.format, errors);
  }
  webhook.description = Description(input.description, errors);
  if (input.enabled.present) {
    if (!input.enabled.value) {
      errors.Add("enabled", "enabled must be true or false");
    } else {
      webhook.enabled = *input.enabled.value;
    }
  }
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  webhook.created_at = webhook.updated_at = NowSeconds();
  std::string secret = NewWebhookSecret();
  auto created = store_.CreateWebhook(webhook, secret, kMaxWebhooksPerAccount);
  if (!created) return std::unexpected(created.error());
  return WebhookWithSecret{std::move(*created), std::move(secret)};
}

Result<Webhook> WebhookService::Update(const Principal& principal, std::int64_t id,
                                       WebhookInput input) {
  if (auto allowed = RequireAdmin(principal, Permission::kUpdate); !allowed) {
    return std::unexpected(allowed.error());
  }
  FieldErrors errors = std::move(input.errors);
  WebhookChanges changes;
  if (input.url.present) {
    if (!input.url.value) {
      errors.Add("url", "url must be an http or https URL");
    } else if (auto url = CheckPublicUrl(Trim(*input.url.value), "url", allow_private_); !url) {
      for (const FieldError& field : url.error().fields) errors.Add(field.field, field.message);
    } else {
      changes.url = std::string(Trim(*input.url.value));
    }
  }
  if (input.events.present || input.format.present) {
    // Which events an endpoint may take depends on its format, which never changes (it may be
    // sent unchanged: an endpoint read can be sent back).
    auto current = store_.FindWebhook(principal.account, id);
    if (!current) return std::unexpected(current.error());
    if (!*current) return std::unexpected(Error::NotFound("Webhook not found"));
    if (input.format.present && input.format.value != (*current)->format) {
      errors.Add("format", "format cannot change: create another endpoint");
    }
    if (input.events.present) {
      changes.events = ValidEvents(input.events, (*current)->format, errors);
    }
  }
  if (input.description.present) changes.description = Description(input.description, errors);
  if (input.enabled.present) {
    if (!input.enabled.value) {
      errors.Add("enabled", "enabled must be true or false");
    } else {
      changes.enabled = *input.enabled.value;
    }
  }
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  changes.now = NowSeconds();
  changes.expected = std::move(input.expected);
  auto updated = store_.UpdateWebhook(principal.account, id, changes);
  if (!updated) return std::unexpected(updated.error());
  if (!*updated) return std::unexpected(Error::NotFound("Webhook not found"));
  return std::move(**updated);
}

Result<void> WebhookService::Delete(const Principal& principal, std::int64_t id,
                                    const VersionCheck& expected) {
  if (auto allowed = RequireAdmin(principal, Permission::kDelete); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto deleted = store_.DeleteWebhook(principal.account, id, expected);
  if (!deleted) return std::unexpected(deleted.error());
  if (!*deleted) return std::unexpected(Error::NotFound("Webhook not found"));
  return {};
}

Result<std::int64_t> WebhookService::Test(const Principal& principal, std::int64_t id) {
  if (auto allowed = RequireAdmin(principal, Permission::kUpdate); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto webhook = store_.FindWebhook(principal.account, id);
  if (!webhook) return std::unexpected(webhook.error());
  if (!*webhook) return std::unexpected(Error::NotFound("Webhook not found"));
  if (!(*webhook)->enabled) {
    return std::unexpected(
        Error::Conflict("The endpoint is disabled: enable it (PATCH enabled true) to ping it"));
  }
  auto queued = store_.QueuePing(principal.account, id, NowSeconds());
  if (!queued) return std::unexpected(queued.error());
  if (!*queued) return std::unexpected(Error::NotFound("Webhook not found"));
  return **queued;
}

Result<std::vector<DeliveryAttempt>> WebhookService::Deliveries(const Principal& principal,
                                                                std::int64_t id) {
  if (auto allowed = RequireAdmin(principal, Permission::kRead); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto attempts = store_.ListDeliveryAttempts(principal.account, id, 100);
  if (!attempts) return std::unexpected(attempts.error());
  if (!*attempts) return std::unexpected(Error::NotFound("Webhook not found"));
  return std::move(**attempts);
}

Result<std::int64_t> WebhookService::Redeliver(const Principal& principal,
                                               std::int64_t event_id) {
  if (auto allowed = RequireAdmin(principal, Permission::kUpdate); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto queued = store_.Redeliver(principal.account, event_id, NowSeconds());
  if (!queued) return std::unexpected(queued.error());
  if (!*queued) return std::unexpected(Error::NotFound("Event not found"));
  return **queued;
}

Result<WebhookWithSecret> WebhookService::RotateSecret(const Principal& principal,
                                                       std::int64_t id) {
  if (auto allowed = RequireAdmin(principal, Permission::kUpdate); !allowed) {
    return std::unexpected(allowed.error());
  }
  std::string secret = NewWebhookSecret();
  std::int64_t now = NowSeconds();
  auto rotated =
      store_.RotateWebhookSecret(principal.account, id, secret, now, now + kSecretOverlapSeconds);
  if (!rotated) return std::unexpected(rotated.error());
  if (!*rotated) return std::unexpected(Error::NotFound("Webhook not found"));
  return WebhookWithSecret{std::move(**rotated), std::move(secret)};
}

}  // namespace contactd::domain

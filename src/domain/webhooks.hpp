#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/access.hpp"
#include "domain/contact.hpp"
#include "domain/error.hpp"
#include "domain/events.hpp"
#include "domain/ids.hpp"
#include "domain/precondition.hpp"

namespace contactd::store {
class Store;
}

namespace contactd::domain {

// The payload shapes an endpoint may take: the native API's, or seed 003's ({event, timestamp,
// data: {id, organizationId, name, email, parentEntityId, status}}, contact events only).
inline constexpr std::array<std::string_view, 2> kWebhookFormats = {"native", "v1"};
// The events seed 003 documents, which "*" means for a v1 endpoint.
inline constexpr std::array<std::string_view, 5> kV1EventTypes = {
    "contact.created", "contact.updated", "contact.deleted", "contact.status_changed",
    "contact.primary_set"};

// An account's endpoint that receives its events (Standard Webhooks), as it may be shown: never
// its secret, which exists only in the answers that create or rotate it.
struct Webhook {
  std::int64_t id = 0;
  AccountId account;
  std::string url;
  std::vector<std::string> events;  // event types, or "*" alone: every type
  std::optional<std::string> description;
  bool enabled = true;
  std::optional<std::string> disabled_reason;  // why delivery stopped it (410, failing 3 days)
  std::string format = "native";  // the payload's shape: kWebhookFormats
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t version = 1;  // one more on each change (ETag, If-Match)
};

struct WebhookChanges {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> events;
  std::optional<std::optional<std::string>> description;
  std::optional<bool> enabled;  // true also clears disabled_reason
  VersionCheck expected;        // checked on the stored endpoint inside the write
  std::int64_t now = 0;
};

// The body of POST / PATCH /webhooks.
struct WebhookInput {
  Input<std::string> url;
  Input<std::vector<std::string>> events;
  Input<std::string> description;
  Input<bool> enabled;
  Input<std::string> format;  // creates only: a format never changes
  VersionCheck expected;  // updates: the versions the change applies to (If-Match, `version`)
  FieldErrors errors;
};

struct WebhookWithSecret {
  Webhook webhook;
  std::string secret;  // "whsec_" + base64 of 32 random bytes
};

// A delivery the worker is to make now: an event (or a ping) for one endpoint.
struct DueDelivery {
  std::int64_t id = 0;
  std::string kind;  // "event" or "ping"
  int attempts = 0;  // made before this one
  Webhook webhook;
  std::vector<std::string> secrets;  // the current one first, then a rotated-out one still valid
  std::optional<Event> event;        // kind "event"; none when the event expired meanwhile
  std::int64_t created_at = 0;       // unix seconds
  std::optional<std::int64_t> failing_since_ms;  // the endpoint's first failure since a success
  // What formats naming objects by uid need (v1 only): the account's, the event's contact's and
  // its company's.
  std::string account_uid;
  std::optional<std::string> subject_uid;
  std::optional<std::string> company_uid;
};

// A delivery the worker is making.
struct DeliveryInFlight {
  std::int64_t webhook_id = 0;
  std::int64_t delivery_id = 0;
};

// One attempt of a delivery, as GET /webhooks/{id}/deliveries lists it.
struct DeliveryAttempt {
  std::int64_t delivery_id = 0;
  std::int64_t webhook_id = 0;
  std::int64_t event_id = 0;  // 0: a ping
  std::int64_t attempted_at_ms = 0;
  std::optional<int> status_code;  // none: no answer (refused, timeout, connection error)
  std::int64_t duration_ms = 0;
  std::optional<std::string> error;
};

// What an attempt leads to.
struct AttemptOutcome {
  DeliveryAttempt attempt;
  bool attempted = true;  // false: given up without sending (the event is kept no more)
  std::int64_t streak_broken_before_ms = 0;  // a last failure before this ends a failing streak
  bool delivered = false;
  std::optional<std::int64_t> retry_at_ms;     // none and not delivered: given up
  std::optional<std::string> disable_reason;   // the endpoint stops (410, failing 3 days)
  std::int64_t now_ms = 0;                     // unix milliseconds
};

inline constexpr std::size_t kMaxWebhooksPerAccount = 20;
// How long a rotated-out secret still signs deliveries (beside the new one).
inline constexpr std::int64_t kSecretOverlapSeconds = 24 * 3600;

// A new signing secret: "whsec_" + base64 of 32 random bytes.
std::string NewWebhookSecret();

// The account's webhook endpoints: admins only. Thread-safe if the store is.
class WebhookService {
 public:
  // `allow_private`: endpoints may be on loopback or private networks (tests, private
  // deployments); otherwise their host must resolve to public addresses only.
  WebhookService(store::Store& store, bool allow_private)
      : store_(store), allow_private_(allow_private) {}

  Result<std::vector<Webhook>> List(const Principal& principal);
  Result<Webhook> Get(const Principal& principal, std::int64_t id);
  // url and events are required; 422 naming url when it is not http(s) or its host resolves to
  // an internal address. At most kMaxWebhooksPerAccount.
  Result<WebhookWithSecret> Create(const Principal& principal, WebhookInput input);
  Result<Webhook> Update(const Principal& principal, std::int64_t id, WebhookInput input);
  Result<void> Delete(const Principal& principal, std::int64_t id,
                      const VersionCheck& expected = {});
  // A new secret; the old one keeps signing (beside it) for kSecretOverlapSeconds.
  Result<WebhookWithSecret> RotateSecret(const Principal& principal, std::int64_t id);
  // Queues a ping to the endpoint (delivered as soon as the worker can); returns its delivery id.
  Result<std::int64_t> Test(const Principal& principal, std::int64_t id);
  // The endpoint's latest delivery attempts, newest first (at most 100).
  Result<std::vector<DeliveryAttempt>> Deliveries(const Principal& principal, std::int64_t id);
  // Queues the event again to every enabled endpoint of the account that takes its type;
  // returns how many.
  Result<std::int64_t> Redeliver(const Principal& principal, std::int64_t event_id);

  bool allow_private() const { return allow_private_; }

 private:
  store::Store& store_;
  const bool allow_private_;
};

}  // namespace contactd::domain

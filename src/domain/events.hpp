#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/access.hpp"
#include "domain/company.hpp"
#include "domain/contact.hpp"
#include "domain/error.hpp"
#include "domain/ids.hpp"

namespace contactd::store {
class Store;
template <class T>
struct Page;
}  // namespace contactd::store

namespace contactd::domain {

// What a change is, as its event says (seed 003's names, and the peers' restore and company ones).
inline constexpr std::array<std::string_view, 9> kEventTypes = {
    "contact.created",        "contact.updated",     "contact.deleted",
    "contact.restored",       "contact.status_changed", "contact.primary_set",
    "company.created",        "company.updated",     "company.deleted",
};

bool IsEventType(std::string_view type);

// One change, written in the same transaction as the change itself (the outbox). `contact` or
// `company` holds the object after the change (none: the object was erased, its id only), and for
// an update `previous_*` the object before it.
struct Event {
  std::int64_t id = 0;  // increasing: the feed's order
  AccountId account;
  std::string type;
  std::int64_t created_at = 0;  // unix seconds, UTC
  std::int64_t subject_id = 0;  // the contact's or the company's id
  std::optional<Contact> contact;
  std::optional<Contact> previous_contact;
  std::optional<Company> company;
  std::optional<Company> previous_company;
};

// The public id of an event: "evt_<id>", the same in the feed and in a webhook's webhook-id.
std::string EventPublicId(std::int64_t id);

// How long events are kept by default.
inline constexpr std::int64_t kDefaultEventRetentionSeconds = 30 * 24 * 3600;
// How many events one feed read scans at most (a restricted user's page may hold fewer than its
// limit: it goes on from next_cursor).
inline constexpr std::size_t kMaxEventsScanned = 2000;

// A page of the feed.
struct EventPage {
  std::vector<Event> items;
  std::int64_t last_id = 0;  // where the next page starts (the cursor)
  bool has_more = false;
  bool gone = false;  // events after the cursor were purged
};

struct EventQuery {
  std::int64_t after_id = 0;  // from the cursor; 0: from the oldest kept
  std::vector<std::string> types;  // empty: every type
  int limit = 50;
};

// The change feed: every change of the account, oldest first, within the caller's visibility.
class EventService {
 public:
  explicit EventService(store::Store& store) : store_(store) {}

  // kGone when events after `after_id` were purged already (the client must resync). Contact
  // events need contact reads, company events company reads: a token scoped to one sees its
  // types only.
  Result<EventPage> List(const Principal& principal, EventQuery query);
  // Erases events older than `retention_seconds`; returns how many.
  Result<std::int64_t> PurgeExpired(std::int64_t retention_seconds);

 private:
  store::Store& store_;
};

}  // namespace contactd::domain

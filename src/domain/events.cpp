#include "domain/events.hpp"

#include <algorithm>

#include "domain/time.hpp"
#include "store/store.hpp"

namespace contactd::domain {

bool IsEventType(std::string_view type) {
  return std::find(kEventTypes.begin(), kEventTypes.end(), type) != kEventTypes.end();
}

std::string EventPublicId(std::int64_t id) { return "evt_" + std::to_string(id); }

Result<EventPage> EventService::List(const Principal& principal, const EventQuery& query) {
  if (auto allowed = Authorize(principal, Permission::kRead, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  for (const std::string& type : query.types) {
    if (!IsEventType(type)) {
      std::string message = "types holds an unknown event type '" + type + "'";
      return std::unexpected(Error::BadRequest(message, {{"types", message}}));
    }
  }
  if (query.after_id > 0) {
    auto purged = store_.PurgedEventsThrough();
    if (!purged) return std::unexpected(purged.error());
    if (query.after_id < *purged) {
      return std::unexpected(Error{ErrorCode::kGone,
                                   "Events after this cursor were erased (events are kept for a "
                                   "limited time): read the contacts again and start a new feed "
                                   "without a cursor",
                                   {}});
    }
  }
  return store_.ListEvents(ScopeOf(principal), query, kMaxEventsScanned);
}

Result<std::int64_t> EventService::PurgeExpired(std::int64_t retention_seconds) {
  return store_.PurgeEvents(NowSeconds() - retention_seconds);
}

}  // namespace contactd::domain

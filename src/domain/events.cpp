#include "domain/events.hpp"

#include <algorithm>

#include "domain/time.hpp"
#include "store/store.hpp"

namespace contactd::domain {

bool IsEventType(std::string_view type) {
  return std::find(kEventTypes.begin(), kEventTypes.end(), type) != kEventTypes.end();
}

std::string EventPublicId(std::int64_t id) { return "evt_" + std::to_string(id); }

Result<EventPage> EventService::List(const Principal& principal, EventQuery query) {
  // Contact events need contact reads, company events company reads (a scoped token may have
  // either): the feed holds the types the caller may read.
  auto contacts = Authorize(principal, Permission::kRead, "contact");
  auto companies = Authorize(principal, Permission::kRead, "company");
  if (!contacts && !companies) return std::unexpected(contacts.error());
  for (const std::string& type : query.types) {
    if (!IsEventType(type)) {
      std::string message = "types holds an unknown event type '" + type + "'";
      return std::unexpected(Error::BadRequest(message, {{"types", message}}));
    }
  }
  if (!contacts || !companies) {
    std::vector<std::string> readable;
    std::string_view prefix = contacts ? "contact." : "company.";
    for (std::string_view type : kEventTypes) {
      bool asked = query.types.empty() ||
                   std::find(query.types.begin(), query.types.end(), type) != query.types.end();
      if (asked && type.starts_with(prefix)) readable.emplace_back(type);
    }
    if (readable.empty()) return std::unexpected((contacts ? companies : contacts).error());
    query.types = std::move(readable);
  }
  auto page = store_.ListEvents(ScopeOf(principal), query, kMaxEventsScanned);
  if (page && page->gone) {
    return std::unexpected(Error{ErrorCode::kGone,
                                 "Events after this cursor were erased (events are kept for a "
                                 "limited time): read the contacts again and start a new feed "
                                 "without a cursor",
                                 {}});
  }
  return page;
}

Result<std::int64_t> EventService::PurgeExpired(std::int64_t retention_seconds) {
  return store_.PurgeEvents(NowSeconds() - retention_seconds);
}

}  // namespace contactd::domain

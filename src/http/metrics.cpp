#include "http/metrics.hpp"

namespace contactd::http {
namespace {

constexpr std::size_t kOther = RouteMetrics::kStatuses.size();

// Status code → slot, for every code a response can carry.
constexpr auto kSlots = [] {
  std::array<std::uint8_t, 600> slots{};
  slots.fill(static_cast<std::uint8_t>(kOther));
  for (std::size_t i = 0; i < RouteMetrics::kStatuses.size(); ++i) {
    slots[RouteMetrics::kStatuses[i]] = static_cast<std::uint8_t>(i);
  }
  return slots;
}();

constexpr std::array<std::string_view, RouteMetrics::kStatuses.size()> kLabels = {
    "200", "201", "202", "204", "301", "304", "400", "401", "403", "404", "405", "406",
    "409", "410", "412", "413", "414", "415", "422", "429", "431", "500", "503"};

}  // namespace

std::size_t RouteMetrics::SlotOf(unsigned status) {
  return status < kSlots.size() ? kSlots[status] : kOther;
}

std::string_view RouteMetrics::StatusLabel(std::size_t slot) { return kLabels[slot]; }

ServerStats& Stats() {
  static ServerStats stats;
  return stats;
}

}  // namespace contactd::http

#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "metrics/metrics.hpp"

namespace contactd::http {

// The requests one route (or a surface's unrouted paths) answered: a latency histogram per
// status, whose count is the number of requests.
class RouteMetrics {
 public:
  // The statuses counted apart; any other counts as "other".
  static constexpr std::array<unsigned, 23> kStatuses = {200, 201, 202, 204, 301, 304, 400, 401,
                                                         403, 404, 405, 406, 409, 410, 412, 413,
                                                         414, 415, 422, 429, 431, 500, 503};

  void Record(unsigned status, double seconds) { cells_[SlotOf(status)].Observe(seconds); }

  // Calls `visit(status_label, histogram)` for each status that has requests.
  template <class Visit>
  void ForEachStatus(Visit&& visit) const {
    for (std::size_t slot = 0; slot < cells_.size(); ++slot) {
      const metrics::Histogram& cell = cells_[slot];
      std::uint64_t count = 0;
      for (std::size_t i = 0; i <= cell.bounds().size(); ++i) count += cell.BucketCount(i);
      if (count == 0) continue;
      visit(slot < kStatuses.size() ? StatusLabel(slot) : std::string_view("other"), cell, count);
    }
  }

 private:
  static std::size_t SlotOf(unsigned status);
  static std::string_view StatusLabel(std::size_t slot);
  std::array<metrics::Histogram, kStatuses.size() + 1> cells_;
};

// What the server counts about its connections and refusals.
struct ServerStats {
  metrics::Gauge connections_open;
  metrics::Gauge requests_in_flight;
  metrics::Counter connections_refused;   // past the connection cap: 503 and closed
  metrics::Counter responses_cut;         // streamed bodies ended early (a failed read, shutdown)
  metrics::Counter rate_limited_account;  // 429: the account's request limits
  metrics::Counter rate_limited_auth;     // 429: too many failed authentications
};

// The process's one ServerStats.
ServerStats& Stats();

}  // namespace contactd::http

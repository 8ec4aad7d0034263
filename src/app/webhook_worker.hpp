#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <cstdint>
#include <stop_token>
#include <thread>

namespace contactd::store {
class Store;
}

namespace contactd::domain {
struct AttemptOutcome;
}

namespace contactd::app {

struct Transfer;

struct WebhookWorkerOptions {
  // Endpoints may be on loopback or private networks; otherwise the address actually connected to
  // is checked at every delivery (so that a name re-pointed after registration is refused).
  bool allow_private = false;
  // Multiplies every retry delay (tests: 0.001).
  double retry_scale = 1.0;
  // Transfers in flight at once, and for one endpoint (one while it is failing: a dead endpoint
  // holds one transfer for up to 10 s).
  int max_in_flight = 256;
  int per_endpoint = 8;
};

// Counts of what the worker did since it started (the metrics issue exposes them).
struct WebhookCounters {
  std::atomic<std::int64_t> attempts{0};
  std::atomic<std::int64_t> delivered{0};
  std::atomic<std::int64_t> failed_attempts{0};
  std::atomic<std::int64_t> disabled{0};

  // Attempts and failed attempts by endpoint (webhook id), for /metrics.
  struct Endpoint {
    std::int64_t attempts = 0;
    std::int64_t failures = 0;
  };
  std::map<std::int64_t, Endpoint> ByEndpoint() const {
    std::lock_guard lock(mu);
    return by_endpoint;
  }
  mutable std::mutex mu;
  std::map<std::int64_t, Endpoint> by_endpoint;  // guarded by mu
};

// Delivers webhooks on a thread of its own (never an I/O thread): reads the outbox into
// deliveries, sends the due ones with libcurl, many at once (a few per endpoint, so that a slow or
// dead endpoint delays only itself), signs them as Standard Webhooks does and retries with
// backoff. At least once: a delivery is marked done only after its 2xx.
class WebhookWorker {
 public:
  WebhookWorker(store::Store& store, WebhookWorkerOptions options);
  ~WebhookWorker();  // stops the thread; transfers in flight are abandoned (and sent again later)
  WebhookWorker(const WebhookWorker&) = delete;
  WebhookWorker& operator=(const WebhookWorker&) = delete;

  const WebhookCounters& counters() const { return counters_; }

 private:
  void Run(std::stop_token stop);
  // Starts the due deliveries there is room for.
  void StartDue(void* multi, std::map<std::int64_t, std::unique_ptr<Transfer>>& in_flight);
  // Counts the attempts and records them in one write.
  void Record(const std::vector<domain::AttemptOutcome>& outcomes);

  store::Store& store_;
  const WebhookWorkerOptions options_;
  WebhookCounters counters_;
  std::jthread thread_;
};

// The delay before the attempt after `attempts` failed ones (5 s, 5 min, 30 min, 2 h, 5 h, then
// 10 h), in milliseconds, scaled, with ±10% jitter; nullopt once the schedule is over (about 3
// days).
std::optional<std::int64_t> RetryDelayMs(int attempts, double scale);

// "v1,<base64 HMAC-SHA256 of {id}.{timestamp}.{body}>" for each secret ("whsec_" + base64 key),
// space-separated (Standard Webhooks).
std::string WebhookSignature(const std::vector<std::string>& secrets, std::string_view id,
                             std::int64_t timestamp, std::string_view body);

}  // namespace contactd::app

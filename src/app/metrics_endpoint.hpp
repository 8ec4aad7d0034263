#pragma once

#include <optional>
#include <string>

namespace contactd::http {
class Router;
}
namespace contactd::store {
class Store;
}

namespace contactd::app {

struct WebhookCounters;

// Where /metrics reads from: references to objects that app/serve owns and that outlive the
// server.
struct MetricsSources {
  const http::Router& router;       // each route's requests
  const WebhookCounters& webhooks;  // delivery attempts by endpoint
  store::Store& store;              // the outbox backlog
};

// Every metric, in the Prometheus text exposition format (0.0.4): requests by surface, route
// template, method and status with their latency; connections and requests in flight;
// refusals; the SQLite store's pool, writers' queue, commit groups and commit time; cache hits;
// the webhook outbox and deliveries by endpoint; the process's CPU, memory, descriptors and
// start time.
std::string RenderMetrics(const MetricsSources& sources);

// Registers GET /metrics. With a token, a request must carry `Authorization: Bearer <token>`;
// without one, only clients on loopback (a local agent or sidecar) are answered.
void AddMetricsRoute(http::Router& router, const MetricsSources& sources,
                     std::optional<std::string> token);

}  // namespace contactd::app

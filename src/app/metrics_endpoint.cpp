#include "app/metrics_endpoint.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string_view>
#include <vector>

#include "api/native/codec.hpp"
#include "app/webhook_worker.hpp"
#include "domain/crypto.hpp"
#include "domain/error.hpp"
#include "http/auth.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "metrics/metrics.hpp"
#include "store/sqlite/stats.hpp"
#include "store/store.hpp"

namespace contactd::app {
namespace {

using metrics::Exposition;

void RenderRequests(Exposition& out, const http::Router& router) {
  out.Family("contactd_http_requests_total", "counter",
             "HTTP requests answered, by API surface, route template, method and status.");
  router.ForEachMetrics([&](std::string_view surface, std::string_view route,
                            std::string_view method, const http::RouteMetrics& metrics) {
    metrics.ForEachStatus(
        [&](std::string_view status, const metrics::Histogram&, std::uint64_t count) {
          out.Sample("contactd_http_requests_total",
                     {{"surface", surface},
                      {"route", route},
                      {"method", method.empty() ? "*" : method},
                      {"status", status}},
                     static_cast<double>(count));
        });
  });
  out.Family("contactd_http_request_duration_seconds", "histogram",
             "Time from reading a request to having its answer (for a streamed body, its first "
             "piece), by API surface, route template, method and status.");
  router.ForEachMetrics([&](std::string_view surface, std::string_view route,
                            std::string_view method, const http::RouteMetrics& metrics) {
    metrics.ForEachStatus(
        [&](std::string_view status, const metrics::Histogram& histogram, std::uint64_t) {
          out.HistogramSamples("contactd_http_request_duration_seconds",
                               {{"surface", surface},
                                {"route", route},
                                {"method", method.empty() ? "*" : method},
                                {"status", status}},
                               histogram);
        });
  });
}

void RenderServer(Exposition& out) {
  const http::ServerStats& server = http::Stats();
  out.Family("contactd_http_requests_in_flight", "gauge", "Requests being handled or answered.");
  out.Sample("contactd_http_requests_in_flight", {},
             static_cast<double>(server.requests_in_flight.Value()));
  out.Family("contactd_http_connections_open", "gauge", "Open client connections.");
  out.Sample("contactd_http_connections_open", {},
             static_cast<double>(server.connections_open.Value()));
  out.Family("contactd_http_connections_refused_total", "counter",
             "Connections answered 503 and closed because too many were open.");
  out.Sample("contactd_http_connections_refused_total", {},
             static_cast<double>(server.connections_refused.Value()));
  out.Family("contactd_http_responses_cut_total", "counter",
             "Streamed bodies (exports) ended before they were complete: a failed read, or the "
             "server stopping. Their requests count with the status they began with.");
  out.Sample("contactd_http_responses_cut_total", {},
             static_cast<double>(server.responses_cut.Value()));
  out.Family("contactd_rate_limit_rejections_total", "counter",
             "Requests refused with 429: over the account's request limits, or from an address "
             "that failed to authenticate too often.");
  out.Sample("contactd_rate_limit_rejections_total", {{"reason", "account_limit"}},
             static_cast<double>(server.rate_limited_account.Value()));
  out.Sample("contactd_rate_limit_rejections_total", {{"reason", "auth_failures"}},
             static_cast<double>(server.rate_limited_auth.Value()));
}

void RenderStore(Exposition& out) {
  const store::sqlite::SqliteStats& sqlite = store::sqlite::Stats();
  out.Family("contactd_sqlite_connections_acquired_total", "counter",
             "SQLite connections taken from the pool.");
  out.Sample("contactd_sqlite_connections_acquired_total", {},
             static_cast<double>(sqlite.connections_acquired.Value()));
  out.Family("contactd_sqlite_connections_opened_total", "counter",
             "SQLite connections opened because none was idle in the pool.");
  out.Sample("contactd_sqlite_connections_opened_total", {},
             static_cast<double>(sqlite.connections_opened.Value()));
  out.Family("contactd_sqlite_write_wait_seconds", "histogram",
             "Time a write waits in the writers' queue before its group begins to commit.");
  out.HistogramSamples("contactd_sqlite_write_wait_seconds", {}, sqlite.write_wait_seconds);
  out.Family("contactd_sqlite_commit_group_writes", "histogram",
             "Writes committed together by one COMMIT (group commit).");
  out.HistogramSamples("contactd_sqlite_commit_group_writes", {}, sqlite.commit_group_writes);
  out.Family("contactd_sqlite_commit_duration_seconds", "histogram",
             "Time of a group's COMMIT, which writes the WAL and waits for its fsync.");
  out.HistogramSamples("contactd_sqlite_commit_duration_seconds", {}, sqlite.commit_seconds);
  out.Family("contactd_cache_requests_total", "counter",
             "Cache look-ups by cache and result: prepared statements of list queries, and list "
             "totals kept until the database changes.");
  for (auto [cache, hits, misses] :
       {std::tuple{"statement", &sqlite.statement_cache_hits, &sqlite.statement_cache_misses},
        std::tuple{"list_total", &sqlite.total_cache_hits, &sqlite.total_cache_misses}}) {
    out.Sample("contactd_cache_requests_total", {{"cache", cache}, {"result", "hit"}},
               static_cast<double>(hits->Value()));
    out.Sample("contactd_cache_requests_total", {{"cache", cache}, {"result", "miss"}},
               static_cast<double>(misses->Value()));
  }
}

void RenderWebhooks(Exposition& out, const MetricsSources& sources) {
  auto backlog = sources.store.DeliveryBacklog();
  out.Family("contactd_webhook_outbox_backlog", "gauge",
             "Webhook deliveries waiting to be sent or retried, every account's.");
  out.Sample("contactd_webhook_outbox_backlog", {},
             backlog ? static_cast<double>(*backlog) : std::nan(""));
  auto endpoints = sources.webhooks.ByEndpoint();
  out.Family("contactd_webhook_delivery_attempts_total", "counter",
             "Webhook delivery attempts, by endpoint (webhook id).");
  for (const auto& [webhook, counts] : endpoints) {
    std::string id = std::to_string(webhook);
    out.Sample("contactd_webhook_delivery_attempts_total", {{"webhook_id", id}},
               static_cast<double>(counts.attempts));
  }
  out.Family("contactd_webhook_delivery_failures_total", "counter",
             "Webhook delivery attempts that failed (no 2xx answer), by endpoint (webhook id).");
  for (const auto& [webhook, counts] : endpoints) {
    std::string id = std::to_string(webhook);
    out.Sample("contactd_webhook_delivery_failures_total", {{"webhook_id", id}},
               static_cast<double>(counts.failures));
  }
}

// The process's standard metrics, read from /proc/self.
void RenderProcess(Exposition& out) {
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  // The fields after the command name, which is in parentheses and may hold spaces.
  std::vector<std::string> fields;
  if (auto close = stat.rfind(')'); close != std::string::npos) {
    std::istringstream rest(stat.substr(close + 2));
    for (std::string field; rest >> field;) fields.push_back(field);
  }
  // Fields from the state (3rd of the line, index 0 here): utime 14, stime 15, starttime 22,
  // vsize 23, rss 24 in proc(5)'s numbering.
  auto field = [&](std::size_t number) {
    return number - 3 < fields.size() ? std::stod(fields[number - 3]) : 0.0;
  };
  double boot_time = 0;
  std::ifstream proc_stat("/proc/stat");
  for (std::string line; std::getline(proc_stat, line);) {
    if (line.starts_with("btime ")) boot_time = std::stod(line.substr(6));
  }
  std::error_code ec;
  double open_fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++open_fds;
  }
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);

  out.Family("process_cpu_seconds_total", "counter", "User and system CPU time spent.");
  out.Sample("process_cpu_seconds_total", {}, (field(14) + field(15)) / ticks);
  out.Family("process_resident_memory_bytes", "gauge", "Resident memory size.");
  out.Sample("process_resident_memory_bytes", {}, field(24) * page);
  out.Family("process_virtual_memory_bytes", "gauge", "Virtual memory size.");
  out.Sample("process_virtual_memory_bytes", {}, field(23));
  out.Family("process_start_time_seconds", "gauge",
             "Start time of the process since the Unix epoch.");
  out.Sample("process_start_time_seconds", {}, boot_time + field(22) / ticks);
  out.Family("process_open_fds", "gauge", "Open file descriptors.");
  out.Sample("process_open_fds", {}, open_fds);
  out.Family("process_max_fds", "gauge", "Limit on open file descriptors.");
  out.Sample("process_max_fds", {}, static_cast<double>(limit.rlim_cur));
}

}  // namespace

std::string RenderMetrics(const MetricsSources& sources) {
  std::string text;
  text.reserve(64 * 1024);
  Exposition out(text);
  RenderRequests(out, sources.router);
  RenderServer(out);
  RenderStore(out);
  RenderWebhooks(out, sources);
  RenderProcess(out);
  return text;
}

void AddMetricsRoute(http::Router& router, const MetricsSources& sources,
                     std::optional<std::string> token) {
  auto handler = [sources, token = std::move(token)](const http::Request& request,
                                                     http::RequestContext& context) {
    if (token) {
      // Compared in constant time; a token long and random enough cannot be guessed by trying.
      if (!domain::ConstantTimeEquals(http::BearerToken(request.authorization), *token)) {
        return api::native::RenderError(context, domain::Error::Unauthorized());
      }
    } else if (!request.peer_is_loopback) {
      return api::native::RenderError(
          context, domain::Error::Forbidden("/metrics answers clients on this host only; set "
                                            "--metrics-token to scrape it from elsewhere"));
    }
    http::Response response;
    response.body = RenderMetrics(sources);
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return response;
  };
  router.SetSurface("system");
  router.Add("GET", "/metrics", handler, api::native::RenderError,
             {.authenticated = false, .permission = {}, .resource = {}, .bounded_read = false});
}

}  // namespace contactd::app

#include "app/serve.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <stop_token>
#include <thread>

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include "api/docs/routes.hpp"
#include "api/leadconnector/routes.hpp"
#include "api/liondesk/routes.hpp"
#include "api/native/routes.hpp"
#include "api/v1/routes.hpp"
#include "domain/accounts.hpp"
#include "domain/companies.hpp"
#include "domain/contacts.hpp"
#include "domain/cursor.hpp"
#include "domain/account_lists.hpp"
#include "domain/custom_fields.hpp"
#include "domain/events.hpp"
#include "domain/idempotency.hpp"
#include "domain/rate_limit.hpp"
#include "domain/settings.hpp"
#include "domain/time.hpp"
#include "domain/users.hpp"
#include "domain/webhooks.hpp"
#include "app/metrics_endpoint.hpp"
#include "app/webhook_worker.hpp"
#include "http/middleware.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace contactd::app {
namespace {

// The host part of a URL that reaches the server: a wildcard address is reached on loopback.
std::string UrlHost(const std::string& host) {
  if (host == "0.0.0.0" || host.empty()) return "127.0.0.1";
  if (host == "::") return "[::1]";
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// On the very first start there is nobody to log in as: make a demo account and show its admin
// token once. Later starts find the account and print nothing.
void CreateDemoAccountIfEmpty(store::Store& store, domain::AccountService& accounts) {
  auto count = store.CountAccounts();
  if (!count) throw std::runtime_error(count.error().message);
  if (*count > 0) return;
  auto account = accounts.CreateAccount("Demo");
  if (!account) throw std::runtime_error(account.error().message);
  auto token = accounts.CreateToken(account->id, domain::Role::kAdmin);
  if (!token) throw std::runtime_error(token.error().message);
  fmt::print(
      "\nCreated demo account {} with an admin token. It is shown only this once:\n\n"
      "    {}\n\n",
      account->id.value, *token);
  std::fflush(stdout);
}

// Erases deleted contacts whose restore window has passed, events past their retention and
// idempotency keys past theirs: at start, then every hour, until destroyed.
class Purger {
 public:
  Purger(domain::ContactService& contacts, domain::EventService& events,
         domain::IdempotencyService& idempotency, std::int64_t event_retention_seconds)
      : thread_([&contacts, &events, &idempotency, event_retention_seconds](
                    std::stop_token stop) {
          std::mutex mu;
          std::condition_variable_any wake;
          while (!stop.stop_requested()) {
            auto purged = contacts.PurgeExpired();
            if (!purged) {
              spdlog::warn("purging deleted contacts failed: {}", purged.error().message);
            } else if (*purged > 0) {
              spdlog::info("erased {} deleted contacts past their restore window", *purged);
            }
            auto expired = events.PurgeExpired(event_retention_seconds);
            if (!expired) {
              spdlog::warn("purging old events failed: {}", expired.error().message);
            } else if (*expired > 0) {
              spdlog::info("erased {} events past their retention", *expired);
            }
            auto keys = idempotency.PurgeExpired(domain::NowMilliseconds());
            if (!keys) {
              spdlog::warn("purging old idempotency keys failed: {}", keys.error().message);
            }
            std::unique_lock lock(mu);
            wake.wait_for(lock, stop, std::chrono::hours(1), [] { return false; });
          }
        }) {}

 private:
  std::jthread thread_;
};

}  // namespace

int Serve(const ServeConfig& config) {
  store::sqlite::SqliteStore store(config.sqlite);
  auto jwt = domain::JwtVerifier::Create(config.jwt);
  if (!jwt) throw std::runtime_error("JWT settings: " + jwt.error().message);
  if (config.jwt.jwks && !config.jwt.audience) {
    spdlog::warn("JWTs are accepted without --jwt-audience: a token the identity provider issued "
                 "for another application is accepted too");
  }
  domain::AccountService accounts(store, &*jwt);
  CreateDemoAccountIfEmpty(store, accounts);

  auto secret = store.CursorSecret();
  if (!secret) throw std::runtime_error(secret.error().message);
  const domain::CursorCodec cursors(*secret);
  // The feed's cursors are signed apart: a list's cursor is no place in the feed.
  const domain::CursorCodec event_cursors(*secret + ":events");
  domain::ContactService contacts(store);
  domain::CompanyService companies(store);
  domain::SettingsService settings(store);
  domain::CustomFieldService custom_fields(store);
  domain::AccountListService lists(store);
  domain::UserService users(store);
  domain::EventService events(store);
  domain::WebhookService webhooks(store, config.webhook_allow_private);

  domain::IdempotencyService idempotency(store);
  Purger purger(contacts, events, idempotency, config.event_retention_seconds);
  WebhookWorker webhook_worker(store, {.allow_private = config.webhook_allow_private,
                                       .retry_scale = config.webhook_retry_scale});

  http::Router router;
  api::native::AddRoutes(
      router,
      {contacts, companies, settings, custom_fields, lists, users, events, webhooks, cursors,
       event_cursors, store});
  api::v1::AddRoutes(router, {contacts, companies, cursors});
  api::liondesk::AddRoutes(router, {contacts, cursors});
  api::leadconnector::AddRoutes(router, {contacts, cursors});
  api::docs::AddRoutes(router);
  AddMetricsRoute(router, {router, webhook_worker.counters(), store}, config.metrics_token);
  domain::RateLimiter limiter(store, config.rates, config.auth_failure_limit);
  http::Pipeline pipeline(router, accounts, limiter, idempotency);
  http::Server server(config.server, pipeline);
  server.Run([&](std::uint16_t port) {
    spdlog::info("contactd listening on {}:{} (database {})", config.server.host, port,
                 config.sqlite.path);
    std::string base = fmt::format("http://{}:{}", UrlHost(config.server.host), port);
    spdlog::info("API reference: {}/docs; OpenAPI documents: {}/openapi/{{native,v1,liondesk,"
                 "leadconnector}}.json; Prometheus metrics: {}/metrics",
                 base, base, base);
  });
  spdlog::info("contactd stopped");
  return 0;
}

}  // namespace contactd::app

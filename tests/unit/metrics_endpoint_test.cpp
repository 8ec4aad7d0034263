#include "app/metrics_endpoint.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <variant>

#include "app/webhook_worker.hpp"
#include "domain/crypto.hpp"
#include "http/router.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace contactd::app {
namespace {

// GET /metrics through its route, as the pipeline runs it.
class MetricsRouteTest : public ::testing::Test {
 protected:
  MetricsRouteTest()
      : dir_(std::filesystem::temp_directory_path() / ("contactd-test-" + domain::NewUuidV4())) {
    std::filesystem::create_directories(dir_);
    store_.emplace(store::sqlite::SqliteOptions{.path = (dir_ / "m.db").string()});
  }
  ~MetricsRouteTest() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  http::Response Get(std::optional<std::string> token, bool loopback,
                     std::string authorization = "") {
    http::Router router;
    AddMetricsRoute(router, {router, counters_, *store_}, std::move(token));
    auto found = router.Find("GET", "/metrics");
    const auto& match = std::get<http::Router::Match>(found);
    http::Request request;
    request.method = "GET";
    request.path = "/metrics";
    request.authorization = std::move(authorization);
    request.peer_is_loopback = loopback;
    http::RequestContext context;
    context.request_id = "test";
    return match.route->handler(request, context);
  }

  std::filesystem::path dir_;
  std::optional<store::sqlite::SqliteStore> store_;
  WebhookCounters counters_;
};

TEST_F(MetricsRouteTest, WithoutATokenAnswersClientsOnThisHostOnly) {
  http::Response local = Get(std::nullopt, /*loopback=*/true);
  EXPECT_EQ(local.status, 200u);
  EXPECT_NE(local.body.find("# TYPE contactd_http_requests_total counter"), std::string::npos);
  http::Response remote = Get(std::nullopt, /*loopback=*/false);
  EXPECT_EQ(remote.status, 403u);
  EXPECT_EQ(remote.body.find("contactd_http_requests_total"), std::string::npos);
}

TEST_F(MetricsRouteTest, WithATokenAnswersWhoeverSendsItAndNoOneElse) {
  const std::string token = "a-long-random-scrape-token-0123456789";
  EXPECT_EQ(Get(token, /*loopback=*/true).status, 401u);
  EXPECT_EQ(Get(token, /*loopback=*/true, "Bearer wrong").status, 401u);
  EXPECT_EQ(Get(token, /*loopback=*/true, "Bearer " + token + "x").status, 401u);
  EXPECT_EQ(Get(token, /*loopback=*/false, "Bearer " + token).status, 200u);
  EXPECT_EQ(Get(token, /*loopback=*/false, "bearer " + token).status, 200u);
}

}  // namespace
}  // namespace contactd::app

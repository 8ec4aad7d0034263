#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/jwt.hpp"
#include "domain/rate_limit.hpp"
#include "http/server.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace contactd::app {

// Everything `contactd serve` needs, filled from flags and CONTACTD_* variables (flags win).
struct ServeConfig {
  store::sqlite::SqliteOptions sqlite;
  http::ServerOptions server;
  // How long the change feed keeps events.
  std::int64_t event_retention_seconds = 30 * 24 * 3600;
  // Webhook endpoints may be on loopback or private networks (tests, private deployments).
  bool webhook_allow_private = false;
  // Multiplies every webhook retry delay (CONTACTD_WEBHOOK_RETRY_SCALE, for tests).
  double webhook_retry_scale = 1.0;
  // Each account's request limits unless it has its own (unlimited when empty).
  domain::RatePolicy rates;
  // Failed authentications per client address before it is refused with 429s.
  std::optional<domain::Rate> auth_failure_limit = domain::Rate{20, 60};
  // JWT bearer tokens an identity provider signs (not accepted without a secret or keys).
  domain::JwtSettings jwt;
  // The bearer token GET /metrics requires; without one, /metrics answers loopback clients only.
  std::optional<std::string> metrics_token;
};

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};

// Parses "HOST:PORT" (IPv6 as "[::1]:8080"). Returns nullopt when malformed.
std::optional<ListenAddress> ParseListen(std::string_view text);

// Sets up logging: human-readable lines on stderr, the access log as JSON lines on stdout.
void SetUpLogging();

}  // namespace contactd::app

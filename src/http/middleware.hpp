#pragma once

#include <memory>
#include <string_view>

#include "http/message.hpp"
#include "http/server.hpp"

namespace spdlog {
class logger;
}

namespace contactd::domain {
class AccountService;
class IdempotencyService;
class RateLimiter;
}

namespace contactd::http {

class Router;
struct Route;

// Returns `candidate` if it is a sane client request id (1-128 of A-Z a-z 0-9 . _ : -), else a
// new UUID v4.
std::string RequestIdFor(std::string_view candidate);

// Returns whether a Content-Type header value is JSON ("application/json", any parameters).
bool IsJsonContentType(std::string_view content_type);

// Everything between reading a request and writing its response: request id, routing,
// authentication (failures limited per client address), the account's request limits (their
// headers are the response's `rate`), content-type check, idempotency keys, the handler, errors
// to responses (a throwing handler answers 500, never kills the server), and one JSON access-log
// line. Thread-safe: the router, the account service and the limiter are.
class Pipeline final : public RequestHandler {
 public:
  // Writes the access log to the spdlog logger named "access" (the default logger if none).
  Pipeline(const Router& router, domain::AccountService& accounts, domain::RateLimiter& limiter,
           domain::IdempotencyService& idempotency);

  // Inline for transport errors, unknown routes and bounded reads; the read pool for other reads,
  // the write pool for writes.
  Placement Place(const Request& request) const override;
  Response Handle(const Request& request) override;

 private:
  // Sets `matched` to the route the request matched, if any (for its metrics).
  Response Dispatch(const Request& request, RequestContext& context, const Route*& matched);
  // A POST, PATCH or PUT with an Idempotency-Key: answered as the first request with its key
  // was, or run with its answer kept in its own transaction.
  Response DispatchIdempotent(const Request& request, RequestContext& context,
                              const Route& route);

  void LogAccess(const Request& request, const RequestContext& context, unsigned status,
                 std::int64_t duration_us) const;

  const Router& router_;
  domain::AccountService& accounts_;
  domain::RateLimiter& limiter_;
  domain::IdempotencyService& idempotency_;
  const std::shared_ptr<spdlog::logger> access_log_;
};

}  // namespace contactd::http

#include "http/middleware.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <exception>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "domain/accounts.hpp"
#include "domain/crypto.hpp"
#include "domain/idempotency.hpp"
#include "domain/rate_limit.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "http/auth.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace contactd::http {
namespace {

// Whether the request carries a body, which handlers read as JSON whatever the method (a POST
// without one, such as /restore, needs no Content-Type; one that needs a body gets a 400).
bool HasJsonBody(const Request& request) {
  return !request.body.empty() && request.method != "GET" && request.method != "HEAD";
}

Response TooMany(const Route& route, const RequestContext& context, std::string message,
                 std::int64_t retry_after_s) {
  Response response = route.render_error(
      context, domain::Error{domain::ErrorCode::kRateLimited, std::move(message), {}});
  response.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
  return response;
}

}  // namespace

Pipeline::Pipeline(const Router& router, domain::AccountService& accounts,
                   domain::RateLimiter& limiter, domain::IdempotencyService& idempotency)
    : router_(router),
      accounts_(accounts),
      limiter_(limiter),
      idempotency_(idempotency),
      access_log_(spdlog::get("access") ? spdlog::get("access") : spdlog::default_logger()) {}

void Pipeline::LogAccess(const Request& request, const RequestContext& context, unsigned status,
                         std::int64_t duration_us) const {
  boost::json::object line{
      {"time", domain::FormatTimestamp(domain::NowSeconds())},
      {"msg", "request"},
      {"method", request.method},
      {"path", domain::ToValidUtf8(request.path)},
      {"status", status},
      {"duration_us", duration_us},
      {"request_id", context.request_id},
  };
  if (context.principal) {
    line["account_id"] = context.principal->account.value;
  } else {
    line["account_id"] = nullptr;
  }
  access_log_->info(boost::json::serialize(line));
}

std::string RequestIdFor(std::string_view candidate) {
  bool sane = !candidate.empty() && candidate.size() <= 128 &&
              std::all_of(candidate.begin(), candidate.end(), [](unsigned char c) {
                return std::isalnum(c) || c == '.' || c == '_' || c == ':' || c == '-';
              });
  return sane ? std::string(candidate) : domain::NewUuidV4();
}

bool IsJsonContentType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  while (!media.empty() && media.front() == ' ') media.remove_prefix(1);
  constexpr std::string_view kJson = "application/json";
  return media.size() == kJson.size() &&
         std::equal(media.begin(), media.end(), kJson.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

Placement Pipeline::Place(const Request& request) const {
  if (request.transport_error) return Placement::kInline;
  auto found = router_.Find(request.method, request.path);
  const auto* match = std::get_if<Router::Match>(&found);
  if (match == nullptr) return Placement::kInline;
  const Route& route = *match->route;
  if (route.method != "GET") return Placement::kWritePool;
  return route.options.bounded_read ? Placement::kInline : Placement::kReadPool;
}

Response Pipeline::Handle(const Request& request) {
  auto start = std::chrono::steady_clock::now();
  RequestContext context;
  context.request_id = RequestIdFor(request.request_id);
  context.received_at = domain::NowSeconds();
  Response response;
  const Route* route = nullptr;
  try {
    response = Dispatch(request, context, route);
  } catch (const std::exception& e) {
    spdlog::error("request {} failed: {}", context.request_id, e.what());
    response =
        router_.RendererFor(request.path)(context, domain::Error::Internal("Internal error"));
  }
  response.headers.emplace_back("X-Request-Id", context.request_id);
  response.rate = context.rate;
  response.rate_at = context.received_at;
  auto elapsed = std::chrono::steady_clock::now() - start;
  (route != nullptr ? *route->metrics : router_.UnroutedMetrics(request.path))
      .Record(response.status, std::chrono::duration<double>(elapsed).count());
  LogAccess(request, context, response.status,
            std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count());
  return response;
}

Response Pipeline::Dispatch(const Request& request, RequestContext& context,
                            const Route*& matched) {
  // Errors raised before a route is known answer in the format of the closest surface.
  if (request.transport_error) {
    return router_.RendererFor(request.path)(context, *request.transport_error);
  }
  auto found = router_.Find(request.method, request.path);
  if (auto* miss = std::get_if<Router::Miss>(&found)) {
    Response response = router_.RendererFor(request.path)(context, miss->error);
    if (!miss->allow.empty()) response.headers.emplace_back("Allow", miss->allow);
    return response;
  }
  auto& match = std::get<Router::Match>(found);
  const Route& route = *match.route;
  matched = &route;
  context.path_params = std::move(match.params);

  if (route.options.authenticated) {
    // An address that failed too often is refused before its token is looked at, so that
    // tokens cannot be guessed quickly.
    std::int64_t now_ms = domain::NowMilliseconds();
    const std::string& address = request.client_address;
    if (auto blocked = limiter_.AuthBlocked(address, now_ms)) {
      Stats().rate_limited_auth.Add();
      return TooMany(route, context, "Too many failed authentications from this address",
                     blocked->retry_after_s);
    }
    auto principal = Authenticate(accounts_, request.authorization);
    if (!principal) {
      if (principal.error().code != domain::ErrorCode::kUnauthorized) {
        spdlog::error("request {}: authentication failed: {}", context.request_id,
                      principal.error().message);
      } else if (!request.authorization.empty()) {
        limiter_.AuthFailed(address, now_ms);
      }
      return route.render_error(context, principal.error());
    }
    context.principal = *principal;
    context.rate = limiter_.Admit(*principal, now_ms);
    if (context.rate && !context.rate->allowed) {
      const domain::RatePolicy& policy = context.rate->policy;
      bool burst = policy.burst && context.rate->burst < 1;
      const domain::Rate& hit = burst ? *policy.burst : *policy.sustained;
      Stats().rate_limited_account.Add();
      return TooMany(route, context,
                     fmt::format("Rate limit exceeded: {} requests per {} s; retry in {} s",
                                 hit.count, hit.window_seconds, context.rate->retry_after_s),
                     context.rate->retry_after_s);
    }
    // Before anything reads the body: a request the caller may not make costs no parsing.
    if (route.options.permission) {
      auto allowed =
          domain::Authorize(*principal, *route.options.permission, route.options.resource);
      if (!allowed) return route.render_error(context, allowed.error());
    }
  }
  if (HasJsonBody(request) && !IsJsonContentType(request.content_type)) {
    return route.render_error(
        context, domain::Error{domain::ErrorCode::kUnsupportedMediaType,
                               "Content-Type must be application/json", {}});
  }
  bool changes = request.method == "PATCH" || request.method == "PUT" || request.method == "DELETE";
  if (changes && !route.options.versioned && !request.if_match.empty() &&
      request.if_match.find_first_not_of(" \t*") != std::string::npos) {
    return route.render_error(
        context, domain::Error::PreconditionFailed(
                     "This resource has no versions: If-Match can only be *"));
  }
  bool keyed_method =
      request.method == "POST" || request.method == "PATCH" || request.method == "PUT";
  if (request.idempotency_key && keyed_method && context.principal) {
    return DispatchIdempotent(request, context, route);
  }
  return route.handler(request, context);
}

Response Pipeline::DispatchIdempotent(const Request& request, RequestContext& context,
                                      const Route& route) {
  using Outcome = domain::IdempotencyClaim::Outcome;
  if (auto valid = domain::ValidateIdempotencyKey(*request.idempotency_key); !valid) {
    return route.render_error(context, valid.error());
  }
  const domain::Principal& caller = context.caller();
  domain::IdempotentRequest keyed{
      caller.account, caller.user, *request.idempotency_key,
      domain::RequestFingerprint(request.method, request.path, request.query, request.body),
      {}};
  auto claim = idempotency_.Claim(keyed, domain::NowMilliseconds());
  if (!claim) return route.render_error(context, claim.error());
  switch (claim->outcome) {
    case Outcome::kInFlight: {
      Response response = route.render_error(
          context, domain::Error::Conflict(
                       "A request with this Idempotency-Key is still running; retry it shortly"));
      response.headers.emplace_back("Retry-After", "1");
      return response;
    }
    case Outcome::kMismatch:
      return route.render_error(
          context, domain::Error{domain::ErrorCode::kIdempotencyMismatch,
                                 "This Idempotency-Key was used for another request (its method, "
                                 "path or body differ)",
                                 {{"Idempotency-Key", "used for another request"}}});
    case Outcome::kReplay: {
      const domain::StoredAnswer& answer = *claim->answer;
      Response response;
      response.status = static_cast<unsigned>(answer.status);
      response.content_type = answer.content_type;
      response.body = answer.body;
      response.headers = answer.headers;
      response.headers.emplace_back("Idempotent-Replayed", "true");
      return response;
    }
    case Outcome::kClaimed:
      break;
  }
  auto unit = idempotency_.BeginUnit();
  if (!unit) {
    (void)idempotency_.Release(keyed);
    return route.render_error(context, unit.error());
  }
  Response response;
  try {
    response = route.handler(request, context);
  } catch (...) {
    unit->reset();  // rolls back; the key is free for a retry
    (void)idempotency_.Release(keyed);
    throw;
  }
  if (response.status >= 500) {
    unit->reset();
    (void)idempotency_.Release(keyed);
    return response;
  }
  domain::StoredAnswer answer{static_cast<int>(response.status), response.content_type,
                              response.body, response.headers};
  if (route.options.shows_secret && response.status < 300) {
    // A secret is never kept: a retry learns that the first request succeeded, not the secret.
    Response kept = route.render_error(
        context, domain::Error::Conflict("The first request with this Idempotency-Key "
                                         "succeeded; the secret it showed is shown only once"));
    answer = {static_cast<int>(kept.status), kept.content_type, kept.body, kept.headers};
  }
  auto saved = idempotency_.Save(keyed, answer);
  auto committed = saved ? (*unit)->Commit() : domain::Result<void>(std::unexpected(saved.error()));
  unit->reset();  // ends the unit (and its hold on the writers' queue) before any other write
  if (!committed) {
    spdlog::error("request {}: saving its writes failed: {}", context.request_id,
                  committed.error().message);
    (void)idempotency_.Release(keyed);
    return route.render_error(
        context, domain::Error::Unavailable("The change could not be saved; retry the request"));
  }
  return response;
}

}  // namespace contactd::http

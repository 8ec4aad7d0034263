#include "http/middleware.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <exception>

#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "domain/accounts.hpp"
#include "domain/crypto.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "http/auth.hpp"
#include "http/router.hpp"

namespace contactd::http {
namespace {

// Whether the request carries a body, which handlers read as JSON whatever the method (a POST
// without one, such as /restore, needs no Content-Type; one that needs a body gets a 400).
bool HasJsonBody(const Request& request) {
  return !request.body.empty() && request.method != "GET" && request.method != "HEAD";
}

}  // namespace

Pipeline::Pipeline(const Router& router, domain::AccountService& accounts)
    : router_(router),
      accounts_(accounts),
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
  try {
    response = Dispatch(request, context);
  } catch (const std::exception& e) {
    spdlog::error("request {} failed: {}", context.request_id, e.what());
    response = router_.RendererFor(request.path)(context, domain::Error::Internal("Internal error"));
  }
  response.headers.emplace_back("X-Request-Id", context.request_id);
  auto elapsed = std::chrono::steady_clock::now() - start;
  LogAccess(request, context, response.status,
            std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count());
  return response;
}

Response Pipeline::Dispatch(const Request& request, RequestContext& context) {
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
  context.path_params = std::move(match.params);

  if (route.options.authenticated) {
    auto principal = Authenticate(accounts_, request.authorization);
    if (!principal) {
      if (principal.error().code != domain::ErrorCode::kUnauthorized) {
        spdlog::error("request {}: authentication failed: {}", context.request_id,
                      principal.error().message);
      }
      return route.render_error(context, principal.error());
    }
    context.principal = *principal;
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
  return route.handler(request, context);
}

}  // namespace contactd::http

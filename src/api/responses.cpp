#include "api/responses.hpp"

#include <utility>

#include <spdlog/spdlog.h>

namespace contactd::api {

http::Response JsonResponse(std::string body, unsigned status) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

std::string ClientMessage(const http::RequestContext& context, const domain::Error& error) {
  if (error.code == domain::ErrorCode::kInternal) {
    spdlog::error("request {}: {}", context.request_id, error.message);
    return "An unexpected error occurred";
  }
  if (error.code == domain::ErrorCode::kUnavailable) {
    spdlog::error("request {}: {}", context.request_id, error.message);
    return "The service is temporarily unavailable; retry shortly";
  }
  return error.message;
}

void AddErrorHeaders(const domain::Error& error, http::Response& response) {
  if (error.code == domain::ErrorCode::kUnauthorized) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  if (error.code == domain::ErrorCode::kUnavailable) {
    response.headers.emplace_back("Retry-After", "1");
  }
}

}  // namespace contactd::api

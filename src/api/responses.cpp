#include "api/responses.hpp"

#include <algorithm>
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

std::vector<std::pair<std::string, std::string>> NamedFieldErrors(
    const domain::Error& error, std::string (*name)(std::string_view)) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (const domain::FieldError& field : error.fields) {
    std::string named = name(field.field);
    std::string text = field.message;
    if (named != field.field && text.starts_with(field.field)) {
      text = named + text.substr(field.field.size());
    }
    bool seen = std::any_of(fields.begin(), fields.end(),
                            [&](const auto& pair) { return pair.first == named; });
    if (!seen) fields.emplace_back(std::move(named), std::move(text));
  }
  return fields;
}

}  // namespace contactd::api

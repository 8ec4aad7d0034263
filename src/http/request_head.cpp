#include "http/request_head.hpp"

#include <algorithm>

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>

namespace contactd::http {
namespace {

namespace bhttp = boost::beast::http;

template <class Key>
std::string HeaderValue(const BeastRequest& message, Key key) {
  auto it = message.find(key);
  return it == message.end() ? std::string() : std::string(it->value());
}

}  // namespace

std::optional<domain::Error> CheckHead(const BeastRequest& message, const RequestLimits& limits) {
  if (message.target().size() > limits.target_limit) {
    return domain::Error{domain::ErrorCode::kUriTooLong,
                         "The request target exceeds " + std::to_string(limits.target_limit) +
                             " bytes",
                         {}};
  }
  if (message.version() >= 11 && message.count(bhttp::field::host) != 1) {
    return domain::Error::BadRequest("An HTTP/1.1 request needs exactly one Host header");
  }
  if (message.count(bhttp::field::authorization) > 1) {
    return domain::Error::BadRequest("A request may carry one Authorization header only");
  }
  return std::nullopt;
}

domain::Error HeaderSizeError(const BeastRequest& partial, const RequestLimits& limits) {
  if (partial.target().empty() || partial.target().size() > limits.target_limit) {
    return domain::Error{domain::ErrorCode::kUriTooLong,
                         "The request target exceeds " + std::to_string(limits.target_limit) +
                             " bytes",
                         {}};
  }
  return domain::Error{domain::ErrorCode::kHeadersTooLarge,
                       "The request headers exceed " + std::to_string(limits.header_limit) +
                           " bytes",
                       {}};
}

std::string RefusedPath(const BeastRequest& partial, std::string_view unread) {
  constexpr std::size_t kMaxRoutingPath = 1024;
  std::string_view target = partial.target();
  if (target.empty()) {
    std::size_t space = unread.find(' ');
    if (space != std::string_view::npos) target = unread.substr(space + 1);
  }
  target = target.substr(0, std::min(target.find_first_of("? \r\n"), kMaxRoutingPath));
  return std::string(target);
}

Request ToRequest(BeastRequest& message) {
  Request request;
  request.method = std::string(message.method_string());
  std::string_view target = message.target();
  std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  request.content_type = HeaderValue(message, bhttp::field::content_type);
  request.authorization = HeaderValue(message, bhttp::field::authorization);
  request.request_id = HeaderValue(message, std::string_view("X-Request-Id"));
  request.api_version = HeaderValue(message, std::string_view("Version"));
  request.if_match = HeaderValue(message, bhttp::field::if_match);
  request.if_none_match = HeaderValue(message, bhttp::field::if_none_match);
  if (auto key = message.find(std::string_view("Idempotency-Key")); key != message.end()) {
    request.idempotency_key = std::string(key->value());
  }
  request.body = std::move(message.body());
  return request;
}

std::optional<Request> ParseRequest(std::string_view bytes, const RequestLimits& limits) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
  parser.body_limit(limits.body_limit);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (used < bytes.size() && !parser.is_done()) {
    std::size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += n;
    if (ec == bhttp::error::need_more) return std::nullopt;
    if (ec || n == 0) break;
  }
  Request request;
  if (ec == bhttp::error::header_limit) {
    request.transport_error = HeaderSizeError(parser.get(), limits);
    request.path = RefusedPath(parser.get(), bytes.substr(used));
    return request;
  }
  if (ec == bhttp::error::body_limit) {
    request.transport_error = domain::Error{domain::ErrorCode::kPayloadTooLarge,
                                            "Request body exceeds the limit", {}};
  } else if (ec) {
    request.transport_error = domain::Error::BadRequest("Malformed HTTP request");
  } else if (!parser.is_done()) {
    return std::nullopt;
  }
  if (!parser.is_header_done()) {
    request.path = RefusedPath(parser.get(), bytes.substr(used));
    return request;
  }
  std::optional<domain::Error> error = request.transport_error;
  if (!error) error = CheckHead(parser.get(), limits);
  request = ToRequest(parser.get());
  if (error) {
    request.body.clear();
    request.transport_error = std::move(error);
  }
  return request;
}

}  // namespace contactd::http

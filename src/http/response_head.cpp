#include "http/response_head.hpp"

#include <iterator>

#include <boost/beast/http/status.hpp>
#include <fmt/format.h>

namespace contactd::http {

namespace {

void AppendInt(std::string& out, std::int64_t value) {
  fmt::format_int digits(value);
  out.append(digits.data(), digits.size());
}

void AppendRateHeaders(std::string& head, const domain::RateDecision& rate, std::int64_t now_s) {
  const domain::RatePolicy& policy = rate.policy;
  if (!policy.limited()) return;
  bool sustained = policy.sustained.has_value() && (!policy.burst || rate.sustained <= rate.burst);
  head += "X-RateLimit-Limit: ";
  AppendInt(head, sustained ? policy.sustained->count : policy.burst->count);
  head += "\r\nX-RateLimit-Remaining: ";
  AppendInt(head, static_cast<std::int64_t>(sustained ? rate.sustained : rate.burst));
  head += "\r\nX-RateLimit-Reset: ";
  AppendInt(head, now_s + (sustained ? rate.sustained_full_s : rate.burst_full_s));
  // Each bucket as the IETF draft names it: "burst";q=100;w=60 and "burst";r=12;t=53.
  struct Bucket {
    std::string_view name;
    const std::optional<domain::Rate>& rate;
    double tokens;
    std::int64_t full_s;
  };
  const Bucket buckets[] = {{"burst", policy.burst, rate.burst, rate.burst_full_s},
                            {"sustained", policy.sustained, rate.sustained, rate.sustained_full_s}};
  auto list = [&](std::string_view header, bool state) {
    head += header;
    bool first = true;
    for (const Bucket& bucket : buckets) {
      if (!bucket.rate) continue;
      head += first ? "\"" : ", \"";
      first = false;
      head += bucket.name;
      head += state ? "\";r=" : "\";q=";
      AppendInt(head, state ? static_cast<std::int64_t>(bucket.tokens) : bucket.rate->count);
      head += state ? ";t=" : ";w=";
      AppendInt(head, state ? bucket.full_s : bucket.rate->window_seconds);
    }
  };
  list("\r\nRateLimit-Policy: ", false);
  list("\r\nRateLimit: ", true);
  head += "\r\n";
}

}  // namespace

bool StatusHasBody(unsigned status) {
  return status >= 200 && status != 204 && status != 304;
}

std::string ResponseHead(const Response& response, bool keep_alive, bool chunked) {
  std::string head;
  std::size_t size = (response.rate ? 384 : 128) + response.content_type.size();
  for (const auto& [name, value] : response.headers) size += name.size() + value.size() + 4;
  head.reserve(size);
  auto reason = boost::beast::http::obsolete_reason(
      static_cast<boost::beast::http::status>(response.status));
  fmt::format_to(std::back_inserter(head), "HTTP/1.1 {} {}\r\nServer: contactd\r\n",
                 response.status, std::string_view(reason.data(), reason.size()));
  if (StatusHasBody(response.status) && !response.content_type.empty()) {
    head += "Content-Type: ";
    head += response.content_type;
    head += "\r\n";
  }
  for (const auto& [name, value] : response.headers) {
    head += name;
    head += ": ";
    head += value;
    head += "\r\n";
  }
  if (response.rate) AppendRateHeaders(head, *response.rate, response.rate_at);
  if (response.stream) {
    if (chunked) head += "Transfer-Encoding: chunked\r\n";
  } else if (StatusHasBody(response.status)) {
    fmt::format_to(std::back_inserter(head), "Content-Length: {}\r\n", response.body.size());
  }
  if (!keep_alive) head += "Connection: close\r\n";
  head += "\r\n";
  return head;
}

}  // namespace contactd::http

#include "http/response_head.hpp"

#include <iterator>

#include <boost/beast/http/status.hpp>
#include <fmt/format.h>

namespace contactd::http {

bool StatusHasBody(unsigned status) {
  return status >= 200 && status != 204 && status != 304;
}

std::string ResponseHead(const Response& response, bool keep_alive) {
  std::string head;
  std::size_t size = 128 + response.content_type.size();
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
  if (StatusHasBody(response.status)) {
    fmt::format_to(std::back_inserter(head), "Content-Length: {}\r\n", response.body.size());
  }
  if (!keep_alive) head += "Connection: close\r\n";
  head += "\r\n";
  return head;
}

}  // namespace contactd::http

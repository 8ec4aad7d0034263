#include "api/params.hpp"

#include <charconv>

#include <boost/url/parse_query.hpp>

namespace contactd::api {

domain::Result<domain::QueryParams> ParseQueryString(std::string_view query) {
  domain::QueryParams params;
  if (query.empty()) return params;
  auto parsed = boost::urls::parse_query(query);
  if (!parsed) {
    return std::unexpected(domain::Error::BadRequest("The query string is not valid"));
  }
  // Clients encode spaces in query strings as '+' (application/x-www-form-urlencoded).
  const boost::urls::encoding_opts form{/*space_as_plus=*/true};
  for (auto param : *parsed) {
    if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
    params.emplace_back(param.key.decode(form),
                        param.has_value ? param.value.decode(form) : std::string());
  }
  return params;
}

domain::Result<std::int64_t> ParseIdParam(const std::string& value, std::string_view name) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
  if (ec != std::errc() || end != value.data() + value.size() || id <= 0) {
    std::string message = std::string(name) + " must be a positive integer";
    return std::unexpected(domain::Error::BadRequest(message, {{std::string(name), message}}));
  }
  return id;
}

}  // namespace contactd::api

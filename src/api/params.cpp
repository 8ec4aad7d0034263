#include "api/params.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include <boost/url/parse_query.hpp>

#include "domain/text.hpp"

namespace contactd::api {

namespace {

// Clients (curl -g, LionDesk-style `last_name[$in]=x`) send characters that RFC 3986 does not
// allow in a query, '[' and ']' above all. Percent-encode them so that the strict parser reads
// what the client meant; a '%' that starts no escape stays an error.
std::string EncodeLenient(std::string_view query) {
  std::string out;
  out.reserve(query.size());
  for (char c : query) {
    auto byte = static_cast<unsigned char>(c);
    bool allowed = std::isalnum(byte) || std::string_view("-._~!$&'()*+,;=:@/?%").find(c) !=
                                             std::string_view::npos;
    if (allowed) {
      out.push_back(c);
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  return out;
}

}  // namespace

domain::Result<domain::QueryParams> ParseQueryString(std::string_view raw_query) {
  domain::QueryParams params;
  if (raw_query.empty()) return params;
  std::string query = EncodeLenient(raw_query);
  auto parsed = boost::urls::parse_query(query);
  if (!parsed) {
    return std::unexpected(domain::Error::BadRequest("The query string is not valid"));
  }
  // Clients encode spaces in query strings as '+' (application/x-www-form-urlencoded).
  const boost::urls::encoding_opts form{/*space_as_plus=*/true};
  for (auto param : *parsed) {
    if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
    std::string key = param.key.decode(form);
    std::string value = param.has_value ? param.value.decode(form) : std::string();
    // Keys and values reach filters, error messages and logs: only text is accepted.
    if (!domain::IsValidUtf8(key)) {
      return std::unexpected(
          domain::Error::BadRequest("A query parameter name is not valid UTF-8"));
    }
    if (!domain::IsValidUtf8(value)) {
      std::string message = key + " must be valid UTF-8";
      return std::unexpected(domain::Error::BadRequest(message, {{key, message}}));
    }
    params.emplace_back(std::move(key), std::move(value));
  }
  return params;
}

std::optional<std::int64_t> ParseIntIn(std::string_view text, std::int64_t min, std::int64_t max) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
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

domain::Result<void> ParseNoParams(std::string_view query) {
  auto params = ParseQueryString(query);
  if (!params) return std::unexpected(params.error());
  if (params->empty()) return {};
  std::vector<domain::FieldError> fields;
  for (const auto& [raw_key, value] : *params) {
    std::string key = domain::ToValidUtf8(raw_key);
    bool named = std::any_of(fields.begin(), fields.end(),
                             [&](const domain::FieldError& field) { return field.field == key; });
    if (!named) fields.push_back({key, "unknown query parameter '" + key + "'"});
  }
  std::string message = fields.front().message + (fields.size() > 1 ? ", and more" : "") +
                        ": this endpoint takes no query parameters";
  return std::unexpected(domain::Error::BadRequest(std::move(message), std::move(fields)));
}

domain::Result<bool> ParseFlagParams(std::string_view query, const std::string& flag) {
  auto params = ParseQueryString(query);
  if (!params) return std::unexpected(params.error());
  bool value = false;
  for (const auto& [key, text] : *params) {
    if (key == flag && (text == "true" || text == "false")) {
      value = text == "true";
      continue;
    }
    std::string message = key == flag ? flag + " must be true or false"
                                      : "unknown query parameter '" + key + "'";
    return std::unexpected(domain::Error::BadRequest(message, {{key, message}}));
  }
  return value;
}

domain::Error RenamedFields(domain::Error error, std::span<const RenamedParam> renamed) {
  for (domain::FieldError& field : error.fields) {
    for (const auto& [domain_key, sent] : renamed) {
      if (field.field != domain_key) continue;
      std::size_t at = field.message.find(domain_key);
      if (at != std::string::npos) field.message.replace(at, domain_key.size(), sent);
      field.field = sent;
      break;
    }
  }
  if (!error.fields.empty()) error.message = error.fields.front().message;
  return error;
}

}  // namespace contactd::api

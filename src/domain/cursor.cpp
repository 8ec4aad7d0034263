#include "domain/cursor.hpp"

#include <charconv>

#include <fmt/format.h>

#include "domain/crypto.hpp"

namespace contactd::domain {
namespace {

constexpr std::size_t kMacBytes = 12;  // 96 bits: forging one takes 2^96 tries
constexpr std::string_view kPrefix = "{\"id\":";

}  // namespace

CursorCodec::CursorCodec(std::string key) : key_(std::move(key)) {}

std::string CursorCodec::Mac(std::string_view payload) const {
  return HmacSha256(key_, payload).substr(0, kMacBytes);
}

std::string CursorCodec::Encode(std::int64_t last_id) const {
  std::string payload = fmt::format("{{\"id\":{}}}", last_id);
  return Base64UrlEncode(payload) + "." + Base64UrlEncode(Mac(payload));
}

std::optional<std::int64_t> CursorCodec::Decode(std::string_view cursor) const {
  if (cursor.size() > 256) return std::nullopt;
  std::size_t dot = cursor.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto payload = Base64UrlDecode(cursor.substr(0, dot));
  auto mac = Base64UrlDecode(cursor.substr(dot + 1));
  if (!payload || !mac || !ConstantTimeEquals(*mac, Mac(*payload))) return std::nullopt;
  std::string_view text = *payload;
  if (!text.starts_with(kPrefix) || !text.ends_with('}')) return std::nullopt;
  text = text.substr(kPrefix.size(), text.size() - kPrefix.size() - 1);
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id < 0) return std::nullopt;
  return id;
}

}  // namespace contactd::domain

#include "domain/ssrf.hpp"

#include <netdb.h>
#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <boost/url/parse.hpp>

#include "domain/validation.hpp"

namespace contactd::domain {
namespace {

bool IsPublicV4(std::uint32_t ip) {  // host byte order
  struct Range {
    std::uint32_t base;
    int bits;
  };
  static constexpr std::array<Range, 15> kInternal{{
      {0x00000000, 8},   // "this" network
      {0x0A000000, 8},   // private
      {0x64400000, 10},  // carrier-grade NAT
      {0x7F000000, 8},   // loopback
      {0xA9FE0000, 16},  // link-local (cloud metadata)
      {0xAC100000, 12},  // private
      {0xC0000000, 24},  // IETF protocol assignments
      {0xC0000200, 24},  // documentation
      {0xC0A80000, 16},  // private
      {0xC6120000, 15},  // benchmarking
      {0xC6336400, 24},  // documentation
      {0xCB007100, 24},  // documentation
      {0xE0000000, 4},   // multicast
      {0xF0000000, 4},   // reserved, broadcast
      {0xC0586300, 24},  // 6to4 relay anycast
  }};
  for (const Range& range : kInternal) {
    std::uint32_t mask = ~std::uint32_t{0} << (32 - range.bits);
    if ((ip & mask) == range.base) return false;
  }
  return true;
}

bool IsPublicV6(const in6_addr& address) {
  const std::uint8_t* b = address.s6_addr;
  static constexpr std::uint8_t kZero[16] = {};
  if (std::memcmp(b, kZero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return false;  // ::, ::1
  auto v4_at = [&](int i) {
    return (std::uint32_t{b[i]} << 24) | (std::uint32_t{b[i + 1]} << 16) |
           (std::uint32_t{b[i + 2]} << 8) | b[i + 3];
  };
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  // IPv4 inside IPv6: mapped, compatible (::a.b.c.d), NAT64 (64:ff9b::/96, 64:ff9b:1::/48),
  // 6to4 (2002::/16).
  if (std::memcmp(b, kMapped, 12) == 0 || std::memcmp(b, kZero, 12) == 0 ||
      (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)) {
    return IsPublicV4(v4_at(12));
  }
  if (b[0] == 0x20 && b[1] == 0x02) return IsPublicV4(v4_at(2));
  if (b[0] == 0x01 && b[1] == 0x00 && std::memcmp(b + 2, kZero, 6) == 0) return false;  // discard
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return false;  // site-local fec0::/10
  if ((b[0] & 0xFE) == 0xFC) return false;                  // unique local fc00::/7
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return false;  // link-local fe80::/10
  if (b[0] == 0xFF) return false;                           // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return false;  // docs
  return true;
}

}  // namespace

bool IsPublicAddress(const sockaddr& address) {
  if (address.sa_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    return IsPublicV4(ntohl(v4.sin_addr.s_addr));
  }
  if (address.sa_family == AF_INET6) {
    return IsPublicV6(reinterpret_cast<const sockaddr_in6&>(address).sin6_addr);
  }
  return false;
}

Result<void> CheckPublicUrl(std::string_view url, std::string_view field, bool allow_private) {
  std::string name(field);
  if (url.size() > 2048 || !IsHttpUrl(url)) {
    return std::unexpected(Error::Validation({{name, name + " must be an http or https URL"}}));
  }
  if (allow_private) return {};
  auto parsed = boost::urls::parse_absolute_uri(url);
  std::string host(parsed->host_address());
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  // Resolved on a thread of its own, waited for at most 3 s: a name server that never answers
  // holds no request longer than that.
  struct Lookup {
    std::promise<std::optional<bool>> done;  // nullopt: no address; else whether all are public
  };
  auto lookup = std::make_shared<Lookup>();
  auto future = lookup->done.get_future();
  std::thread([lookup, host] {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
      lookup->done.set_value(std::nullopt);
      return;
    }
    bool public_only = true;
    for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
      if (!IsPublicAddress(*entry->ai_addr)) public_only = false;
    }
    freeaddrinfo(found);
    lookup->done.set_value(public_only);
  }).detach();
  if (future.wait_for(std::chrono::seconds(3)) != std::future_status::ready) {
    return std::unexpected(
        Error::Validation({{name, name + "'s host did not resolve within 3 seconds"}}));
  }
  std::optional<bool> public_only = future.get();
  if (!public_only) {
    return std::unexpected(
        Error::Validation({{name, name + "'s host does not resolve to an address"}}));
  }
  if (!*public_only) {
    return std::unexpected(Error::Validation(
        {{name, name + " must not point at a loopback, private, link-local or otherwise "
                       "internal address"}}));
  }
  return {};
}

}  // namespace contactd::domain

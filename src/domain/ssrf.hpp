#pragma once

#include <string_view>

#include <sys/socket.h>

#include "domain/error.hpp"

namespace contactd::domain {

// Whether `address` may receive a webhook: not loopback, private, link-local, carrier-grade NAT,
// multicast, reserved or unspecified (IPv4, IPv6, and IPv4 mapped into IPv6).
bool IsPublicAddress(const sockaddr& address);

// kValidation naming `field` unless `url` is an http(s) URL whose host resolves only to public
// addresses (any internal one refuses it: a name may resolve to several). With `allow_private`,
// only the URL's shape is checked. Resolves the name (blocking).
Result<void> CheckPublicUrl(std::string_view url, std::string_view field, bool allow_private);

}  // namespace contactd::domain

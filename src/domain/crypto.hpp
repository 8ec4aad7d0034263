#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace contactd::domain {

// Small wrappers over OpenSSL. All are thread-safe.

// Returns `count` bytes from the operating system's CSPRNG. Throws std::runtime_error if the
// generator fails (truly exceptional).
std::string RandomBytes(std::size_t count);

// A random (version 4) UUID in canonical lower-case form.
std::string NewUuidV4();

// A new API token: "cdt_" followed by 43 base64url characters (256 random bits).
std::string NewApiToken();

// SHA-256 of `data` as 64 lower-case hex digits: how tokens are stored at rest.
std::string Sha256Hex(std::string_view data);

// HMAC-SHA256 of `data` under `key`, as 32 raw bytes.
std::string HmacSha256(std::string_view key, std::string_view data);

std::string Base64Encode(std::string_view data);  // standard alphabet, padded (RFC 4648 §4)
// Returns nullopt unless `text` is padded standard base64.
std::optional<std::string> Base64Decode(std::string_view text);
std::string Base64UrlEncode(std::string_view data);  // no padding
// Returns nullopt unless `text` is unpadded base64url.
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Constant-time comparison of two equally sized strings (false when the sizes differ).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace contactd::domain

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"

namespace contactd::domain {

// How contactd trusts JWT bearer tokens of an identity provider (serve's --jwt-* flags). With
// neither a secret nor keys, JWTs are not accepted.
struct JwtSettings {
  std::optional<std::string> secret;    // the HS256 key
  std::optional<std::string> jwks;      // a JWKS document (JSON): RS256 and ES256 public keys
  std::optional<std::string> issuer;    // `iss` must equal it, when set
  std::optional<std::string> audience;  // `aud` must be or hold it, when set
  std::string account_claim = "org";    // the claim holding the account's uid
  std::string user_claim = "sub";       // the claim holding the user's id or email
  std::int64_t leeway_seconds = 60;     // clock skew forgiven on `exp` and `nbf`
};

// Who a verified token names.
struct JwtIdentity {
  std::string account_uid;
  std::string user;  // a user id (digits) or an email
};

// Whether `token` has a compact JWS's shape (three dot-separated parts): contactd's own tokens
// never do, so a bearer token is one or the other.
bool LooksLikeJwt(std::string_view token);

// Verifies JWTs against the configured keys (RS256 and ES256 signatures by libjwt, HS256 here
// with a constant-time comparison; keys built with OpenSSL).
// Built once at start-up, then read-only and thread-safe.
class JwtVerifier {
 public:
  // kBadRequest when the secret is shorter than 32 bytes, or the JWKS is not a JWKS with at least
  // one usable key (RSA of 2048 bits or more, or EC P-256; keys for other uses or algorithms are
  // skipped) or names two keys of an algorithm alike.
  static Result<JwtVerifier> Create(JwtSettings settings);
  JwtVerifier() = default;

  bool enabled() const { return settings_.secret.has_value() || !keys_.empty(); }

  // The identity in `token`, or kUnauthorized saying why not. A token passes when:
  // - its header's `typ`, if any, is JWT, and it has no `crit` extensions;
  // - its header's `alg` is HS256 (with the secret), RS256 (an RSA key) or ES256 (a P-256 key):
  //   never `none`, and never an algorithm the chosen key is not for (no algorithm confusion);
  // - `kid` names a key of the JWKS for that algorithm (without `kid`: the only such key);
  // - the signature verifies;
  // - `exp` is present and not past, `nbf` (if present) not ahead, both within the leeway;
  // - `iss` and `aud` match when configured;
  // - the account and user claims are present.
  Result<JwtIdentity> Verify(std::string_view token, std::int64_t now) const;

 private:
  struct Key {
    std::string kid;  // "" when the JWKS gave none
    std::string alg;  // RS256 or ES256
    std::string pem;  // the public key, as libjwt takes it
  };

  JwtSettings settings_;
  std::vector<Key> keys_;
};

}  // namespace contactd::domain

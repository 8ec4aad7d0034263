#include "domain/jwt.hpp"

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "domain/crypto.hpp"

namespace contactd::domain {
namespace {

constexpr std::size_t kMaxTokenBytes = 8192;
constexpr int kMinRsaBits = 2048;
constexpr std::size_t kMinSecretBytes = 32;

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using KeyContext = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using PublicKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Jwt = std::unique_ptr<jwt_t, Deleter<jwt_t, jwt_free>>;

Error Refused(std::string why) { return Error{ErrorCode::kUnauthorized, std::move(why), {}}; }

// The public key of `params` (an OSSL_PARAM list) for an algorithm family ("RSA", "EC"), as PEM.
std::optional<std::string> PemOf(const char* family, OSSL_PARAM_BLD* builder,
                                 int min_bits = 0) {
  Params params(OSSL_PARAM_BLD_to_param(builder));
  KeyContext context(EVP_PKEY_CTX_new_from_name(nullptr, family, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) <= 0 ||
      EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
    return std::nullopt;
  }
  PublicKey key(raw);
  if (EVP_PKEY_get_bits(key.get()) < min_bits) return std::nullopt;
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.get()) != 1) return std::nullopt;
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::optional<std::string> RsaPem(const std::string& n, const std::string& e) {
  auto bn = [](const std::string& bytes) {
    return Bignum(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()), nullptr));
  };
  Bignum modulus = bn(n), exponent = bn(e);
  ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (!modulus || !exponent || !builder ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get())) {
    return std::nullopt;
  }
  return PemOf("RSA", builder.get(), kMinRsaBits);
}

std::optional<std::string> P256Pem(const std::string& x, const std::string& y) {
  if (x.size() != 32 || y.size() != 32) return std::nullopt;
  std::string point = "\x04" + x + y;  // uncompressed
  ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1",
                                       0) ||
      !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size())) {
    return std::nullopt;
  }
  return PemOf("EC", builder.get());
}

std::string_view StringMember(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string_view(value->get_string())
                                                : std::string_view();
}

std::optional<std::string> Base64UrlMember(const boost::json::object& object,
                                           std::string_view key) {
  std::string_view text = StringMember(object, key);
  if (text.empty()) return std::nullopt;
  return Base64UrlDecode(text);
}

// One JWK as a key, or nullopt when it is not a signing key contactd can use.
std::optional<std::pair<std::string, std::string>> UsableKey(const boost::json::object& jwk) {
  std::string_view use = StringMember(jwk, "use");
  if (!use.empty() && use != "sig") return std::nullopt;
  std::string_view kty = StringMember(jwk, "kty");
  std::string_view alg = StringMember(jwk, "alg");
  if (kty == "RSA" && (alg.empty() || alg == "RS256")) {
    auto n = Base64UrlMember(jwk, "n");
    auto e = Base64UrlMember(jwk, "e");
    if (!n || !e) return std::nullopt;
    if (auto pem = RsaPem(*n, *e)) return std::pair{std::string("RS256"), std::move(*pem)};
  } else if (kty == "EC" && StringMember(jwk, "crv") == "P-256" &&
             (alg.empty() || alg == "ES256")) {
    auto x = Base64UrlMember(jwk, "x");
    auto y = Base64UrlMember(jwk, "y");
    if (!x || !y) return std::nullopt;
    if (auto pem = P256Pem(*x, *y)) return std::pair{std::string("ES256"), std::move(*pem)};
  }
  return std::nullopt;
}

// The JSON object a base64url part of a token holds.
std::optional<boost::json::object> DecodePart(std::string_view part) {
  auto bytes = Base64UrlDecode(part);
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(*bytes, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

// A NumericDate claim (RFC 7519 §2): seconds, possibly with a fraction.
std::optional<std::int64_t> NumericDate(const boost::json::object& claims, std::string_view key) {
  const boost::json::value* value = claims.if_contains(key);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  double seconds = value->to_number<double>();
  if (!std::isfinite(seconds) || std::fabs(seconds) > 1e15) return std::nullopt;
  return static_cast<std::int64_t>(std::floor(seconds));
}

bool AudienceHolds(const boost::json::value* aud, std::string_view audience) {
  if (aud == nullptr) return false;
  if (aud->is_string()) return aud->get_string() == audience;
  if (!aud->is_array()) return false;
  const auto& list = aud->get_array();
  return std::any_of(list.begin(), list.end(), [&](const boost::json::value& item) {
    return item.is_string() && item.get_string() == audience;
  });
}

}  // namespace

bool LooksLikeJwt(std::string_view token) {
  return std::count(token.begin(), token.end(), '.') == 2;
}

Result<JwtVerifier> JwtVerifier::Create(JwtSettings settings) {
  JwtVerifier verifier;
  if (settings.jwks) {
    boost::system::error_code ec;
    boost::json::value document = boost::json::parse(*settings.jwks, ec);
    const boost::json::value* keys =
        !ec && document.is_object() ? document.get_object().if_contains("keys") : nullptr;
    if (keys == nullptr || !keys->is_array()) {
      return std::unexpected(Error::BadRequest("the JWKS must be a JSON object with a keys array"));
    }
    for (const boost::json::value& jwk : keys->get_array()) {
      if (!jwk.is_object()) continue;
      auto key = UsableKey(jwk.get_object());
      if (!key) continue;
      std::string kid(StringMember(jwk.get_object(), "kid"));
      bool taken = std::any_of(verifier.keys_.begin(), verifier.keys_.end(), [&](const Key& k) {
        return k.alg == key->first && k.kid == kid;
      });
      if (taken) {
        return std::unexpected(
            Error::BadRequest("the JWKS has two " + key->first + " keys with kid '" + kid + "'"));
      }
      verifier.keys_.push_back({std::move(kid), key->first, key->second});
    }
    if (verifier.keys_.empty()) {
      return std::unexpected(Error::BadRequest(
          "the JWKS holds no usable signing key (RSA of at least 2048 bits for RS256, or EC "
          "P-256 for ES256)"));
    }
  }
  // RFC 7518 §3.2: an HS256 key has at least as many bits as the hash; a shorter one could be
  // found from any token by trying keys offline.
  if (settings.secret && settings.secret->size() < kMinSecretBytes) {
    return std::unexpected(Error::BadRequest("the JWT secret must be at least 32 bytes"));
  }
  verifier.settings_ = std::move(settings);
  return verifier;
}

Result<JwtIdentity> JwtVerifier::Verify(std::string_view token, std::int64_t now) const {
  if (!enabled()) return std::unexpected(Refused("JWT bearer tokens are not accepted here"));
  if (token.size() > kMaxTokenBytes || !LooksLikeJwt(token)) {
    return std::unexpected(Refused("Malformed JWT"));
  }
  std::size_t first_dot = token.find('.');
  std::size_t second_dot = token.find('.', first_dot + 1);
  auto header = DecodePart(token.substr(0, first_dot));
  auto claims = DecodePart(token.substr(first_dot + 1, second_dot - first_dot - 1));
  if (!header || !claims) return std::unexpected(Refused("Malformed JWT"));

  std::string_view signature_part = token.substr(second_dot + 1);
  auto signature = Base64UrlDecode(signature_part);
  if (!signature || signature->empty()) return std::unexpected(Refused("Malformed JWT"));
  if (const auto* typ = header->if_contains("typ");
      typ != nullptr && (!typ->is_string() || (typ->get_string() != "JWT" &&
                                               typ->get_string() != "jwt"))) {
    return std::unexpected(Refused("JWT of a type other than JWT"));
  }
  if (header->contains("crit")) {
    return std::unexpected(Refused("JWT with critical header extensions"));
  }
  if (const auto* kid = header->if_contains("kid"); kid != nullptr && !kid->is_string()) {
    return std::unexpected(Refused("Malformed JWT"));
  }
  // The key decides the algorithm, never the token: a token says which of the configured keys
  // it was signed with, and must use the algorithm that key is for.
  std::string alg(StringMember(*header, "alg"));
  std::string_view key;
  jwt_alg_t expected = JWT_ALG_INVAL;
  if (alg == "HS256" && settings_.secret) {
    key = *settings_.secret;
    expected = JWT_ALG_HS256;
  } else if (alg == "RS256" || alg == "ES256") {
    std::string_view kid = StringMember(*header, "kid");
    const Key* chosen = nullptr;
    int candidates = 0;
    for (const Key& candidate : keys_) {
      if (candidate.alg != alg) continue;
      ++candidates;
      if (kid.empty() || candidate.kid == kid) chosen = &candidate;
    }
    if (chosen == nullptr || (kid.empty() && candidates > 1)) {
      return std::unexpected(Refused("JWT signed with an unknown key"));
    }
    key = chosen->pem;
    expected = alg == "RS256" ? JWT_ALG_RS256 : JWT_ALG_ES256;
  } else {
    return std::unexpected(Refused("JWT algorithm '" + alg.substr(0, 16) + "' is not accepted"));
  }
  if (expected == JWT_ALG_HS256) {
    // HMAC here, compared in constant time whatever libjwt build is installed.
    std::string mac = HmacSha256(key, token.substr(0, second_dot));
    if (!ConstantTimeEquals(mac, *signature)) {
      return std::unexpected(Refused("JWT signature does not verify"));
    }
  } else {
    std::string text(token);  // libjwt reads a NUL-terminated string
    jwt_t* raw = nullptr;
    int failed = jwt_decode(&raw, text.c_str(),
                            reinterpret_cast<const unsigned char*>(key.data()),
                            static_cast<int>(key.size()));
    Jwt decoded(raw);
    if (failed != 0 || !decoded || jwt_get_alg(decoded.get()) != expected) {
      return std::unexpected(Refused("JWT signature does not verify"));
    }
  }

  auto exp = NumericDate(*claims, "exp");
  if (!exp) return std::unexpected(Refused("JWT without exp"));
  if (now > *exp + settings_.leeway_seconds) return std::unexpected(Refused("JWT expired"));
  if (claims->contains("nbf")) {
    auto nbf = NumericDate(*claims, "nbf");
    if (!nbf || now + settings_.leeway_seconds < *nbf) {
      return std::unexpected(Refused("JWT not valid yet"));
    }
  }
  if (settings_.issuer && StringMember(*claims, "iss") != *settings_.issuer) {
    return std::unexpected(Refused("JWT from another issuer"));
  }
  if (settings_.audience && !AudienceHolds(claims->if_contains("aud"), *settings_.audience)) {
    return std::unexpected(Refused("JWT for another audience"));
  }
  JwtIdentity identity;
  identity.account_uid = std::string(StringMember(*claims, settings_.account_claim));
  const boost::json::value* user = claims->if_contains(settings_.user_claim);
  if (user != nullptr && user->is_string()) {
    identity.user = std::string(user->get_string());
  } else if (user != nullptr && user->is_int64()) {
    identity.user = std::to_string(user->get_int64());
  }
  if (identity.account_uid.empty() || identity.user.empty()) {
    return std::unexpected(Refused("JWT without the " + settings_.account_claim + " and " +
                                   settings_.user_claim + " claims"));
  }
  return identity;
}

}  // namespace contactd::domain

#include "domain/idempotency.hpp"

#include <algorithm>

#include "domain/crypto.hpp"
#include "store/store.hpp"

namespace contactd::domain {

std::string RequestFingerprint(std::string_view method, std::string_view path,
                               std::string_view query, std::string_view body) {
  std::string text;
  text.reserve(method.size() + path.size() + query.size() + body.size() + 3);
  text.append(method).append("\n").append(path).append("\n").append(query).append("\n");
  text.append(body);
  return Sha256Hex(text);
}

Result<void> ValidateIdempotencyKey(std::string_view key) {
  bool printable = std::all_of(key.begin(), key.end(), [](unsigned char c) {
    return c >= 0x20 && c <= 0x7e;
  });
  if (key.empty() || key.size() > kMaxIdempotencyKeyLength || !printable) {
    return std::unexpected(Error::BadRequest(
        "Idempotency-Key must be 1 to 255 printable ASCII characters",
        {{"Idempotency-Key", "Idempotency-Key must be 1 to 255 printable ASCII characters"}}));
  }
  return {};
}

Result<IdempotencyClaim> IdempotencyService::Claim(IdempotentRequest& request,
                                                   std::int64_t now_ms) {
  request.claim = NewUuidV4();
  return store_.ClaimIdempotencyKey(request, now_ms, now_ms + kIdempotencyLeaseMs,
                                    now_ms - kIdempotencyKeepSeconds * 1000);
}

Result<std::unique_ptr<store::WriteUnit>> IdempotencyService::BeginUnit() {
  return store_.BeginWriteUnit();
}

Result<void> IdempotencyService::Save(const IdempotentRequest& request,
                                      const StoredAnswer& answer) {
  return store_.SaveIdempotentAnswer(request, answer);
}

Result<void> IdempotencyService::Release(const IdempotentRequest& request) {
  return store_.ReleaseIdempotencyKey(request);
}

Result<std::int64_t> IdempotencyService::PurgeExpired(std::int64_t now_ms) {
  return store_.PurgeIdempotencyKeys(now_ms - kIdempotencyKeepSeconds * 1000);
}

}  // namespace contactd::domain

#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/access.hpp"
#include "domain/error.hpp"

namespace contactd::store {
class Store;
class WriteUnit;
}

namespace contactd::domain {

// How long a key's answer is kept, and how long a claim that never finished holds its key (its
// process died: what it did was rolled back, so the key is free again).
inline constexpr std::int64_t kIdempotencyKeepSeconds = 24 * 3600;
inline constexpr std::int64_t kIdempotencyLeaseMs = 60 * 1000;
inline constexpr std::size_t kMaxIdempotencyKeyLength = 255;

// A request made under an Idempotency-Key: the key is the caller's (account and user), and the
// fingerprint says what the request was (method, path, query, body).
struct IdempotentRequest {
  AccountId account;
  UserId user;
  std::string key;
  std::string fingerprint;
  std::string claim;  // this request's claim of the key (set by Claim): only it saves or frees it
};

// The answer a request got, kept to be given again.
struct StoredAnswer {
  int status = 0;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// What a request with a key may do.
struct IdempotencyClaim {
  enum class Outcome {
    kClaimed,   // first of its key (or the first's process died): run it
    kReplay,    // answered before: give `answer` again
    kMismatch,  // the key was used for another request
    kInFlight,  // the first is still running
  };
  Outcome outcome = Outcome::kClaimed;
  std::optional<StoredAnswer> answer;
};

// The fingerprint of a request: SHA-256 of its method, path, query and body.
std::string RequestFingerprint(std::string_view method, std::string_view path,
                               std::string_view query, std::string_view body);

// kBadRequest naming Idempotency-Key unless it is 1-255 printable ASCII characters.
Result<void> ValidateIdempotencyKey(std::string_view key);

// Idempotency keys (Stripe's): a request retried with its key is answered as the first was,
// never run twice. The answer is saved in the transaction of the change itself (a write unit),
// so a crash never keeps one without the other. Thread-safe if the store is.
class IdempotencyService {
 public:
  explicit IdempotencyService(store::Store& store) : store_(store) {}

  // Sets request.claim.
  Result<IdempotencyClaim> Claim(IdempotentRequest& request, std::int64_t now_ms);
  // Everything this thread writes until the unit commits is one transaction (see
  // store::WriteUnit); Save inside it keeps the answer with the change.
  Result<std::unique_ptr<store::WriteUnit>> BeginUnit();
  Result<void> Save(const IdempotentRequest& request, const StoredAnswer& answer);
  // Frees the key of a request that failed (5xx): the client may retry it.
  Result<void> Release(const IdempotentRequest& request);
  // Forgets answers older than kIdempotencyKeepSeconds.
  Result<std::int64_t> PurgeExpired(std::int64_t now_ms);

 private:
  store::Store& store_;
};

}  // namespace contactd::domain

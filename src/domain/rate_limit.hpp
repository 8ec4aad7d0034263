#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/error.hpp"

namespace contactd::store {
class Store;
}

namespace contactd::domain {

struct Principal;

// So many requests per window: "1000/h", "100/min", "10/s", "50000/day".
struct Rate {
  std::int64_t count = 0;
  std::int64_t window_seconds = 0;

  bool operator==(const Rate&) const = default;
};

// "N/s", "N/min", "N/h" or "N/day" with 1 <= N <= 1e9; a 400-style message otherwise.
Result<Rate> ParseRate(std::string_view text);
std::string FormatRate(const Rate& rate);

// The limits one caller is held to: a sustained rate and a burst, each a token bucket (either
// may be absent: unlimited).
struct RatePolicy {
  std::optional<Rate> sustained;
  std::optional<Rate> burst;

  bool limited() const { return sustained || burst; }
  bool operator==(const RatePolicy&) const = default;
};

// What an account chose for one of its buckets: the server's default, no limit, or its own.
struct RateSetting {
  enum class Kind { kDefault, kUnlimited, kRate };
  Kind kind = Kind::kDefault;
  Rate rate;  // kRate

  bool operator==(const RateSetting&) const = default;
};

// An account's own limits, in place of the server's.
struct RateOverride {
  RateSetting sustained;
  RateSetting burst;
};

// "default", "unlimited", or a rate (ParseRate).
Result<RateSetting> ParseRateSetting(std::string_view text);
// The inverse of ParseRateSetting.
std::string FormatRateSetting(const RateSetting& setting);

// The state of one caller's buckets: tokens left in each and when they were counted.
struct RateBuckets {
  double sustained = 0;
  double burst = 0;
  std::int64_t updated_ms = -1;  // -1: new (both buckets full)
  RatePolicy policy;             // the policy the tokens were counted under
};

// What a request may do under a policy, and what the headers say about it.
struct RateDecision {
  bool allowed = true;
  RatePolicy policy;
  double sustained = 0;  // tokens left after this request
  double burst = 0;
  std::int64_t sustained_full_s = 0;  // seconds until each bucket is full again
  std::int64_t burst_full_s = 0;
  std::int64_t retry_after_s = 0;     // when refused: seconds until one request is allowed
};

// Refills `buckets` up to `now_ms` under `policy` and, when `consume`, takes one token from each
// bucket if every bucket has one. Pure: the store keeps `buckets` and calls this under its lock.
RateDecision TakeRateToken(RateBuckets& buckets, const RatePolicy& policy, std::int64_t now_ms,
                           bool consume);

// Fair use: per-account request limits and per-address limits on failed authentication. The
// buckets live behind the store interface, so that nodes sharing a database share them.
class RateLimiter {
 public:
  RateLimiter(store::Store& store, RatePolicy defaults, std::optional<Rate> auth_failures)
      : store_(store), defaults_(defaults), auth_failures_(auth_failures) {}

  // The account's policy: the server's defaults with the account's overrides laid over them.
  RatePolicy PolicyOf(const Principal& principal) const;
  // Takes a request from the principal's account; nullopt when the account is unlimited.
  std::optional<RateDecision> Admit(const Principal& principal, std::int64_t now_ms);
  // Whether the address used up its failed authentications (a refusal saying when to retry).
  std::optional<RateDecision> AuthBlocked(std::string_view address, std::int64_t now_ms);
  // Counts a failed authentication from the address.
  void AuthFailed(std::string_view address, std::int64_t now_ms);

 private:
  store::Store& store_;
  const RatePolicy defaults_;
  const std::optional<Rate> auth_failures_;
};

}  // namespace contactd::domain

#include "domain/rate_limit.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "domain/access.hpp"
#include "store/store.hpp"

namespace contactd::domain {
namespace {

constexpr std::int64_t kMaxRateCount = 1'000'000'000;

struct Unit {
  std::string_view name;
  std::int64_t seconds;
};
constexpr Unit kUnits[] = {{"s", 1}, {"min", 60}, {"h", 3600}, {"day", 86400}};

// Tokens in a bucket of `rate` after `elapsed_ms`, from `tokens`, capped at its capacity.
double Refill(double tokens, const Rate& rate, std::int64_t elapsed_ms) {
  double count = static_cast<double>(rate.count);
  double per_ms = count / (static_cast<double>(rate.window_seconds) * 1000);
  return std::min(count, tokens + static_cast<double>(elapsed_ms) * per_ms);
}

// Seconds until `tokens` grow to `target` in a bucket of `rate` (rounded up).
std::int64_t SecondsUntil(double tokens, double target, const Rate& rate) {
  if (tokens >= target) return 0;
  double per_s = static_cast<double>(rate.count) / static_cast<double>(rate.window_seconds);
  return static_cast<std::int64_t>(std::ceil((target - tokens) / per_s));
}

}  // namespace

Result<Rate> ParseRate(std::string_view text) {
  auto invalid = [&] {
    return std::unexpected(Error::BadRequest(
        "A rate is a count per unit, like 1000/h (units: s, min, h, day); got '" +
        std::string(text.substr(0, 40)) + "'"));
  };
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return invalid();
  std::int64_t count = 0;
  std::string_view digits = text.substr(0, slash);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (ec != std::errc() || end != digits.data() + digits.size() || count < 1 ||
      count > kMaxRateCount) {
    return invalid();
  }
  std::string_view unit = text.substr(slash + 1);
  for (const Unit& known : kUnits) {
    if (unit == known.name) return Rate{count, known.seconds};
  }
  return invalid();
}

std::string FormatRate(const Rate& rate) {
  for (const Unit& known : kUnits) {
    if (rate.window_seconds == known.seconds) {
      return std::to_string(rate.count) + "/" + std::string(known.name);
    }
  }
  return std::to_string(rate.count) + "/" + std::to_string(rate.window_seconds) + "s";
}

Result<RateSetting> ParseRateSetting(std::string_view text) {
  if (text == "default") return RateSetting{};
  if (text == "unlimited") return RateSetting{RateSetting::Kind::kUnlimited, {}};
  auto rate = ParseRate(text);
  if (!rate) return std::unexpected(rate.error());
  return RateSetting{RateSetting::Kind::kRate, *rate};
}

std::string FormatRateSetting(const RateSetting& setting) {
  switch (setting.kind) {
    case RateSetting::Kind::kDefault:
      return "default";
    case RateSetting::Kind::kUnlimited:
      return "unlimited";
    case RateSetting::Kind::kRate:
      break;
  }
  return FormatRate(setting.rate);
}

RateDecision TakeRateToken(RateBuckets& buckets, const RatePolicy& policy, std::int64_t now_ms,
                           bool consume) {
  if (buckets.updated_ms < 0 || buckets.policy != policy) {
    // A new caller, or limits changed since: start with full buckets.
    buckets.sustained = policy.sustained ? static_cast<double>(policy.sustained->count) : 0;
    buckets.burst = policy.burst ? static_cast<double>(policy.burst->count) : 0;
    buckets.policy = policy;
    buckets.updated_ms = now_ms;
  }
  std::int64_t elapsed = std::max<std::int64_t>(0, now_ms - buckets.updated_ms);
  buckets.updated_ms = std::max(buckets.updated_ms, now_ms);
  if (policy.sustained) buckets.sustained = Refill(buckets.sustained, *policy.sustained, elapsed);
  if (policy.burst) buckets.burst = Refill(buckets.burst, *policy.burst, elapsed);
  RateDecision decision;
  decision.policy = policy;
  bool sustained_ok = !policy.sustained || buckets.sustained >= 1;
  bool burst_ok = !policy.burst || buckets.burst >= 1;
  decision.allowed = sustained_ok && burst_ok;
  if (decision.allowed && consume) {
    if (policy.sustained) buckets.sustained -= 1;
    if (policy.burst) buckets.burst -= 1;
  }
  decision.sustained = buckets.sustained;
  decision.burst = buckets.burst;
  if (policy.sustained) {
    decision.sustained_full_s = SecondsUntil(
        buckets.sustained, static_cast<double>(policy.sustained->count), *policy.sustained);
    if (!sustained_ok) {
      decision.retry_after_s = SecondsUntil(buckets.sustained, 1, *policy.sustained);
    }
  }
  if (policy.burst) {
    decision.burst_full_s =
        SecondsUntil(buckets.burst, static_cast<double>(policy.burst->count), *policy.burst);
    if (!burst_ok) {
      decision.retry_after_s = std::max(decision.retry_after_s,
                                         SecondsUntil(buckets.burst, 1, *policy.burst));
    }
  }
  if (!decision.allowed) decision.retry_after_s = std::max<std::int64_t>(1, decision.retry_after_s);
  return decision;
}

RatePolicy RateLimiter::PolicyOf(const Principal& principal) const {
  auto apply = [](const RateSetting& setting, std::optional<Rate>& rate) {
    if (setting.kind == RateSetting::Kind::kUnlimited) rate.reset();
    if (setting.kind == RateSetting::Kind::kRate) rate = setting.rate;
  };
  RatePolicy policy = defaults_;
  apply(principal.rates.sustained, policy.sustained);
  apply(principal.rates.burst, policy.burst);
  return policy;
}

std::optional<RateDecision> RateLimiter::Admit(const Principal& principal, std::int64_t now_ms) {
  RatePolicy policy = PolicyOf(principal);
  if (!policy.limited()) return std::nullopt;
  auto decision =
      store_.TakeRate("account:" + std::to_string(principal.account.value), policy, now_ms, true);
  // A store that cannot count lets the request through: limits protect, they must not break.
  if (!decision) return std::nullopt;
  return *decision;
}

std::optional<RateDecision> RateLimiter::AuthBlocked(std::string_view address,
                                                     std::int64_t now_ms) {
  if (!auth_failures_ || address.empty()) return std::nullopt;
  RatePolicy policy{.sustained = std::nullopt, .burst = auth_failures_};
  auto decision = store_.TakeRate("auth:" + std::string(address), policy, now_ms, false);
  if (!decision || decision->allowed) return std::nullopt;
  return *decision;
}

void RateLimiter::AuthFailed(std::string_view address, std::int64_t now_ms) {
  if (!auth_failures_ || address.empty()) return;
  RatePolicy policy{.sustained = std::nullopt, .burst = auth_failures_};
  (void)store_.TakeRate("auth:" + std::string(address), policy, now_ms, true);
}

}  // namespace contactd::domain

#include "domain/rate_limit.hpp"

#include <gtest/gtest.h>

#include "store/memory_rate_buckets.hpp"

namespace contactd::domain {
namespace {

TEST(ParseRate, ReadsACountPerUnit) {
  EXPECT_EQ(*ParseRate("1000/h"), (Rate{1000, 3600}));
  EXPECT_EQ(*ParseRate("100/min"), (Rate{100, 60}));
  EXPECT_EQ(*ParseRate("5/s"), (Rate{5, 1}));
  EXPECT_EQ(*ParseRate("50000/day"), (Rate{50000, 86400}));
  for (const char* bad : {"", "1000", "/h", "0/h", "-1/h", "10/hour", "1e3/h", "10/h ",
                          "2000000000/s", " 10/h"}) {
    EXPECT_FALSE(ParseRate(bad).has_value()) << bad;
  }
  EXPECT_EQ(FormatRate(Rate{100, 60}), "100/min");
}

TEST(ParseRateSetting, KnowsDefaultAndUnlimited) {
  EXPECT_EQ(ParseRateSetting("default")->kind, RateSetting::Kind::kDefault);
  EXPECT_EQ(ParseRateSetting("unlimited")->kind, RateSetting::Kind::kUnlimited);
  auto rate = *ParseRateSetting("10/s");
  EXPECT_EQ(rate.kind, RateSetting::Kind::kRate);
  EXPECT_EQ(rate.rate, (Rate{10, 1}));
  EXPECT_FALSE(ParseRateSetting("none").has_value());
  for (const char* text : {"default", "unlimited", "10/s"}) {
    EXPECT_EQ(FormatRateSetting(*ParseRateSetting(text)), text);
  }
}

TEST(TakeRateToken, TheBurstRunsOutAndRefillsAtItsRate) {
  RatePolicy policy{.sustained = Rate{1000, 3600}, .burst = Rate{3, 60}};
  RateBuckets buckets;
  std::int64_t now = 1'000'000;
  for (int i = 0; i < 3; ++i) {
    RateDecision taken = TakeRateToken(buckets, policy, now, true);
    EXPECT_TRUE(taken.allowed);
    EXPECT_EQ(static_cast<int>(taken.burst), 2 - i);
    EXPECT_EQ(static_cast<int>(taken.sustained), 999 - i);
  }
  RateDecision refused = TakeRateToken(buckets, policy, now, true);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_s, 20);  // one token of 3 per minute
  EXPECT_EQ(static_cast<int>(refused.sustained), 997);  // a refusal takes nothing
  EXPECT_EQ(refused.burst_full_s, 60);
  EXPECT_FALSE(TakeRateToken(buckets, policy, now + 19'000, true).allowed);
  EXPECT_TRUE(TakeRateToken(buckets, policy, now + 20'000, true).allowed);
}

TEST(TakeRateToken, TheSustainedRateHoldsWhenTheBurstWouldAllow) {
  RatePolicy policy{.sustained = Rate{2, 3600}, .burst = Rate{100, 60}};
  RateBuckets buckets;
  EXPECT_TRUE(TakeRateToken(buckets, policy, 0, true).allowed);
  EXPECT_TRUE(TakeRateToken(buckets, policy, 0, true).allowed);
  RateDecision refused = TakeRateToken(buckets, policy, 0, true);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_s, 1800);
}

TEST(TakeRateToken, LookingTakesNothingAndNewLimitsStartFull) {
  RatePolicy policy{.sustained = std::nullopt, .burst = Rate{1, 60}};
  RateBuckets buckets;
  EXPECT_TRUE(TakeRateToken(buckets, policy, 0, false).allowed);
  EXPECT_TRUE(TakeRateToken(buckets, policy, 0, true).allowed);
  EXPECT_FALSE(TakeRateToken(buckets, policy, 0, false).allowed);
  RatePolicy raised{.sustained = std::nullopt, .burst = Rate{5, 60}};
  RateDecision after = TakeRateToken(buckets, raised, 0, true);
  EXPECT_TRUE(after.allowed);
  EXPECT_EQ(static_cast<int>(after.burst), 4);
}

TEST(MemoryRateBuckets, KeysCountApartAndLookingRemembersNothing) {
  store::MemoryRateBuckets table;
  RatePolicy policy{.sustained = std::nullopt, .burst = Rate{1, 60}};
  EXPECT_TRUE(table.Take("a", policy, 0, true).allowed);
  EXPECT_FALSE(table.Take("a", policy, 0, true).allowed);
  EXPECT_TRUE(table.Take("b", policy, 0, false).allowed);
  EXPECT_TRUE(table.Take("b", policy, 0, true).allowed);
  // Many keys: the table stays bounded and a counting key's state survives.
  for (int i = 0; i < 400'000; ++i) table.Take("k" + std::to_string(i), policy, 1, true);
  EXPECT_FALSE(table.Take("k399999", policy, 1, true).allowed);
}

}  // namespace
}  // namespace contactd::domain

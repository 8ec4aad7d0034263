#include "store/memory_rate_buckets.hpp"

#include <algorithm>
#include <functional>
#include <utility>
#include <vector>

namespace contactd::store {

domain::RateDecision MemoryRateBuckets::Take(std::string_view key,
                                             const domain::RatePolicy& policy,
                                             std::int64_t now_ms, bool consume) {
  if (!consume && keys_.load(std::memory_order_relaxed) == 0) {
    domain::RateBuckets fresh;
    return domain::TakeRateToken(fresh, policy, now_ms, false);
  }
  Shard& shard = shards_[KeyHash{}(key) % kShards];
  std::lock_guard lock(shard.mu);
  auto found = shard.buckets.find(key);
  if (found == shard.buckets.end()) {
    if (!consume) {
      domain::RateBuckets fresh;
      return domain::TakeRateToken(fresh, policy, now_ms, false);
    }
    if (shard.buckets.size() >= max_keys_per_shard_) MakeRoom(shard, now_ms);
    found = shard.buckets.emplace(std::string(key), domain::RateBuckets{}).first;
    keys_.fetch_add(1, std::memory_order_relaxed);
  }
  return domain::TakeRateToken(found->second, policy, now_ms, consume);
}

void MemoryRateBuckets::MakeRoom(Shard& shard, std::int64_t now_ms) {
  std::size_t before = shard.buckets.size();
  std::erase_if(shard.buckets, [&](const auto& entry) {
    domain::RateBuckets buckets = entry.second;
    domain::RateDecision now = domain::TakeRateToken(buckets, buckets.policy, now_ms, false);
    return now.sustained_full_s == 0 && now.burst_full_s == 0;
  });
  // Still full of counting keys: the oldest-counted quarter goes (the nearest to full), so that
  // the sweep is paid once per many new keys.
  if (shard.buckets.size() >= max_keys_per_shard_) {
    std::vector<std::pair<std::int64_t, const std::string*>> ages;
    ages.reserve(shard.buckets.size());
    for (const auto& [key, buckets] : shard.buckets) ages.emplace_back(buckets.updated_ms, &key);
    std::size_t drop = max_keys_per_shard_ / 4;
    std::nth_element(ages.begin(), ages.begin() + static_cast<std::ptrdiff_t>(drop), ages.end());
    std::vector<std::string> dropped;
    for (std::size_t i = 0; i < drop; ++i) dropped.push_back(*ages[i].second);
    for (const std::string& key : dropped) shard.buckets.erase(key);
  }
  keys_.fetch_sub(before - shard.buckets.size(), std::memory_order_relaxed);
}

}  // namespace contactd::store

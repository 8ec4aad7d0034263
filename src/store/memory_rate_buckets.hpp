#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/rate_limit.hpp"

namespace contactd::store {

// Token buckets held in this process's memory: right for a store that one process serves (the
// embedded SQLite file). Sharded by key, so that requests of different accounts rarely meet on a
// lock; each shard keeps at most kMaxKeysPerShard keys (addresses are many), dropping full
// buckets first (the same as absent ones), then the longest unused.
class MemoryRateBuckets {
 public:
  // `max_keys_per_shard`: past it, keys are forgotten (see above); none for keys that are few.
  explicit MemoryRateBuckets(std::size_t max_keys_per_shard = kMaxKeysPerShard)
      : max_keys_per_shard_(max_keys_per_shard) {}

  domain::RateDecision Take(std::string_view key, const domain::RatePolicy& policy,
                            std::int64_t now_ms, bool consume);

 private:
  static constexpr std::size_t kShards = 64;
  static constexpr std::size_t kMaxKeysPerShard = 4096;

  // Looks keys up by string_view: no copy of the key per request.
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const {
      return std::hash<std::string_view>{}(key);
    }
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, domain::RateBuckets, KeyHash, std::equal_to<>> buckets;
  };
  void MakeRoom(Shard& shard, std::int64_t now_ms);

  const std::size_t max_keys_per_shard_;
  // Keys held in all shards: a look at a table holding none (no address has failed) takes no
  // lock, so that every authenticated request's look costs one atomic read.
  std::atomic<std::size_t> keys_{0};
  std::array<Shard, kShards> shards_;
};

}  // namespace contactd::store

#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>

// Instruments for /metrics (Prometheus text exposition) that any layer may count into: lock-free
// relaxed atomics, so that counting costs a few nanoseconds on the request path.
namespace contactd::metrics {

class Counter {
 public:
  void Add(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(std::int64_t value) { value_.store(value, std::memory_order_relaxed); }
  void Add(std::int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::int64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// Upper bounds of latency buckets, in seconds: 0.5 ms to 10 s.
inline constexpr std::array<double, 14> kLatencyBounds = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

// A histogram with fixed bucket bounds (at most kMaxBuckets, in the unit of the values).
class Histogram {
 public:
  static constexpr std::size_t kMaxBuckets = 16;
  // REQUIRES: `bounds` ascending, at most kMaxBuckets, and outliving the histogram.
  explicit Histogram(std::span<const double> bounds = kLatencyBounds) : bounds_(bounds) {}

  void Observe(double value) {
    std::size_t i = 0;
    while (i < bounds_.size() && value > bounds_[i]) ++i;
    counts_[i].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
  }

  std::span<const double> bounds() const { return bounds_; }
  // Observations in bucket `i` alone (i == bounds().size(): above the last bound).
  std::uint64_t BucketCount(std::size_t i) const {
    return counts_[i].load(std::memory_order_relaxed);
  }
  double Sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::span<const double> bounds_;
  std::array<std::atomic<std::uint64_t>, kMaxBuckets + 1> counts_{};
  std::atomic<double> sum_{0};
};

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// Writes the text exposition format (version 0.0.4): each family's HELP and TYPE, then its
// samples. Label values are escaped as the format requires.
class Exposition {
 public:
  explicit Exposition(std::string& out) : out_(out) {}

  void Family(std::string_view name, std::string_view type, std::string_view help);
  void Sample(std::string_view name, Labels labels, double value);
  // The _bucket (cumulative, with le), _sum and _count samples of `histogram`.
  void HistogramSamples(std::string_view name, Labels labels, const Histogram& histogram);

 private:
  void Series(std::string_view name, Labels labels, std::string_view extra_name = {},
              std::string_view extra_value = {});
  std::string& out_;
};

}  // namespace contactd::metrics

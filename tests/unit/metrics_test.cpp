#include "http/metrics.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "metrics/metrics.hpp"

namespace contactd::metrics {
namespace {

constexpr std::array<double, 3> kBounds = {1, 2, 5};

TEST(HistogramTest, CountsAValueInTheFirstBucketWhoseBoundIsNotBelowIt) {
  Histogram histogram(kBounds);
  for (double value : {0.5, 1.0, 1.5, 5.0, 7.0}) histogram.Observe(value);
  EXPECT_EQ(histogram.BucketCount(0), 2u);  // <= 1
  EXPECT_EQ(histogram.BucketCount(1), 1u);  // <= 2
  EXPECT_EQ(histogram.BucketCount(2), 1u);  // <= 5
  EXPECT_EQ(histogram.BucketCount(3), 1u);  // above every bound
  EXPECT_DOUBLE_EQ(histogram.Sum(), 15.0);
}

TEST(ExpositionTest, WritesFamiliesAndEscapedLabels) {
  std::string text;
  Exposition out(text);
  out.Family("x_total", "counter", "Things.");
  out.Sample("x_total", {{"route", "/a/{id}"}, {"note", "say \"hi\"\\\n"}}, 3);
  out.Sample("x_total", {}, 0.25);
  EXPECT_EQ(text,
            "# HELP x_total Things.\n# TYPE x_total counter\n"
            "x_total{route=\"/a/{id}\",note=\"say \\\"hi\\\"\\\\\\n\"} 3\n"
            "x_total 0.25\n");
}

TEST(ExpositionTest, WritesAHistogramCumulativeWithInfSumAndCount) {
  Histogram histogram(kBounds);
  for (double value : {0.5, 1.5, 1.5, 9.0}) histogram.Observe(value);
  std::string text;
  Exposition out(text);
  out.HistogramSamples("t_seconds", {{"a", "b"}}, histogram);
  EXPECT_EQ(text,
            "t_seconds_bucket{a=\"b\",le=\"1\"} 1\n"
            "t_seconds_bucket{a=\"b\",le=\"2\"} 3\n"
            "t_seconds_bucket{a=\"b\",le=\"5\"} 3\n"
            "t_seconds_bucket{a=\"b\",le=\"+Inf\"} 4\n"
            "t_seconds_sum{a=\"b\"} 12.5\n"
            "t_seconds_count{a=\"b\"} 4\n");
}

}  // namespace
}  // namespace contactd::metrics

namespace contactd::http {
namespace {

TEST(RouteMetricsTest, CountsEachStatusApartAndOthersTogether) {
  RouteMetrics metrics;
  metrics.Record(200, 0.001);
  metrics.Record(200, 0.002);
  metrics.Record(404, 0.001);
  metrics.Record(418, 0.001);
  metrics.Record(599, 0.001);
  metrics.Record(1000, 0.001);
  std::vector<std::pair<std::string, std::uint64_t>> seen;
  metrics.ForEachStatus([&](std::string_view status, const metrics::Histogram&,
                            std::uint64_t count) { seen.emplace_back(status, count); });
  std::vector<std::pair<std::string, std::uint64_t>> expected = {
      {"200", 2}, {"404", 1}, {"other", 3}};
  EXPECT_EQ(seen, expected);
}

TEST(RouteMetricsTest, LabelsEveryStatusItCountsApartWithItsCode) {
  for (unsigned status : RouteMetrics::kStatuses) {
    RouteMetrics metrics;
    metrics.Record(status, 0.001);
    std::string label;
    metrics.ForEachStatus(
        [&](std::string_view seen, const metrics::Histogram&, std::uint64_t) { label = seen; });
    EXPECT_EQ(label, std::to_string(status));
  }
}

}  // namespace
}  // namespace contactd::http

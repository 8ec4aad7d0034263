#include "metrics/metrics.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

namespace contactd::metrics {
namespace {

void AppendValue(std::string& out, double value) {
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else if (std::isnan(value)) {
    out += "NaN";
  } else if (value == std::floor(value) && std::fabs(value) < 1e15) {
    fmt::format_to(std::back_inserter(out), "{}", static_cast<std::int64_t>(value));
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

void AppendEscaped(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

}  // namespace

void Exposition::Family(std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void Exposition::Series(std::string_view name, Labels labels, std::string_view extra_name,
                        std::string_view extra_value) {
  out_ += name;
  if (labels.size() == 0 && extra_name.empty()) return;
  out_ += '{';
  bool first = true;
  auto label = [&](std::string_view key, std::string_view value) {
    if (!first) out_ += ',';
    first = false;
    out_ += key;
    out_ += "=\"";
    AppendEscaped(out_, value);
    out_ += '"';
  };
  for (const auto& [key, value] : labels) label(key, value);
  if (!extra_name.empty()) label(extra_name, extra_value);
  out_ += '}';
}

void Exposition::Sample(std::string_view name, Labels labels, double value) {
  Series(name, labels);
  out_ += ' ';
  AppendValue(out_, value);
  out_ += '\n';
}

void Exposition::HistogramSamples(std::string_view name, Labels labels,
                                  const Histogram& histogram) {
  std::string bucket = std::string(name) + "_bucket";
  std::uint64_t cumulative = 0;
  std::span<const double> bounds = histogram.bounds();
  for (std::size_t i = 0; i <= bounds.size(); ++i) {
    cumulative += histogram.BucketCount(i);
    std::string le;
    if (i == bounds.size()) {
      le = "+Inf";
    } else {
      AppendValue(le, bounds[i]);
    }
    Series(bucket, labels, "le", le);
    fmt::format_to(std::back_inserter(out_), " {}\n", cumulative);
  }
  Series(std::string(name) + "_sum", labels);
  out_ += ' ';
  AppendValue(out_, histogram.Sum());
  out_ += '\n';
  Series(std::string(name) + "_count", labels);
  fmt::format_to(std::back_inserter(out_), " {}\n", cumulative);
}

}  // namespace contactd::metrics

#include "app/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace contactd::app {

Progress::Progress(std::uintmax_t total, std::string command)
    : total_(std::max<std::uintmax_t>(total, 1)),
      command_(std::move(command)),
      terminal_(isatty(STDERR_FILENO) != 0),
      start_(Clock::now()),
      last_(start_) {}

void Progress::Update(std::uintmax_t done_units, std::int64_t rows, bool finished) {
  auto now = Clock::now();
  auto interval = terminal_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000);
  if (!finished && now - last_ < interval) return;
  last_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  double fraction =
      finished ? 1.0 : std::min(1.0, static_cast<double>(done_units) / static_cast<double>(total_));
  double rate = seconds > 0 ? static_cast<double>(rows) / seconds : 0;
  double eta = fraction > 0 ? seconds / fraction - seconds : 0;
  if (terminal_) {
    constexpr int kWidth = 30;
    int filled = static_cast<int>(fraction * kWidth);
    fmt::print(stderr, "\r[{}{}] {:3.0f}%  {} rows  {:.0f} rows/s  ETA {:.0f}s   ",
               std::string(filled, '#'), std::string(kWidth - filled, '.'), fraction * 100, rows,
               rate, eta);
    if (finished) fmt::print(stderr, "\n");
  } else {
    fmt::print(stderr, "{}: {:.0f}% {} rows {:.0f} rows/s ETA {:.0f}s\n", command_, fraction * 100,
               rows, rate, eta);
  }
  std::fflush(stderr);
}

}  // namespace contactd::app

#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace contactd::app {

// Progress of a long command (import, export) on stderr: a bar redrawn every 200 ms on a
// terminal, a plain line every 5 s otherwise (a log, a pipe).
class Progress {
 public:
  // `total` is the amount of work in the units Update is given (bytes, rows); `command` names
  // the plain lines ("import: 40% ...").
  Progress(std::uintmax_t total, std::string command);

  // `done_units` of the total are done, after `rows` rows; `finished` draws the last state.
  void Update(std::uintmax_t done_units, std::int64_t rows, bool finished = false);

 private:
  using Clock = std::chrono::steady_clock;
  const std::uintmax_t total_;
  const std::string command_;
  const bool terminal_;
  const Clock::time_point start_;
  Clock::time_point last_;
};

}  // namespace contactd::app

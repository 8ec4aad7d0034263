#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace contactd::app {

// Reads RFC 4180 CSV records from a stream: comma-separated fields, optionally double-quoted,
// "" for a quote inside quotes, quoted fields may span lines; CRLF or LF line ends.
// Not thread-safe.
class CsvReader {
 public:
  explicit CsvReader(std::istream& in) : in_(in) {}

  // Reads the next record into `fields`; returns false at the end of input. `line` is set to the
  // line number the record starts on (1-based). A record with an unterminated quote is returned
  // as it stands and flagged by malformed().
  bool Next(std::vector<std::string>& fields, std::int64_t& line);
  bool malformed() const { return malformed_; }
  // Bytes read so far (line ends counted as one byte).
  std::uintmax_t bytes() const { return bytes_; }

 private:
  std::istream& in_;
  std::int64_t line_ = 0;
  bool malformed_ = false;
  std::uintmax_t bytes_ = 0;
};

}  // namespace contactd::app

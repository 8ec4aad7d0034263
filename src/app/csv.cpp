#include "app/csv.hpp"

namespace contactd::app {

bool CsvReader::Next(std::vector<std::string>& fields, std::int64_t& line) {
  fields.clear();
  malformed_ = false;
  std::string text;
  do {
    if (!std::getline(in_, text)) return false;
    ++line_;
    bytes_ += text.size() + 1;
  } while (text.empty() || text == "\r");  // blank lines separate nothing
  line = line_;

  std::string field;
  bool quoted = false;
  std::size_t i = 0;
  for (;;) {
    if (i == text.size()) {
      if (quoted) {
        // A quoted field continues on the next physical line.
        std::string more;
        if (!std::getline(in_, more)) {
          malformed_ = true;
          break;
        }
        ++line_;
        bytes_ += more.size() + 1;
        field.push_back('\n');
        text = std::move(more);
        i = 0;
        continue;
      }
      break;
    }
    char c = text[i++];
    if (quoted) {
      if (c == '"') {
        if (i < text.size() && text[i] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
    } else if (c == '"' && field.empty()) {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i == text.size()) {
      // CRLF line end
    } else {
      field.push_back(c);
    }
  }
  fields.push_back(std::move(field));
  return true;
}

}  // namespace contactd::app

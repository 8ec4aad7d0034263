#include "api/json_writer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <boost/json/serialize.hpp>

namespace contactd::api {

JsonWriter& JsonWriter::Open(char bracket) {
  Separate();
  out_ += bracket;
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::Close(char bracket) {
  out_ += bracket;
  first_ = false;
  return *this;
}

void JsonWriter::Separate() {
  if (!first_) out_ += ',';
  first_ = false;
}

void JsonWriter::Quoted(std::string_view text) {
  bool plain = std::none_of(text.begin(), text.end(), [](char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
  });
  if (plain) {
    out_ += '"';
    out_ += text;
    out_ += '"';
  } else {
    out_ += boost::json::serialize(boost::json::string_view(text.data(), text.size()));
  }
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  Separate();
  out_ += '"';
  out_ += key;
  out_ += "\":";
  first_ = true;  // the member's value follows without a comma
  return *this;
}

JsonWriter& JsonWriter::EscapedKey(std::string_view key) {
  Separate();
  Quoted(key);
  out_ += ':';
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  Separate();
  Quoted(value);
  return *this;
}

JsonWriter& JsonWriter::OptionalString(const std::optional<std::string>& value) {
  return value ? String(*value) : Null();
}

JsonWriter& JsonWriter::Int(std::int64_t value) {
  Separate();
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, end);
  return *this;
}

JsonWriter& JsonWriter::OptionalInt(const std::optional<std::int64_t>& value) {
  return value ? Int(*value) : Null();
}

JsonWriter& JsonWriter::Number(double value) {
  // Whole numbers read as integers (5, not 5.0 or 5E0); others in their shortest exact form.
  constexpr double kExactInteger = 9007199254740992.0;  // 2^53
  if (value > -kExactInteger && value < kExactInteger && value == std::trunc(value)) {
    return Int(static_cast<std::int64_t>(value));
  }
  Separate();
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, end);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  Separate();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  Separate();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  Separate();
  out_ += json;
  return *this;
}

}  // namespace contactd::api

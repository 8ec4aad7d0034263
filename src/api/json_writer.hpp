#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace contactd::api {

// Appends JSON text to a string as it is written, for the hot responses (contacts and their
// lists): building a Boost.JSON DOM first costs an allocation per member and a key lookup per
// insert, a third of a list's CPU. Boost.JSON 1.81 has no streaming writer; this one escapes
// strings with it (boost::json::serialize) whenever a string needs escaping at all.
// Commas are placed by the writer; the caller nests Begin/End and puts a Key before each member.
// REQUIRES: strings are valid UTF-8 (everything contactd stores is).
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  // REQUIRES: `key` needs no escaping (keys are the API's own member names).
  JsonWriter& Key(std::string_view key);
  // A key a client may have chosen (an unknown member named in an error): escaped as needed.
  JsonWriter& EscapedKey(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& OptionalString(const std::optional<std::string>& value);
  JsonWriter& Int(std::int64_t value);
  JsonWriter& OptionalInt(const std::optional<std::int64_t>& value);
  // REQUIRES: `value` is finite (JSON has no NaN or infinity).
  JsonWriter& Number(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Appends text that is already one JSON value.
  JsonWriter& Raw(std::string_view json);

 private:
  JsonWriter& Open(char bracket);
  JsonWriter& Close(char bracket);
  void Separate();
  void Quoted(std::string_view text);

  std::string& out_;
  bool first_ = true;  // no comma before the next element
};

}  // namespace contactd::api

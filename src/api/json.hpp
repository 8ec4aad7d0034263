#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "domain/contact.hpp"
#include "domain/error.hpp"
#include "domain/tags.hpp"

namespace contactd::api {

// Parses a request body that must be one JSON object. kBadRequest for malformed JSON or another
// JSON type.
domain::Result<boost::json::object> ParseObject(std::string_view body);

// Reads the members of one JSON object into domain inputs, naming each member by its path
// ("phones[0].raw") in the errors it records. Remembers which members it read, so that
// RejectUnknown can name the rest. JSON null reads as present without a value.
class ObjectReader {
 public:
  ObjectReader(const boost::json::object& object, std::string prefix, domain::FieldErrors& errors)
      : object_(object), prefix_(std::move(prefix)), errors_(errors) {}

  domain::Input<std::string> String(std::string_view key);
  domain::Input<std::int64_t> Integer(std::string_view key);
  domain::Input<bool> Bool(std::string_view key);
  // An array of at most `max_items` strings; a longer one is reported before any element is read.
  domain::Input<std::vector<std::string>> StringArray(std::string_view key, std::size_t max_items);
  // The array under `key` if it holds at most `max_items` elements; records "<key> holds at most
  // N items" (before any element is looked at) or "must be an array" otherwise. Absent or null:
  // nullptr, nothing recorded.
  const boost::json::array* Array(std::string_view key, std::size_t max_items,
                                  std::string_view what);
  // The objects of the array under `key` (as Array), each with its path ("addresses[0]"); an
  // element of another type is recorded ("<path> must be an object") and left out. Absent, null
  // or refused: nullopt.
  std::optional<std::vector<std::pair<std::string, const boost::json::object*>>> ObjectArray(
      std::string_view key, std::size_t max_items, std::string_view what);
  // The object under `key`; records "<key> must be an object" for another type. Absent or null:
  // nullptr, nothing recorded.
  const boost::json::object* Object(std::string_view key);
  // Marks `key` as read and returns its value, or nullptr when absent.
  const boost::json::value* Member(std::string_view key);

  // Records "<key> is read-only" for each of `keys` present.
  void ReadOnly(std::initializer_list<std::string_view> keys);
  // Records "unknown field" for each member not read so far.
  void RejectUnknown();

  std::string Path(std::string_view key) const;
  domain::FieldErrors& errors() { return errors_; }

 private:
  const boost::json::object& object_;
  const std::string prefix_;
  domain::FieldErrors& errors_;
  std::vector<std::string_view> read_;
};

// Do-not-disturb settings under `key`: {"<channel>": {status, message?, code?}, ...}, each
// channel named by `channel_keys`, in the order of domain::kDndChannels (the native API's own
// names, seed 004's Call, Email, SMS, ...); other members are unknown fields.
domain::Input<std::vector<domain::DndChannelInput>> ReadDndSettings(
    ObjectReader& reader, std::string_view key, std::span<const std::string_view> channel_keys);

// A custom_fields object of key -> value under `key`, each value sorted by its JSON shape (what
// it must be depends on the field's type, which the domain knows).
domain::Input<std::vector<domain::CustomValueInput>> ReadCustomValues(ObjectReader& reader,
                                                                     std::string_view key);

// One custom field value by its JSON shape (null: remove it; another shape: malformed).
domain::CustomValueInput ReadCustomValue(std::string key, const boost::json::value& value);

class JsonWriter;

// A contact's custom field values as a JSON object of key -> value (a multi_select's an array).
void WriteCustomValues(JsonWriter& w, const domain::CustomValues& values);
// One of them.
void WriteCustomValue(JsonWriter& w, const domain::CustomValue& value);

// The body of a tags change (POST / DELETE /contacts/{id}/tags, on the native API and seed
// 004's): {"tags": [...]}.
domain::Result<domain::TagsInput> ParseTagsInput(std::string_view body);

}  // namespace contactd::api

#include "api/json.hpp"

#include <algorithm>
#include <type_traits>
#include <variant>

#include <boost/json/parse.hpp>

#include "api/json_writer.hpp"
#include "domain/custom_fields.hpp"
#include "domain/tags.hpp"

namespace contactd::api {

domain::Result<boost::json::object> ParseObject(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) {
    return std::unexpected(domain::Error::BadRequest("Request body is not valid JSON"));
  }
  if (!value.is_object()) {
    return std::unexpected(domain::Error::BadRequest("Request body must be a JSON object"));
  }
  return std::move(value.get_object());
}

std::string ObjectReader::Path(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

const boost::json::value* ObjectReader::Member(std::string_view key) {
  read_.push_back(key);
  return object_.if_contains(key);
}

domain::Input<std::string> ObjectReader::String(std::string_view key) {
  domain::Input<std::string> input;
  const boost::json::value* value = Member(key);
  if (value == nullptr) return input;
  input.present = true;
  if (value->is_string()) {
    input.value = std::string(value->get_string());
  } else if (!value->is_null()) {
    errors_.Add(Path(key), Path(key) + " must be a string");
  }
  return input;
}

domain::Input<std::int64_t> ObjectReader::Integer(std::string_view key) {
  domain::Input<std::int64_t> input;
  const boost::json::value* value = Member(key);
  if (value == nullptr) return input;
  input.present = true;
  if (value->is_int64()) {
    input.value = value->get_int64();
  } else if (value->is_uint64()) {
    errors_.Add(Path(key), Path(key) + " is out of range");
  } else if (!value->is_null()) {
    errors_.Add(Path(key), Path(key) + " must be an integer");
  }
  return input;
}

domain::Input<bool> ObjectReader::Bool(std::string_view key) {
  domain::Input<bool> input;
  const boost::json::value* value = Member(key);
  if (value == nullptr) return input;
  input.present = true;
  if (value->is_bool()) {
    input.value = value->get_bool();
  } else if (!value->is_null()) {
    errors_.Add(Path(key), Path(key) + " must be true or false");
  }
  return input;
}

const boost::json::object* ObjectReader::Object(std::string_view key) {
  const boost::json::value* value = Member(key);
  if (value == nullptr || value->is_null()) return nullptr;
  if (!value->is_object()) {
    errors_.Add(Path(key), Path(key) + " must be an object");
    return nullptr;
  }
  return &value->get_object();
}

const boost::json::array* ObjectReader::Array(std::string_view key, std::size_t max_items,
                                              std::string_view what) {
  const boost::json::value* value = Member(key);
  if (value == nullptr || value->is_null()) return nullptr;
  if (!value->is_array()) {
    errors_.Add(Path(key), Path(key) + " must be an array of " + std::string(what));
    return nullptr;
  }
  if (value->get_array().size() > max_items) {
    errors_.Add(Path(key), Path(key) + " holds at most " + std::to_string(max_items) + " " +
                               std::string(what));
    return nullptr;
  }
  return &value->get_array();
}

std::optional<std::vector<std::pair<std::string, const boost::json::object*>>>
ObjectReader::ObjectArray(std::string_view key, std::size_t max_items, std::string_view what) {
  const boost::json::array* array = Array(key, max_items, what);
  if (array == nullptr) return std::nullopt;
  std::vector<std::pair<std::string, const boost::json::object*>> objects;
  objects.reserve(array->size());
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string path = Path(key) + "[" + std::to_string(i) + "]";
    if ((*array)[i].is_object()) {
      objects.emplace_back(std::move(path), &(*array)[i].get_object());
    } else {
      errors_.Add(path, path + " must be an object");
    }
  }
  return objects;
}

domain::Input<std::vector<std::string>> ObjectReader::StringArray(std::string_view key,
                                                                  std::size_t max_items) {
  domain::Input<std::vector<std::string>> input;
  input.present = object_.contains(key);
  const boost::json::array* array = Array(key, max_items, "strings");
  if (array == nullptr) return input;
  std::vector<std::string> items;
  items.reserve(array->size());
  for (std::size_t i = 0; i < array->size(); ++i) {
    if (!(*array)[i].is_string()) {
      std::string path = Path(key) + "[" + std::to_string(i) + "]";
      errors_.Add(path, path + " must be a string");
      return input;
    }
    items.emplace_back((*array)[i].get_string());
  }
  input.value = std::move(items);
  return input;
}

void ObjectReader::ReadOnly(std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    read_.push_back(key);
    if (object_.contains(key)) errors_.Add(Path(key), Path(key) + " is read-only");
  }
}

void ObjectReader::RejectUnknown() {
  for (const auto& member : object_) {
    std::string_view key = member.key();
    if (std::find(read_.begin(), read_.end(), key) != read_.end()) continue;
    if (errors_.full()) {
      errors_.MarkTruncated();  // nothing more would be listed: stop looking
      return;
    }
    errors_.Add(Path(key), Path(key) + " is not a known field");
  }
}

domain::Input<std::vector<domain::DndChannelInput>> ReadDndSettings(
    ObjectReader& reader, std::string_view key, std::span<const std::string_view> channel_keys) {
  domain::Input<std::vector<domain::DndChannelInput>> input;
  input.present = reader.Member(key) != nullptr;
  const boost::json::object* object = reader.Object(key);
  if (object == nullptr) return input;
  ObjectReader settings(*object, reader.Path(key), reader.errors());
  input.value.emplace();
  for (std::size_t i = 0; i < channel_keys.size() && i < domain::kDndChannels.size(); ++i) {
    const boost::json::object* entry = settings.Object(channel_keys[i]);
    if (entry == nullptr) continue;
    ObjectReader channel(*entry, settings.Path(channel_keys[i]), reader.errors());
    domain::DndChannelInput channel_input;
    channel_input.channel = std::string(domain::kDndChannels[i]);
    channel_input.status = channel.String("status");
    channel_input.message = channel.String("message");
    channel_input.code = channel.String("code");
    channel.RejectUnknown();
    input.value->push_back(std::move(channel_input));
  }
  settings.RejectUnknown();
  return input;
}

domain::Input<std::vector<domain::CustomValueInput>> ReadCustomValues(ObjectReader& reader,
                                                                     std::string_view key) {
  domain::Input<std::vector<domain::CustomValueInput>> input;
  input.present = reader.Member(key) != nullptr;
  const boost::json::object* object = reader.Object(key);
  if (object == nullptr) return input;
  if (object->size() > domain::kMaxCustomFieldsPerAccount) {
    reader.errors().Add(reader.Path(key), reader.Path(key) + " holds at most 500 fields");
    return input;
  }
  input.value.emplace();
  for (const auto& member : *object) {
    input.value->push_back(ReadCustomValue(std::string(member.key()), member.value()));
  }
  return input;
}

domain::CustomValueInput ReadCustomValue(std::string key, const boost::json::value& v) {
  domain::CustomValueInput value;
  value.key = std::move(key);
  if (v.is_string()) {
    value.value = std::string(v.get_string());
  } else if (v.is_bool()) {
    value.value = v.get_bool();
  } else if (v.is_number()) {
    value.value = v.to_number<double>();
  } else if (v.is_array() && v.get_array().size() <= domain::kMaxCustomFieldOptions) {
    std::vector<std::string> items;
    for (const boost::json::value& item : v.get_array()) {
      if (!item.is_string()) {
        value.malformed = true;
        break;
      }
      items.emplace_back(item.get_string());
    }
    value.value = std::move(items);
  } else if (!v.is_null()) {
    value.malformed = true;
  }
  return value;
}

void WriteCustomValue(JsonWriter& w, const domain::CustomValue& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          w.String(v);
        } else if constexpr (std::is_same_v<T, double>) {
          w.Number(v);
        } else if constexpr (std::is_same_v<T, bool>) {
          w.Bool(v);
        } else {
          w.BeginArray();
          for (const std::string& item : v) w.String(item);
          w.EndArray();
        }
      },
      value);
}

void WriteCustomValues(JsonWriter& w, const domain::CustomValues& values) {
  w.BeginObject();
  for (const auto& [key, value] : values) {
    w.Key(key);  // keys are letters, digits, '_', '-' and '.': nothing to escape
    WriteCustomValue(w, value);
  }
  w.EndObject();
}

domain::Result<domain::TagsInput> ParseTagsInput(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::unexpected(object.error());
  domain::TagsInput input;
  ObjectReader reader(*object, "", input.errors);
  auto tags = reader.StringArray("tags", domain::kMaxTagsPerContact);
  input.present = tags.value.has_value();
  if (tags.value) input.tags = std::move(*tags.value);
  reader.RejectUnknown();
  return input;
}

}  // namespace contactd::api

#include "domain/tags.hpp"

#include <algorithm>

#include "domain/contact.hpp"
#include "domain/text.hpp"
#include "domain/validation.hpp"

namespace contactd::domain {
namespace {

bool Holds(const std::vector<std::string>& keys, const std::string& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::vector<std::string> Keys(const std::vector<std::string>& tags) {
  std::vector<std::string> keys;
  keys.reserve(tags.size());
  for (const std::string& tag : tags) keys.push_back(TagKey(tag));
  return keys;
}

}  // namespace

std::string TagKey(std::string_view tag) { return FoldCase(tag); }

std::vector<std::string> ValidateTags(const std::vector<std::string>& tags,
                                      std::string_view field, FieldErrors& errors) {
  std::vector<std::string> clean;
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < tags.size(); ++i) {
    std::string path = std::string(field) + "[" + std::to_string(i) + "]";
    std::string_view tag = Trim(tags[i]);
    std::size_t length = Utf8Length(tag);
    if (length == 0 || length > kMaxTagLength) {
      errors.Add(path, path + " must be 1 to 64 characters");
    } else if (HasControlCharacter(tag, /*allow_tab_newline=*/false)) {
      errors.Add(path, path + " must not contain control characters");
    } else if (tag.find(',') != std::string_view::npos) {
      errors.Add(path, path + " must not contain a comma");
    } else if (std::string key = TagKey(tag); !Holds(keys, key)) {
      keys.push_back(std::move(key));
      clean.emplace_back(tag);
    }
    if (errors.full()) break;
  }
  return clean;
}

std::vector<std::string> WithTags(std::vector<std::string> current,
                                  const std::vector<std::string>& added) {
  std::vector<std::string> keys = Keys(current);
  for (const std::string& tag : added) {
    std::string key = TagKey(tag);
    if (Holds(keys, key)) continue;
    keys.push_back(std::move(key));
    current.push_back(tag);
  }
  return current;
}

std::vector<std::string> WithoutTags(const std::vector<std::string>& current,
                                     const std::vector<std::string>& removed) {
  std::vector<std::string> removed_keys = Keys(removed);
  std::vector<std::string> kept;
  for (const std::string& tag : current) {
    if (!Holds(removed_keys, TagKey(tag))) kept.push_back(tag);
  }
  return kept;
}

}  // namespace contactd::domain

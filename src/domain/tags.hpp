#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"

namespace contactd::domain {

// A tag of an account and how many of its contacts carry it.
struct TagCount {
  std::string name;  // as first spelled in the account
  std::int64_t contacts = 0;
};

// The body of POST / DELETE /contacts/{id}/tags.
struct TagsInput {
  std::vector<std::string> tags;
  bool present = false;  // false: the body had no (valid) tags array
  FieldErrors errors;
};

// The key tags compare by: two tags are the same tag when their keys are equal.
std::string TagKey(std::string_view tag);

// Cleans tags a client sent under `field`: each is trimmed and must be 1-64 characters with no
// control character and no comma (seed 002 shows a contact's tags joined by commas). Drops
// repeats under TagKey, keeping the first spelling. Errors name the element ("tags[3]").
std::vector<std::string> ValidateTags(const std::vector<std::string>& tags,
                                      std::string_view field, FieldErrors& errors);

// `current` with each of `added` that it does not hold yet appended.
std::vector<std::string> WithTags(std::vector<std::string> current,
                                  const std::vector<std::string>& added);
// `current` without the tags of `removed`.
std::vector<std::string> WithoutTags(const std::vector<std::string>& current,
                                     const std::vector<std::string>& removed);

}  // namespace contactd::domain

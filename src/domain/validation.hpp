#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "domain/contact.hpp"
#include "domain/error.hpp"

namespace contactd::domain {

inline constexpr std::size_t kMaxTextLength = 255;   // characters, not bytes
inline constexpr std::size_t kMaxEmailLength = 254;  // RFC 5321 path limit
inline constexpr std::size_t kMaxPhonesPerContact = 20;

// Number of Unicode code points in valid UTF-8 `text`.
std::size_t Utf8Length(std::string_view text);

// Returns whether `email` looks like a deliverable address: one @, a non-empty local part of at
// most 64 characters, a dotted domain of letters, digits and hyphens, no spaces.
bool IsPlausibleEmail(std::string_view email);

// Returns whether `url` is an absolute http or https URL with a host.
bool IsHttpUrl(std::string_view url);

// Checks the value of one text field against its rules; appends to `errors` under its name.
void ValidateText(TextField field, const std::string& value, FieldErrors& errors);

// Checks a plain string of a named field against the common length limit.
void ValidateLength(std::string_view field, const std::string& value, FieldErrors& errors);

}  // namespace contactd::domain

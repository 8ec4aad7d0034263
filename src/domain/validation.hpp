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
// contact_types holds each of kContactTypes at most once; duplicates sent are dropped, up to this.
inline constexpr std::size_t kMaxContactTypes = 10;

// Number of Unicode code points in valid UTF-8 `text`.
std::size_t Utf8Length(std::string_view text);

// Returns whether `email` looks like a deliverable address: one @, a non-empty local part of at
// most 64 characters, a dotted domain of letters, digits and hyphens, no spaces.
bool IsPlausibleEmail(std::string_view email);

// Returns whether `url` is an absolute http or https URL with a host.
bool IsHttpUrl(std::string_view url);

// Cleans and checks the value of one text field: trims it, then applies the common rules (no
// control characters but, in long text, tabs and newlines; the field's length limit) and its
// TextRule. Appends to `errors` under the field's name and returns the value as it is stored:
// trimmed, and canonical for countries (upper case), dates (YYYY-MM-DD) and choices (lower case).
std::string ValidateText(TextField field, std::string_view value, FieldErrors& errors);
// The same rules for a value that is not a contact column (a custom field's), under `name`.
std::string ValidateText(const TextFieldSpec& spec, const std::string& name,
                         std::string_view value, FieldErrors& errors);

// Trims a single-line text value of a named field and checks the common rules: no control
// characters, at most kMaxTextLength characters. Appends to `errors`; returns the trimmed value.
std::string CleanText(std::string_view field, std::string_view value, FieldErrors& errors);

}  // namespace contactd::domain

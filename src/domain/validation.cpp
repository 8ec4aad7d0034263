#include "domain/validation.hpp"

#include <algorithm>
#include <cctype>

#include <boost/url/parse.hpp>

#include "domain/locale.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"

namespace contactd::domain {

std::size_t Utf8Length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool IsPlausibleEmail(std::string_view email) {
  if (email.size() > kMaxEmailLength) return false;
  std::size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  std::string_view local = email.substr(0, at);
  std::string_view domain = email.substr(at + 1);
  for (unsigned char c : local) {
    if (c <= 0x20 || c == 0x7F || c == '@' || c == '(' || c == ')' || c == ',' || c == ';' ||
        c == ':' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\' || c == '"') {
      return false;
    }
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return false;
  }
  // Domain: labels of letters, digits and hyphens (or non-ASCII, for IDNs), at least two labels.
  if (domain.empty() || domain.size() > 253 || domain.find('.') == std::string_view::npos) {
    return false;
  }
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= domain.size(); ++i) {
    if (i == domain.size() || domain[i] == '.') {
      std::string_view label = domain.substr(label_start, i - label_start);
      if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
        return false;
      }
      label_start = i + 1;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(domain[i]);
    if (!(std::isalnum(c) || c == '-' || c >= 0x80)) return false;
  }
  return true;
}

bool IsHttpUrl(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return false;
  std::string scheme = std::string(parsed->scheme());
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != "http" && scheme != "https") return false;
  return parsed->has_authority() && !parsed->encoded_host().empty();
}

std::string CleanText(std::string_view field, std::string_view value, FieldErrors& errors) {
  std::string_view trimmed = Trim(value);
  if (HasControlCharacter(trimmed, /*allow_tab_newline=*/false)) {
    errors.Add(std::string(field), std::string(field) + " must not contain control characters");
  } else if (Utf8Length(trimmed) > kMaxTextLength) {
    errors.Add(std::string(field), std::string(field) + " must be at most 255 characters");
  }
  return std::string(trimmed);
}

namespace {

std::string JoinChoices(std::span<const std::string_view> choices) {
  std::string joined;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) joined += i + 1 == choices.size() ? " or " : ", ";
    joined += choices[i];
  }
  return joined;
}

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

}  // namespace

std::string ValidateText(TextField field, std::string_view value, FieldErrors& errors) {
  const TextFieldSpec& spec = SpecOf(field);
  return ValidateText(spec, std::string(spec.name), value, errors);
}

std::string ValidateText(const TextFieldSpec& spec, const std::string& name,
                         std::string_view value, FieldErrors& errors) {
  std::string text(Trim(value));
  if (HasControlCharacter(text, /*allow_tab_newline=*/spec.rule == TextRule::kMultiline)) {
    errors.Add(name, name + " must not contain control characters");
    return text;
  }
  if (Utf8Length(text) > spec.max_length) {
    errors.Add(name, name + " must be at most " + std::to_string(spec.max_length) + " characters");
    return text;
  }
  switch (spec.rule) {
    case TextRule::kLine:
    case TextRule::kMultiline:
      break;
    case TextRule::kEmail:
      if (!IsPlausibleEmail(text)) errors.Add(name, name + " must be a valid email address");
      break;
    case TextRule::kHttpUrl:
      if (!IsHttpUrl(text)) errors.Add(name, name + " must be an http or https URL");
      break;
    case TextRule::kCountry:
      if (auto country = IsoCountry(text)) return *country;
      errors.Add(name, name + " must be an ISO 3166-1 alpha-2 country code such as US");
      break;
    case TextRule::kTimeZone:
      if (!IsIanaTimeZone(text)) {
        errors.Add(name, name + " must be an IANA time zone name such as America/Chicago");
      }
      break;
    case TextRule::kDate:
      if (auto date = ParseDate(text)) return *date;
      errors.Add(name, name + " must be a date: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYY_MM_DD, "
                              "MM-DD-YYYY, MM/DD/YYYY, MM.DD.YYYY or MM_DD_YYYY");
      break;
    case TextRule::kChoice: {
      std::string lower = AsciiLower(text);
      if (std::find(spec.choices.begin(), spec.choices.end(), lower) != spec.choices.end()) {
        return lower;
      }
      errors.Add(name, name + " must be " + JoinChoices(spec.choices));
      break;
    }
  }
  return text;
}

}  // namespace contactd::domain

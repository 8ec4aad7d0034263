// Fuzzes one phone of a contact body: domain::NormalizePhone, which wraps libphonenumber.
// The input is split at newlines into raw, country, extension and type; a missing part is an
// absent member (so "raw" alone parses in the default region US).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "check.hpp"
#include "domain/phone.hpp"

namespace {

namespace domain = contactd::domain;

// Returns the next newline-terminated part of `rest`, or nullopt when nothing is left.
std::optional<std::string> NextPart(std::string_view& rest, bool& done) {
  if (done) return std::nullopt;
  std::size_t newline = rest.find('\n');
  if (newline == std::string_view::npos) {
    done = true;
    return std::string(rest);
  }
  std::string part(rest.substr(0, newline));
  rest.remove_prefix(newline + 1);
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  bool done = false;
  domain::PhoneInput input;
  input.raw = NextPart(rest, done).value_or("");
  input.country = NextPart(rest, done);
  input.extension = NextPart(rest, done);
  input.type = NextPart(rest, done);

  domain::FieldErrors errors;
  std::optional<domain::Phone> phone = domain::NormalizePhone(input, "phones[0]", errors);
  FUZZ_CHECK(phone.has_value() == errors.empty());
  if (phone) {
    FUZZ_CHECK(phone->raw == input.raw);
    FUZZ_CHECK(phone->e164.size() > 1 && phone->e164.front() == '+');
    FUZZ_CHECK(phone->e164.size() <= 16);  // '+' and at most 15 digits
    FUZZ_CHECK(phone->e164.find_first_not_of("0123456789", 1) == std::string::npos);
    FUZZ_CHECK(domain::IsKnownPhoneRegion(phone->country));
    // An extension taken from raw obeys the rule of an explicit one: at most 16 ASCII digits.
    FUZZ_CHECK(phone->extension.size() <= 16);
    FUZZ_CHECK(phone->extension.find_first_not_of("0123456789") == std::string::npos);
    // A stored number normalizes to itself: what PATCH sends back must stay valid.
    domain::PhoneInput again{phone->e164, phone->type, phone->country, phone->extension};
    domain::FieldErrors again_errors;
    auto normalized = domain::NormalizePhone(again, "phones[0]", again_errors);
    FUZZ_CHECK(normalized.has_value() && normalized->e164 == phone->e164);
  }
  return 0;
}

#include "domain/phone.hpp"

#include <algorithm>
#include <cctype>

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include "domain/text.hpp"
#include "domain/validation.hpp"

namespace contactd::domain {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

constexpr std::size_t kMaxRawLength = 64;
// Free text kept as sent (seed 002's mobile_phone takes 255 characters).
constexpr std::size_t kMaxFreeTextLength = 255;
constexpr std::size_t kMaxExtensionLength = 16;

const PhoneNumberUtil& Util() {
  // GetInstance() is thread-safe and the instance is immutable after construction; it logs parse
  // failures through its logger, which we silence: every failure is reported to the client.
  static const PhoneNumberUtil* util = [] {
    PhoneNumberUtil* instance = PhoneNumberUtil::GetInstance();
    instance->SetLogger(new i18n::phonenumbers::NullLogger());
    return instance;
  }();
  return *util;
}

bool IsDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

bool IsKnownPhoneRegion(std::string_view region) {
  if (region.size() != 2) return false;
  return Util().GetCountryCodeForRegion(std::string(region)) != 0;
}

std::optional<Phone> NormalizePhone(const PhoneInput& input, const std::string& field,
                                    FieldErrors& errors, PhonePolicy policy,
                                    std::string_view default_country) {
  bool ok = true;
  Phone phone;
  phone.raw = input.raw;
  phone.type = input.type.value_or("mobile");
  if (std::find(kPhoneTypes.begin(), kPhoneTypes.end(), phone.type) == kPhoneTypes.end()) {
    errors.Add(field + ".type", field + ".type must be one of mobile, office, fax, home, main, work");
    ok = false;
  }
  phone.country = input.country.value_or(std::string(default_country));
  std::transform(phone.country.begin(), phone.country.end(), phone.country.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (!IsKnownPhoneRegion(phone.country)) {
    errors.Add(field + ".country", field + ".country must be a 2-letter ISO region code");
    ok = false;
  }
  if (input.extension) {
    if (input.extension->size() > kMaxExtensionLength || !IsDigits(*input.extension)) {
      errors.Add(field + ".extension", field + ".extension must be at most 16 digits");
      ok = false;
    }
  }
  std::size_t limit = policy == PhonePolicy::kKeepUnparsed ? kMaxFreeTextLength : kMaxRawLength;
  if (Utf8Length(input.raw) > limit) {
    errors.Add(field + ".raw", field + ".raw must be at most " + std::to_string(limit) +
                                   " characters");
    return std::nullopt;
  }
  if (!ok) return std::nullopt;

  const PhoneNumberUtil& util = Util();
  PhoneNumber number;
  bool parsed = util.Parse(input.raw, phone.country, &number) == PhoneNumberUtil::NO_PARSING_ERROR;
  bool accepted = parsed && (policy == PhonePolicy::kPossible ? util.IsPossibleNumber(number)
                                                              : util.IsValidNumber(number));
  if (!accepted) {
    if (policy == PhonePolicy::kKeepUnparsed) {
      // Kept as free text: it must still be one clean line.
      if (Trim(input.raw).empty() || HasControlCharacter(input.raw, /*allow_tab_newline=*/false)) {
        errors.Add(field + ".raw", field + ".raw must be a non-empty line of text");
        return std::nullopt;
      }
      if (input.extension) phone.extension = *input.extension;
      return phone;
    }
    errors.Add(field + ".raw", field + (parsed ? ".raw is not a valid phone number"
                                               : ".raw is not a phone number"));
    return std::nullopt;
  }
  util.Format(number, PhoneNumberUtil::E164, &phone.e164);
  // libphonenumber accepts some national numbers (German ones among them) too long for E.164's
  // 15 digits; their "E.164" form would be no such thing.
  constexpr std::size_t kMaxE164Length = 16;  // '+' and 15 digits
  if (phone.e164.size() > kMaxE164Length) {
    errors.Add(field + ".raw", field + ".raw has more digits than an E.164 number can hold");
    return std::nullopt;
  }
  // The country shown is the number's own; the hint only parses numbers without a '+'. A
  // non-geographic number (+800...) has no region ("001"): the hint stays.
  std::string region;
  util.GetRegionCodeForNumber(number, &region);
  if (region.size() == 2 && region != "ZZ") phone.country = std::move(region);
  if (input.extension) {
    phone.extension = *input.extension;
  } else if (number.has_extension()) {
    // An extension read from raw obeys the rule of an explicit one.
    if (number.extension().size() > kMaxExtensionLength || !IsDigits(number.extension())) {
      errors.Add(field + ".raw", field + ".raw has an extension that is not at most 16 digits");
      return std::nullopt;
    }
    phone.extension = number.extension();
  }
  return phone;
}

std::string CountryCallingCode(std::string_view region) {
  int code = Util().GetCountryCodeForRegion(std::string(region));
  return code == 0 ? std::string() : std::to_string(code);
}

std::optional<std::string> NormalizePhoneText(std::string_view raw, const std::string& field,
                                              const WritePolicy& policy, FieldErrors& errors) {
  FieldErrors phone_errors;
  auto phone = NormalizePhone(PhoneInput{std::string(raw), {}, {}, {}}, field, phone_errors,
                              policy.phones, policy.default_country);
  if (!phone) {
    errors.Add(field, field + " must be a valid phone number");
    return std::nullopt;
  }
  return phone->e164.empty() ? phone->raw : phone->e164;
}

}  // namespace contactd::domain

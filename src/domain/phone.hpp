#pragma once

#include <string>
#include <string_view>

#include "domain/contact.hpp"
#include "domain/error.hpp"

namespace contactd::domain {

// Returns whether `region` (upper case) is an ISO 3166-1 alpha-2 region libphonenumber knows.
bool IsKnownPhoneRegion(std::string_view region);

// Validates and normalizes one phone of a request. `field` names it in errors ("phones[0]").
// Parses `raw` with libphonenumber in `country` (default `default_country`; a leading +
// overrides it), requires a
// valid number and fills `e164` and `country` (the number's region); an extension in `raw` is
// kept unless one was given explicitly.
// Under PhonePolicy::kKeepUnparsed, a `raw` that is not a valid number is kept as sent (single
// line, within the length limit) with an empty `e164` and the hint as its country.
// Appends every problem to `errors` and returns nothing then. Thread-safe.
std::optional<Phone> NormalizePhone(const PhoneInput& input, const std::string& field,
                                    FieldErrors& errors,
                                    PhonePolicy policy = PhonePolicy::kStrict,
                                    std::string_view default_country = "US");

// The country calling code of a region ("US" -> "1", "GB" -> "44"); "" for an unknown region.
std::string CountryCallingCode(std::string_view region);

// A phone kept as one string (a spouse's, an address's): its E.164 form when it parses, else, under
// PhonePolicy::kKeepUnparsed, the text as sent. Records "<field> must be a valid phone number".
std::optional<std::string> NormalizePhoneText(std::string_view raw, const std::string& field,
                                              const WritePolicy& policy, FieldErrors& errors);

}  // namespace contactd::domain

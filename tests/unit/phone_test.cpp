#include "domain/phone.hpp"

#include <gtest/gtest.h>

namespace contactd::domain {
namespace {

std::optional<Phone> Normalize(std::string raw, std::optional<std::string> country = std::nullopt,
                               FieldErrors* errors_out = nullptr) {
  FieldErrors errors;
  PhoneInput input{std::move(raw), std::nullopt, std::move(country), std::nullopt};
  auto phone = NormalizePhone(input, "phones[0]", errors);
  if (errors_out != nullptr) *errors_out = errors;
  return phone;
}

TEST(Phone, NormalizesUsNationalFormatsToE164) {
  for (const char* raw : {"(212) 555-0184", "212.555.0184", "212-555-0184", "2125550184",
                          "+1 212 555 0184", "1 (212) 555-0184"}) {
    auto phone = Normalize(raw);
    ASSERT_TRUE(phone.has_value()) << raw;
    EXPECT_EQ(phone->e164, "+12125550184") << raw;
    EXPECT_EQ(phone->country, "US");
    EXPECT_EQ(phone->type, "mobile");
    EXPECT_EQ(phone->raw, raw);
  }
}

TEST(Phone, UsesCountryForNationalNumbers) {
  EXPECT_EQ(Normalize("020 7946 0958", "GB")->e164, "+442079460958");
  EXPECT_EQ(Normalize("030 123456", "DE")->e164, "+4930123456");
  EXPECT_EQ(Normalize("01 23 45 67 89", "FR")->e164, "+33123456789");
}

TEST(Phone, LowerCaseCountryIsAcceptedAndRenderedUpperCase) {
  auto phone = Normalize("020 7946 0958", "gb");
  ASSERT_TRUE(phone.has_value());
  EXPECT_EQ(phone->country, "GB");
}

TEST(Phone, LeadingPlusOverridesCountry) {
  EXPECT_EQ(Normalize("+44 20 7946 0958", "US")->e164, "+442079460958");
}

TEST(Phone, NumbersTooLongForE164AreRejected) {
  // Found by fuzz_phone: libphonenumber deems this German number valid, with 16 digits.
  FieldErrors errors;
  EXPECT_FALSE(Normalize("030 904794794018", "DE", &errors).has_value());
  EXPECT_TRUE(errors.Has("phones[0].raw"));
}

TEST(Phone, ExtensionInRawFollowsTheRuleOfAnExplicitOne) {
  // Found by fuzz_phone: libphonenumber keeps 17-digit and non-ASCII-digit extensions.
  FieldErrors errors;
  EXPECT_FALSE(Normalize("(212) 555-0184 ext. 12345678901234567", std::nullopt, &errors));
  EXPECT_TRUE(errors.Has("phones[0].raw"));
  EXPECT_FALSE(Normalize("029 2040 8584 x2\u0663", "GB").has_value());
}

TEST(Phone, CountryIsTheRegionOfTheNumberNotTheHint) {
  EXPECT_EQ(Normalize("+44 20 7946 0958")->country, "GB");
  EXPECT_EQ(Normalize("+44 20 7946 0958", "US")->country, "GB");
  EXPECT_EQ(Normalize("+49 30 123456", "FR")->country, "DE");
  EXPECT_EQ(Normalize("(212) 555-0184")->country, "US");
}

TEST(Phone, KeepsExtensionFromRaw) {
  auto phone = Normalize("212-555-0184 ext. 12");
  ASSERT_TRUE(phone.has_value());
  EXPECT_EQ(phone->e164, "+12125550184");
  EXPECT_EQ(phone->extension, "12");
}

TEST(Phone, RejectsUnparseableAndInvalidNumbersNamingRaw) {
  for (const char* raw : {"12", "not a phone", "(212) 555-01", ""}) {
    FieldErrors errors;
    EXPECT_FALSE(Normalize(raw, std::nullopt, &errors).has_value()) << raw;
    EXPECT_TRUE(errors.Has("phones[0].raw")) << raw;
  }
}

TEST(Phone, RejectsUnknownCountryAndType) {
  FieldErrors errors;
  EXPECT_FALSE(Normalize("2125550184", "ZZ", &errors).has_value());
  EXPECT_TRUE(errors.Has("phones[0].country"));

  FieldErrors type_errors;
  PhoneInput input{"2125550184", "pager", std::nullopt, std::nullopt};
  EXPECT_FALSE(NormalizePhone(input, "phones[1]", type_errors).has_value());
  EXPECT_TRUE(type_errors.Has("phones[1].type"));
}

TEST(Phone, KnownRegions) {
  EXPECT_TRUE(IsKnownPhoneRegion("US"));
  EXPECT_TRUE(IsKnownPhoneRegion("DE"));
  EXPECT_FALSE(IsKnownPhoneRegion("ZZ"));
  EXPECT_FALSE(IsKnownPhoneRegion("USA"));
}

}  // namespace
}  // namespace contactd::domain

namespace contactd::domain {
namespace {

TEST(PhonePolicy, PossibleTakesNumbersOfTheRightShapeThatAreNotAssigned) {
  // Seed 004's example number: the 555 range is fictional, so not valid, but possible.
  PhoneInput seed{"+15551234567", std::nullopt, std::nullopt, std::nullopt};
  FieldErrors strict;
  EXPECT_FALSE(NormalizePhone(seed, "phone", strict).has_value());
  EXPECT_TRUE(strict.Has("phone.raw"));
  FieldErrors errors;
  auto phone = NormalizePhone(seed, "phone", errors, PhonePolicy::kPossible);
  ASSERT_TRUE(phone.has_value());
  EXPECT_EQ(phone->e164, "+15551234567");
  EXPECT_EQ(phone->country, "US");
  // A hint reads a national number; too few digits and text are still refused.
  auto national = NormalizePhone({"020 7183 8750", std::nullopt, std::string("gb"), std::nullopt},
                                 "phone", errors, PhonePolicy::kPossible);
  ASSERT_TRUE(national.has_value());
  EXPECT_EQ(national->e164, "+442071838750");
  for (const char* bad : {"+1555", "call me", "+1 555 123 4567 8901 23"}) {
    FieldErrors bad_errors;
    EXPECT_FALSE(NormalizePhone({bad, std::nullopt, std::nullopt, std::nullopt}, "phone",
                                bad_errors, PhonePolicy::kPossible)
                     .has_value())
        << bad;
    EXPECT_TRUE(bad_errors.Has("phone.raw")) << bad;
  }
}

TEST(PhonePolicy, KeepUnparsedStoresFreeTextWithoutE164) {
  FieldErrors errors;
  PhoneInput input{"call the front desk", std::string("office"), std::nullopt, std::nullopt};
  auto phone = NormalizePhone(input, "phones[0]", errors, PhonePolicy::kKeepUnparsed);
  ASSERT_TRUE(phone.has_value());
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(phone->raw, "call the front desk");
  EXPECT_EQ(phone->e164, "");
  EXPECT_EQ(phone->type, "office");
  // The same input is an error under the strict policy.
  EXPECT_FALSE(NormalizePhone(input, "phones[0]", errors).has_value());
  EXPECT_TRUE(errors.Has("phones[0].raw"));
}

TEST(PhonePolicy, KeepUnparsedStillNormalizesWhatParsesAndRejectsControlCharacters) {
  FieldErrors errors;
  auto parsed = NormalizePhone({"(212) 555-0184", std::nullopt, std::nullopt, std::nullopt},
                               "phones[0]", errors, PhonePolicy::kKeepUnparsed);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->e164, "+12125550184");
  EXPECT_FALSE(NormalizePhone({std::string("555\n0184"), std::nullopt, std::nullopt, std::nullopt},
                              "phones[0]", errors, PhonePolicy::kKeepUnparsed)
                   .has_value());
  EXPECT_TRUE(errors.Has("phones[0].raw"));
  FieldErrors type_errors;
  EXPECT_FALSE(NormalizePhone({"x", std::string("pager"), std::nullopt, std::nullopt}, "phones[0]",
                              type_errors, PhonePolicy::kKeepUnparsed)
                   .has_value());
  EXPECT_TRUE(type_errors.Has("phones[0].type"));
}

TEST(Phone, MainAndWorkAreTypes) {
  FieldErrors errors;
  for (const char* type : {"main", "work"}) {
    auto phone = NormalizePhone({"(212) 555-0184", std::string(type), std::nullopt, std::nullopt},
                                "phones[0]", errors);
    ASSERT_TRUE(phone.has_value()) << type;
    EXPECT_EQ(phone->type, type);
  }
}

}  // namespace
}  // namespace contactd::domain

#include "domain/validation.hpp"

#include <gtest/gtest.h>

namespace contactd::domain {
namespace {

TEST(Validation, CountsUtf8CodePoints) {
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("Zoë"), 3u);
  EXPECT_EQ(Utf8Length("日本"), 2u);
}

TEST(Validation, AcceptsPlausibleEmails) {
  for (const char* email : {"schen@meridiancapital.com", "a.b+tag@sub.example.co.uk", "x@y.io"}) {
    EXPECT_TRUE(IsPlausibleEmail(email)) << email;
  }
}

TEST(Validation, RejectsMalformedEmails) {
  for (const char* email : {"not-an-email", "@example.com", "a@", "a@localhost", "a b@example.com",
                            "a@exa mple.com", "a..b@example.com", "a@-example.com", "a@@b.com"}) {
    EXPECT_FALSE(IsPlausibleEmail(email)) << email;
  }
}

TEST(Validation, HttpUrls) {
  EXPECT_TRUE(IsHttpUrl("https://linkedin.com/in/sarah-chen-cre"));
  EXPECT_TRUE(IsHttpUrl("HTTP://example.com"));
  EXPECT_FALSE(IsHttpUrl("ftp://example.com"));
  EXPECT_FALSE(IsHttpUrl("linkedin.com/in/x"));
  EXPECT_FALSE(IsHttpUrl("https://"));
  EXPECT_FALSE(IsHttpUrl("https:///path"));
}

TEST(Validation, TextLengthLimitIs255Characters) {
  FieldErrors errors;
  ValidateText(TextField::kFirstName, std::string(255, 'a'), errors);
  EXPECT_TRUE(errors.empty());
  ValidateText(TextField::kFirstName, std::string(256, 'a'), errors);
  EXPECT_TRUE(errors.Has("first_name"));
}

TEST(Validation, EmailLimitIs254) {
  FieldErrors errors;
  std::string email = std::string(64, 'a') + "@" + std::string(60, 'b') + "." +
                      std::string(60, 'c') + "." + std::string(63, 'd') + ".com";
  ASSERT_EQ(email.size(), 254u);
  ValidateText(TextField::kEmail, email, errors);
  EXPECT_TRUE(errors.empty()) << errors.list().front().message;
  ValidateText(TextField::kEmail, "a" + email, errors);
  EXPECT_TRUE(errors.Has("email"));
}

TEST(Validation, FieldErrorsKeepFirstErrorPerField) {
  FieldErrors errors;
  errors.Add("email", "first");
  errors.Add("email", "second");
  errors.Add("zip", "third");
  ASSERT_EQ(errors.list().size(), 2u);
  EXPECT_EQ(errors.list()[0].message, "first");
}

TEST(Validation, TextIsTrimmedAndControlCharactersRejected) {
  FieldErrors errors;
  EXPECT_EQ(ValidateText(TextField::kFirstName, "  Sarah  ", errors), "Sarah");
  EXPECT_TRUE(errors.empty());
  ValidateText(TextField::kLastName, std::string("a\0b", 3), errors);
  ValidateText(TextField::kCity, "a\tb", errors);
  EXPECT_TRUE(errors.Has("last_name"));
  EXPECT_TRUE(errors.Has("city"));
}

TEST(Validation, FieldErrorsStopListingAtTheLimitAndSaySo) {
  FieldErrors errors;
  for (int i = 0; i < 20000; ++i) errors.Add("f" + std::to_string(i), "bad");
  EXPECT_TRUE(errors.full());
  std::vector<FieldError> list = std::move(errors).Take();
  ASSERT_EQ(list.size(), kMaxFieldErrors + 1);
  EXPECT_NE(list.back().message.find("More field errors"), std::string::npos);
}

}  // namespace
}  // namespace contactd::domain

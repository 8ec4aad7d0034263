#include "domain/time.hpp"

#include <gtest/gtest.h>

namespace contactd::domain {
namespace {

TEST(Time, FormatsUtcWithSecondPrecision) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(1774020645), "2026-03-20T15:30:45Z");
}

TEST(Time, ParsesDatesAndDateTimes) {
  EXPECT_EQ(ParseTimestamp("2026-03-20T15:30:45Z"), 1774020645);
  EXPECT_EQ(ParseTimestamp("2026-03-20T15:30:45.123Z"), 1774020645);
  EXPECT_EQ(ParseTimestamp("2026-03-20"), 1773964800);
  EXPECT_EQ(ParseTimestamp("2018-05-07T10:00:00-07:00"), ParseTimestamp("2018-05-07T17:00:00Z"));
  EXPECT_EQ(ParseTimestamp("2018-05-07T10:00:00+02:00"), ParseTimestamp("2018-05-07T08:00:00Z"));
}

TEST(Time, SpaceWhereTheOffsetSignBelongsIsAPlus) {
  // "+05:00" sent unencoded in a query string decodes to " 05:00".
  EXPECT_EQ(ParseTimestamp("2020-01-01T00:00:00 05:00"), ParseTimestamp("2020-01-01T00:00:00+05:00"));
  EXPECT_FALSE(ParseTimestamp("2020-01-01T00:00:00  05:00").has_value());
}

TEST(Time, RejectsMalformedAndImpossibleDates) {
  for (const char* text : {"", "2020", "2020-13-01", "2021-02-29", "2020-01-01T25:00:00Z",
                           "2020-01-01T10:00:00", "2020-01-01T10:00Z", "yesterday",
                           "2020-01-01T10:00:00Zjunk", "2020-01-01T10:00:00+0700"}) {
    EXPECT_FALSE(ParseTimestamp(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace contactd::domain

namespace contactd::domain {
namespace {

TEST(Date, AcceptsTheSixFormatsOfSeed004) {
  EXPECT_EQ(ParseDate("1955-10-28"), "1955-10-28");
  EXPECT_EQ(ParseDate("1955/10/28"), "1955-10-28");
  EXPECT_EQ(ParseDate("1955.10.28"), "1955-10-28");
  EXPECT_EQ(ParseDate("10-28-1955"), "1955-10-28");
  EXPECT_EQ(ParseDate("10/28/1955"), "1955-10-28");
  EXPECT_EQ(ParseDate("10.28.1955"), "1955-10-28");
  EXPECT_EQ(ParseDate("1/2/2000"), "2000-01-02");  // month and day may have one digit
  EXPECT_EQ(ParseDate("2000-1-2"), "2000-01-02");
}

TEST(Date, AcceptsTheUnderscoreFormsOfHighLevelsPublishedApi) {
  EXPECT_EQ(ParseDate("1955_10_28"), "1955-10-28");
  EXPECT_EQ(ParseDate("10_28_1955"), "1955-10-28");
  EXPECT_EQ(ParseDate("1955_10-28"), std::nullopt);
}

TEST(Date, RejectsMixedSeparatorsImpossibleDatesAndOtherText) {
  EXPECT_EQ(ParseDate("1955-10/28"), std::nullopt);
  EXPECT_EQ(ParseDate("10-28/1955"), std::nullopt);
  EXPECT_EQ(ParseDate("1955 10 28"), std::nullopt);
  EXPECT_EQ(ParseDate("2023-02-29"), std::nullopt);  // not a leap year
  EXPECT_EQ(ParseDate("2024-02-29"), "2024-02-29");
  EXPECT_EQ(ParseDate("13/01/2000"), std::nullopt);  // day-first is not a supported format
  EXPECT_EQ(ParseDate("0000-01-01"), std::nullopt);
  EXPECT_EQ(ParseDate("19551028"), std::nullopt);
  EXPECT_EQ(ParseDate("1955-10-28T00:00:00Z"), std::nullopt);
  EXPECT_EQ(ParseDate(""), std::nullopt);
  EXPECT_EQ(ParseDate("28 Oct 1955"), std::nullopt);
}

}  // namespace
}  // namespace contactd::domain

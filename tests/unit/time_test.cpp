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

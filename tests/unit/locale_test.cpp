#include "domain/locale.hpp"

#include <gtest/gtest.h>

namespace contactd::domain {
namespace {

TEST(Country, AcceptsCurrentIsoCodesInAnyCaseAndReturnsThemUpperCase) {
  EXPECT_EQ(IsoCountry("US"), "US");
  EXPECT_EQ(IsoCountry("gb"), "GB");
  EXPECT_EQ(IsoCountry("De"), "DE");
}

TEST(Country, RejectsUnknownAndMalformedCodes) {
  EXPECT_EQ(IsoCountry("XX"), std::nullopt);
  EXPECT_EQ(IsoCountry("UK"), std::nullopt);  // the United Kingdom is GB
  EXPECT_EQ(IsoCountry("USA"), std::nullopt);
  EXPECT_EQ(IsoCountry("U"), std::nullopt);
  EXPECT_EQ(IsoCountry(""), std::nullopt);
  EXPECT_EQ(IsoCountry("1A"), std::nullopt);
}

TEST(TimeZone, AcceptsZonesAndLinksOfTheSystemDatabase) {
  EXPECT_TRUE(IsIanaTimeZone("America/Chicago"));
  EXPECT_TRUE(IsIanaTimeZone("Europe/Paris"));
  EXPECT_TRUE(IsIanaTimeZone("UTC"));
  EXPECT_TRUE(IsIanaTimeZone("US/Eastern"));  // a link (alias) of America/New_York
}

TEST(TimeZone, RejectsNamesNotInTheDatabase) {
  EXPECT_FALSE(IsIanaTimeZone("America/Atlantis"));
  EXPECT_FALSE(IsIanaTimeZone("america/chicago"));  // names are exact
  EXPECT_FALSE(IsIanaTimeZone("../../etc/passwd"));
  EXPECT_FALSE(IsIanaTimeZone(""));
  EXPECT_FALSE(IsIanaTimeZone("+05:00"));
}

}  // namespace
}  // namespace contactd::domain

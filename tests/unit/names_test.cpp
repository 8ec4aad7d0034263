#include <gtest/gtest.h>

#include "domain/contacts.hpp"

namespace contactd::domain {
namespace {

TEST(Names, FullNameJoinsFirstAndLast) {
  EXPECT_EQ(DeriveFullName("Sarah", "Chen"), "Sarah Chen");
  EXPECT_EQ(DeriveFullName("Sarah", std::nullopt), "Sarah");
  EXPECT_EQ(DeriveFullName(std::nullopt, "Chen"), "Chen");
  EXPECT_EQ(DeriveFullName("", "Chen"), "Chen");
  EXPECT_EQ(DeriveFullName(std::nullopt, std::nullopt), std::nullopt);
  EXPECT_EQ(DeriveFullName("", ""), std::nullopt);
}

TEST(Names, SplitTakesTheLastWordAsLastName) {
  EXPECT_EQ(SplitFullName("John Smith"), std::make_pair(std::string("John"),
                                                        std::optional<std::string>("Smith")));
  EXPECT_EQ(SplitFullName("Mary Ann  Smith"),
            std::make_pair(std::string("Mary Ann"), std::optional<std::string>("Smith")));
  EXPECT_EQ(SplitFullName("Cher"),
            std::make_pair(std::string("Cher"), std::optional<std::string>()));
}

}  // namespace
}  // namespace contactd::domain

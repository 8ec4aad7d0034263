#include "api/conditional.hpp"

#include <gtest/gtest.h>

namespace contactd::api {
namespace {

TEST(EntityTag, IsTheVersionQuoted) { EXPECT_EQ(EntityTag(42), "\"42\""); }

TEST(NoneMatch, ComparesWeaklyAndKnowsTheWildcard) {
  EXPECT_TRUE(NoneMatch("\"3\"", 3));
  EXPECT_TRUE(NoneMatch("W/\"3\"", 3));
  EXPECT_TRUE(NoneMatch("\"1\", \"3\"", 3));
  EXPECT_TRUE(NoneMatch(" * ", 3));
  EXPECT_FALSE(NoneMatch("\"4\"", 3));
  EXPECT_FALSE(NoneMatch("3", 3));  // not a quoted tag
  EXPECT_FALSE(NoneMatch("", 3));
  EXPECT_FALSE(NoneMatch("\"3", 3));
}

TEST(ApplyIfMatch, ComparesStronglyAndMeetsTheBodysVersion) {
  domain::VersionCheck none;
  ApplyIfMatch("", none);
  EXPECT_TRUE(none.any_of.empty());
  ApplyIfMatch("*", none);
  EXPECT_TRUE(none.any_of.empty());

  domain::VersionCheck listed;
  ApplyIfMatch("\"2\", \"5\"", listed);
  EXPECT_EQ(listed.any_of, (std::vector<std::int64_t>{2, 5}));
  EXPECT_TRUE(listed.Check(5, "contact").has_value());
  EXPECT_EQ(listed.Check(3, "contact").error().code, domain::ErrorCode::kPreconditionFailed);

  domain::VersionCheck weak;
  ApplyIfMatch("W/\"2\"", weak);
  EXPECT_FALSE(weak.Check(2, "contact").has_value());  // weak tags never match If-Match

  domain::VersionCheck body{{2}};
  ApplyIfMatch("\"2\", \"3\"", body);
  EXPECT_EQ(body.any_of, (std::vector<std::int64_t>{2}));
  domain::VersionCheck disagree{{2}};
  ApplyIfMatch("\"3\"", disagree);
  EXPECT_FALSE(disagree.Check(2, "contact").has_value());
  EXPECT_FALSE(disagree.Check(3, "contact").has_value());
}

}  // namespace
}  // namespace contactd::api

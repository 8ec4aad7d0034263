#include "domain/tags.hpp"

#include <gtest/gtest.h>

namespace contactd::domain {
namespace {

using Tags = std::vector<std::string>;

TEST(Tags, AreTrimmedAndDeduplicatedCaseInsensitivelyKeepingTheFirstSpelling) {
  FieldErrors errors;
  EXPECT_EQ(ValidateTags({" New-Lead ", "website", "new-lead", "WEBSITE", "Straße", "STRASSE"},
                         "tags", errors),
            (Tags{"New-Lead", "website", "Straße"}));
  EXPECT_TRUE(errors.empty());
}

TEST(Tags, RejectEmptyLongControlAndCommaTagsNamingTheElement) {
  FieldErrors errors;
  ValidateTags({"ok", "  ", std::string(65, 'a'), "a\tb", "a,b"}, "tags", errors);
  EXPECT_FALSE(errors.Has("tags[0]"));
  EXPECT_TRUE(errors.Has("tags[1]"));
  EXPECT_TRUE(errors.Has("tags[2]"));
  EXPECT_TRUE(errors.Has("tags[3]"));
  EXPECT_TRUE(errors.Has("tags[4]"));
  FieldErrors fine;
  ValidateTags({std::string(64, 'a'), "é" + std::string(63, 'b')}, "tags", fine);
  EXPECT_TRUE(fine.empty());
}

TEST(Tags, AddAndRemoveAreSetOperationsUnderTheKey) {
  EXPECT_EQ(WithTags({"VIP", "lead"}, {"vip", "Buyer", "LEAD", "buyer"}),
            (Tags{"VIP", "lead", "Buyer"}));
  EXPECT_EQ(WithoutTags({"VIP", "lead", "Buyer"}, {"vip", "nothing"}), (Tags{"lead", "Buyer"}));
  EXPECT_EQ(TagKey("ÉLODIE"), TagKey("élodie"));
}

}  // namespace
}  // namespace contactd::domain

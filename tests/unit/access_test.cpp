#include "domain/access.hpp"

#include <gtest/gtest.h>

namespace contactd::domain {
namespace {

Principal Caller(Role role, std::uint32_t scopes = kAllScopes,
                 Visibility visibility = Visibility::kAccount) {
  return Principal{UserId{7}, AccountId{3}, role, visibility, TokenId{9}, scopes, {}, "acct-uid"};
}

TEST(Access, RolesGrantTheirPermissions) {
  EXPECT_TRUE(Authorize(Caller(Role::kAdmin), Permission::kDelete, "contact").has_value());
  EXPECT_TRUE(Authorize(Caller(Role::kEditor), Permission::kUpdate, "contact").has_value());
  auto refused = Authorize(Caller(Role::kViewer), Permission::kCreate, "contact");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(refused.error().message, "User not authorized to create contact");
}

TEST(Access, ScopesNarrowTheRoleAndNameWhatIsMissing) {
  Principal reader = Caller(Role::kAdmin, kContactsRead);
  EXPECT_TRUE(Authorize(reader, Permission::kRead, "contact").has_value());
  auto write = Authorize(reader, Permission::kUpdate, "contact");
  ASSERT_FALSE(write.has_value());
  EXPECT_EQ(write.error().message, "This token lacks the scope contacts.write");
  auto company = Authorize(reader, Permission::kRead, "company");
  ASSERT_FALSE(company.has_value());
  EXPECT_EQ(company.error().message, "This token lacks the scope companies.readonly");
  EXPECT_EQ(Authorize(reader, Permission::kRead, "custom field").error().message,
            "This token lacks the scope settings.readonly");
  // A write scope reads too; a resource no scope names is refused to every scoped token.
  Principal writer = Caller(Role::kEditor, kContactsWrite);
  EXPECT_TRUE(Authorize(writer, Permission::kRead, "contact").has_value());
  EXPECT_TRUE(Authorize(writer, Permission::kCreate, "contact").has_value());
  EXPECT_FALSE(Authorize(writer, Permission::kRead, "something new").has_value());
  EXPECT_TRUE(Authorize(Caller(Role::kEditor), Permission::kRead, "something new").has_value());
  // Scopes never widen a role.
  EXPECT_EQ(Authorize(Caller(Role::kViewer, kContactsWrite), Permission::kCreate, "contact")
                .error()
                .message,
            "User not authorized to create contact");
  // No scope at all (every name unknown to this build): nothing.
  EXPECT_FALSE(Authorize(Caller(Role::kAdmin, 0), Permission::kRead, "contact").has_value());
}

TEST(Access, ScopeRefusalsAreToldApartFromRoleRefusals) {
  auto scope = Authorize(Caller(Role::kAdmin, kContactsRead), Permission::kUpdate, "contact");
  ASSERT_FALSE(scope.has_value());
  EXPECT_EQ(scope.error().reason, ErrorReason::kTokenScope);
  auto role = Authorize(Caller(Role::kViewer), Permission::kUpdate, "contact");
  ASSERT_FALSE(role.has_value());
  EXPECT_EQ(role.error().reason, ErrorReason::kNone);
  // The reason is the mark, not the wording.
  EXPECT_EQ(Error::Forbidden("This token lacks the scope x").reason, ErrorReason::kNone);
  auto uncovered = Authorize(Caller(Role::kAdmin, kContactsRead), Permission::kRead, "something new");
  ASSERT_FALSE(uncovered.has_value());
  EXPECT_EQ(uncovered.error().reason, ErrorReason::kTokenScope);
}

TEST(Access, ScopeNamesRoundTrip) {
  EXPECT_EQ(ParseScope("contacts.write"), kContactsWrite);
  EXPECT_EQ(ParseScope("contacts.writes"), std::nullopt);
  EXPECT_EQ(ScopeNames(kContactsRead | kUsersWrite),
            (std::vector<std::string>{"contacts.readonly", "users.write"}));
}

TEST(Access, OnlyOwnUsersBelowAdminAreRestricted) {
  EXPECT_EQ(ScopeOf(Caller(Role::kEditor, kAllScopes, Visibility::kOwn)).user, UserId{7});
  EXPECT_EQ(ScopeOf(Caller(Role::kViewer, kAllScopes, Visibility::kOwn)).account, AccountId{3});
  EXPECT_EQ(ScopeOf(Caller(Role::kEditor)).user, std::nullopt);
  EXPECT_EQ(ScopeOf(Caller(Role::kAdmin, kAllScopes, Visibility::kOwn)).user, std::nullopt);
}

}  // namespace
}  // namespace contactd::domain

namespace contactd::domain {
namespace {

TEST(Access, WriteScopesIncludeTheirReads) {
  EXPECT_EQ(WithReads(kContactsWrite | kUsersRead), kContactsWrite | kContactsRead | kUsersRead);
  EXPECT_EQ(WithReads(kSettingsWrite), kSettingsWrite | kSettingsRead);
  EXPECT_EQ(WithReads(kCompaniesRead), std::uint32_t{kCompaniesRead});
}

}  // namespace
}  // namespace contactd::domain

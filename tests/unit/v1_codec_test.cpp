#include "api/v1/codec.hpp"

#include <regex>

#include <gtest/gtest.h>

#include "domain/addresses.hpp"

namespace contactd {
namespace {

using domain::FieldErrors;
using domain::Input;

Input<std::string> Sent(std::string value) { return {true, std::move(value)}; }
Input<bool> Sent(bool value) { return {true, value}; }

TEST(V1CodecTest, AddressUidIsAStableUuidOfTheContactAndAddress) {
  std::string uid = api::v1::AddressUid("c12f8e21-4ab2-4589-ae0d-9c12654b8e7a", 1);
  EXPECT_TRUE(std::regex_match(
      uid, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << uid;
  EXPECT_EQ(uid, api::v1::AddressUid("c12f8e21-4ab2-4589-ae0d-9c12654b8e7a", 1));
  EXPECT_NE(uid, api::v1::AddressUid("c12f8e21-4ab2-4589-ae0d-9c12654b8e7a", 2));
  EXPECT_NE(uid, api::v1::AddressUid("d12f8e21-4ab2-4589-ae0d-9c12654b8e7a", 1));
}

TEST(V1CodecTest, IsActiveSetsTheStatusUnlessTheStatusSentSaysIt) {
  FieldErrors errors;
  EXPECT_EQ(api::v1::StatusAfter({}, Sent(true), "archived", errors), "active");
  EXPECT_EQ(api::v1::StatusAfter({}, Sent(false), "active", errors), "inactive");
  EXPECT_EQ(api::v1::StatusAfter({}, Sent(false), "", errors), "inactive");
  // An inactive or archived contact stays as it is.
  EXPECT_EQ(api::v1::StatusAfter({}, Sent(false), "archived", errors), std::nullopt);
  EXPECT_EQ(api::v1::StatusAfter({}, {}, "active", errors), std::nullopt);
  // A status sent stands when isActive agrees with it.
  EXPECT_EQ(api::v1::StatusAfter(Sent(std::string("archived")), Sent(false), "active", errors),
            std::nullopt);
  EXPECT_TRUE(errors.empty());
}

TEST(V1CodecTest, IsActiveContradictingTheStatusSentIsAnError) {
  FieldErrors errors;
  api::v1::StatusAfter(Sent(std::string("archived")), Sent(true), "active", errors);
  EXPECT_TRUE(errors.Has("isActive"));
  FieldErrors null_errors;
  api::v1::StatusAfter({}, {true, std::nullopt}, "active", null_errors);
  EXPECT_TRUE(null_errors.Has("isActive"));
}

TEST(MergeFirstAddressTest, ChangesTheMembersSentAndKeepsTheRest) {
  domain::Address first;
  first.id = 4;
  first.line1 = "123 Main St";
  first.city = "San Francisco";
  domain::Address second;
  second.id = 7;
  second.city = "Oakland";
  domain::AddressInput sent;
  sent.city = Sent(std::string("Berkeley"));
  sent.line2 = {true, std::nullopt};
  domain::Address validated;
  validated.city = "Berkeley";
  auto next = domain::MergeFirstAddress({first, second}, {true, sent}, validated);
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0].id, 4);
  EXPECT_EQ(next[0].line1, "123 Main St");
  EXPECT_EQ(next[0].city, "Berkeley");
  EXPECT_EQ(next[1], second);
}

TEST(MergeFirstAddressTest, NullRemovesTheFirstAndEmptyingItDropsIt) {
  domain::Address first;
  first.id = 1;
  first.city = "Paris";
  EXPECT_TRUE(domain::MergeFirstAddress({first}, {true, std::nullopt}, {}).empty());
  domain::AddressInput clear;
  clear.city = {true, std::nullopt};
  EXPECT_TRUE(domain::MergeFirstAddress({first}, {true, clear}, {}).empty());
  // A contact without an address gets a new one (id 0: the plan gives it one).
  domain::AddressInput city;
  city.city = Sent(std::string("Lyon"));
  domain::Address validated;
  validated.city = "Lyon";
  auto made = domain::MergeFirstAddress({}, {true, city}, validated);
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].id, 0);
  EXPECT_EQ(made[0].city, "Lyon");
}

}  // namespace
}  // namespace contactd

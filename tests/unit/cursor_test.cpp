#include "domain/cursor.hpp"

#include <gtest/gtest.h>

#include "domain/crypto.hpp"

namespace contactd::domain {
namespace {

TEST(Cursor, RoundTrips) {
  CursorCodec codec("secret");
  for (std::int64_t id : {0LL, 1LL, 78LL, 9007199254740993LL}) {
    EXPECT_EQ(codec.Decode(codec.Encode(id)), id);
  }
}

TEST(Cursor, RejectsTamperedPayload) {
  CursorCodec codec("secret");
  std::string cursor = codec.Encode(78);
  std::string forged_payload = Base64UrlEncode("{\"id\":79}");
  std::string forged = forged_payload + cursor.substr(cursor.find('.'));
  EXPECT_FALSE(codec.Decode(forged).has_value());
}

TEST(Cursor, RejectsEveryFlippedCharacter) {
  CursorCodec codec("secret");
  std::string cursor = codec.Encode(12345);
  for (std::size_t i = 0; i < cursor.size(); ++i) {
    std::string changed = cursor;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(codec.Decode(changed).has_value()) << i;
  }
}

TEST(Cursor, RejectsGarbageAndOtherKeys) {
  CursorCodec codec("secret");
  EXPECT_FALSE(codec.Decode("").has_value());
  EXPECT_FALSE(codec.Decode("garbage").has_value());
  EXPECT_FALSE(codec.Decode("eyJpZCI6IDc4fQ==").has_value());
  EXPECT_FALSE(CursorCodec("other").Decode(codec.Encode(5)).has_value());
}

}  // namespace
}  // namespace contactd::domain

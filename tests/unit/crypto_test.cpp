#include "domain/crypto.hpp"

#include <set>

#include <gtest/gtest.h>

namespace contactd::domain {
namespace {

TEST(Crypto, Sha256HexMatchesKnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, Base64UrlRoundTripsAllLengths) {
  std::string data;
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(data)), data);
    data.push_back(static_cast<char>(i * 37));
  }
  EXPECT_EQ(Base64UrlEncode("{\"id\":78}"), "eyJpZCI6Nzh9");
  EXPECT_FALSE(Base64UrlDecode("ab+c").has_value());
  EXPECT_FALSE(Base64UrlDecode("a").has_value());
}

TEST(Crypto, UuidV4HasVersionAndVariant) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string uuid = NewUuidV4();
    ASSERT_EQ(uuid.size(), 36u);
    EXPECT_EQ(uuid[14], '4');
    EXPECT_NE(std::string("89ab").find(uuid[19]), std::string::npos);
    seen.insert(uuid);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Crypto, ApiTokensAreLongAndDistinct) {
  std::string a = NewApiToken();
  EXPECT_EQ(a.rfind("cdt_", 0), 0u);
  EXPECT_EQ(a.size(), 4u + 43u);
  EXPECT_NE(a, NewApiToken());
}

}  // namespace
}  // namespace contactd::domain

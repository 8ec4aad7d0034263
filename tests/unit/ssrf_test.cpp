#include "domain/ssrf.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>

#include <gtest/gtest.h>

namespace contactd::domain {
namespace {

bool Public(const std::string& text) {
  sockaddr_storage storage{};
  if (text.find(':') != std::string::npos) {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    v6->sin6_family = AF_INET6;
    EXPECT_EQ(inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr), 1) << text;
  } else {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    v4->sin_family = AF_INET;
    EXPECT_EQ(inet_pton(AF_INET, text.c_str(), &v4->sin_addr), 1) << text;
  }
  return IsPublicAddress(reinterpret_cast<const sockaddr&>(storage));
}

TEST(Ssrf, InternalAddressesAreRefused) {
  for (const char* address :
       {"127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
        "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
        "192.0.2.10", "198.18.0.1", "192.88.99.1", "::", "::1", "fe80::1", "fec0::1", "fd00::1",
        "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a00:1",
        "2002:7f00:1::", "100::1", "2001:db8::1"}) {
    EXPECT_FALSE(Public(address)) << address;
  }
}

TEST(Ssrf, PublicAddressesPass) {
  for (const char* address : {"93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1",
                              "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::"}) {
    EXPECT_TRUE(Public(address)) << address;
  }
}

TEST(Ssrf, UrlsMustBeHttpAndPublic) {
  EXPECT_TRUE(CheckPublicUrl("https://93.184.215.14/hook", "url", false).has_value());
  EXPECT_FALSE(CheckPublicUrl("http://127.0.0.1/hook", "url", false).has_value());
  EXPECT_TRUE(CheckPublicUrl("http://127.0.0.1/hook", "url", true).has_value());
  auto refused = CheckPublicUrl("ftp://93.184.215.14/", "url", true);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().fields.front().field, "url");
}

}  // namespace
}  // namespace contactd::domain

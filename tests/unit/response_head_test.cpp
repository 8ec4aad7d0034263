#include "http/response_head.hpp"

#include <gtest/gtest.h>

namespace contactd::http {
namespace {

TEST(ResponseHeadTest, WritesStatusLineHeadersInOrderAndContentLength) {
  Response response;
  response.status = 201;
  response.body = R"({"id":1})";
  response.headers = {{"ETag", "\"3\""}, {"X-Request-Id", "abc"}};
  EXPECT_EQ(ResponseHead(response, true),
            "HTTP/1.1 201 Created\r\n"
            "Server: contactd\r\n"
            "Content-Type: application/json\r\n"
            "ETag: \"3\"\r\n"
            "X-Request-Id: abc\r\n"
            "Content-Length: 8\r\n"
            "\r\n");
}

TEST(ResponseHeadTest, ClosingConnectionSaysSo) {
  Response response;
  response.status = 503;
  EXPECT_EQ(ResponseHead(response, false),
            "HTTP/1.1 503 Service Unavailable\r\n"
            "Server: contactd\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 0\r\n"
            "Connection: close\r\n"
            "\r\n");
}

TEST(ResponseHeadTest, NoContentAndNotModifiedCarryNoLengthNorType) {
  for (unsigned status : {204u, 304u}) {
    Response response;
    response.status = status;
    response.headers = {{"ETag", "\"1\""}};
    std::string head = ResponseHead(response, true);
    EXPECT_EQ(head.find("Content-Length"), std::string::npos) << status;
    EXPECT_EQ(head.find("Content-Type"), std::string::npos) << status;
    EXPECT_NE(head.find("ETag: \"1\"\r\n"), std::string::npos) << status;
    EXPECT_FALSE(StatusHasBody(status));
  }
  EXPECT_TRUE(StatusHasBody(200));
  EXPECT_FALSE(StatusHasBody(100));
}

TEST(ResponseHeadTest, EmptyContentTypeIsLeftOut) {
  Response response;
  response.content_type.clear();
  response.body = "x";
  EXPECT_EQ(ResponseHead(response, true),
            "HTTP/1.1 200 OK\r\nServer: contactd\r\nContent-Length: 1\r\n\r\n");
}

TEST(ResponseHeadTest, RateHeadersDescribeTheBindingBucketAndBothPolicies) {
  Response response;
  response.status = 204;
  domain::RateDecision rate;
  rate.policy.sustained = domain::Rate{1000, 3600};
  rate.policy.burst = domain::Rate{100, 60};
  rate.sustained = 940.7;  // tokens left after this request
  rate.burst = 12.2;
  rate.sustained_full_s = 214;
  rate.burst_full_s = 53;
  response.rate = rate;
  response.rate_at = 1'700'000'000;
  std::string head = ResponseHead(response, true);
  // The burst binds: it has fewer requests left.
  EXPECT_NE(head.find("X-RateLimit-Limit: 100\r\nX-RateLimit-Remaining: 12\r\n"
                      "X-RateLimit-Reset: 1700000053\r\n"),
            std::string::npos)
      << head;
  EXPECT_NE(head.find("RateLimit-Policy: \"burst\";q=100;w=60, \"sustained\";q=1000;w=3600\r\n"
                      "RateLimit: \"burst\";r=12;t=53, \"sustained\";r=940;t=214\r\n"),
            std::string::npos)
      << head;
  rate.policy.burst.reset();
  response.rate = rate;
  head = ResponseHead(response, true);
  EXPECT_NE(head.find("X-RateLimit-Limit: 1000\r\nX-RateLimit-Remaining: 940\r\n"),
            std::string::npos)
      << head;
  EXPECT_EQ(head.find("burst"), std::string::npos) << head;
}

}  // namespace
}  // namespace contactd::http

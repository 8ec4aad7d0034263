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

}  // namespace
}  // namespace contactd::http

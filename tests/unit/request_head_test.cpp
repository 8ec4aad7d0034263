#include "http/request_head.hpp"

#include <string>

#include <gtest/gtest.h>

namespace contactd::http {
namespace {

const RequestLimits kLimits{.body_limit = 64, .header_limit = 512, .target_limit = 128};

domain::ErrorCode Refusal(const std::string& bytes) {
  auto request = ParseRequest(bytes, kLimits);
  EXPECT_TRUE(request.has_value()) << bytes;
  EXPECT_TRUE(request && request->transport_error) << bytes;
  return request && request->transport_error ? request->transport_error->code
                                             : domain::ErrorCode::kInternal;
}

TEST(RequestHead, AcceptsAPlainRequest) {
  auto request = ParseRequest(
      "GET /api/external/v2/contacts?x=1 HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer t\r\n\r\n",
      kLimits);
  ASSERT_TRUE(request.has_value());
  EXPECT_FALSE(request->transport_error.has_value());
  EXPECT_EQ(request->path, "/api/external/v2/contacts");
  EXPECT_EQ(request->query, "x=1");
  EXPECT_EQ(request->authorization, "Bearer t");
}

TEST(RequestHead, IncompleteRequestWaitsForMore) {
  EXPECT_FALSE(ParseRequest("GET / HTTP/1.1\r\nHost: h\r\n", kLimits).has_value());
}

TEST(RequestHead, LongTargetIs414WhetherOrNotTheLineFitsTheHeaderLimit) {
  EXPECT_EQ(Refusal("GET /" + std::string(200, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n"),
            domain::ErrorCode::kUriTooLong);
  EXPECT_EQ(Refusal("GET /" + std::string(1000, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n"),
            domain::ErrorCode::kUriTooLong);
}

TEST(RequestHead, LargeHeaderSectionIs431) {
  EXPECT_EQ(Refusal("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(1000, 'a') + "\r\n\r\n"),
            domain::ErrorCode::kHeadersTooLarge);
}

TEST(RequestHead, ARefusedRequestKeepsTheLeadOfItsPathToPickItsSurface) {
  // The request line ended: the parser's target; it did not: the bytes left unread.
  auto big_header = ParseRequest("GET /compat/leadconnector/contacts/1?x=1 HTTP/1.1\r\nHost: h\r\n"
                                 "X-Big: " + std::string(1000, 'a') + "\r\n\r\n", kLimits);
  ASSERT_TRUE(big_header && big_header->transport_error);
  EXPECT_EQ(big_header->path, "/compat/leadconnector/contacts/1");
  auto long_line = ParseRequest("GET /compat/liondesk/contacts?q=" + std::string(1000, 'a') +
                                " HTTP/1.1\r\nHost: h\r\n\r\n", kLimits);
  ASSERT_TRUE(long_line && long_line->transport_error);
  EXPECT_EQ(long_line->path, "/compat/liondesk/contacts");
  auto long_path =
      ParseRequest("GET /" + std::string(3000, 'p') + " HTTP/1.1\r\n\r\n", kLimits);
  ASSERT_TRUE(long_path && long_path->transport_error);
  EXPECT_EQ(long_path->path, "/" + std::string(1023, 'p'));  // at most 1024 bytes
}

TEST(RequestHead, TwoAuthorizationHeadersAreRefused) {
  EXPECT_EQ(Refusal("GET / HTTP/1.1\r\nHost: h\r\nAuthorization: a\r\nAuthorization: a\r\n\r\n"),
            domain::ErrorCode::kBadRequest);
}

TEST(RequestHead, Http11NeedsExactlyOneHost) {
  EXPECT_EQ(Refusal("GET / HTTP/1.1\r\n\r\n"), domain::ErrorCode::kBadRequest);
  EXPECT_EQ(Refusal("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), domain::ErrorCode::kBadRequest);
  auto old = ParseRequest("GET / HTTP/1.0\r\n\r\n", kLimits);
  ASSERT_TRUE(old.has_value());
  EXPECT_FALSE(old->transport_error.has_value());
}

TEST(RequestHead, MalformedChunkAndLargeBodyAreRefused) {
  EXPECT_EQ(Refusal("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            domain::ErrorCode::kBadRequest);
  EXPECT_EQ(Refusal("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n" +
                    std::string(100, 'x')),
            domain::ErrorCode::kPayloadTooLarge);
}

}  // namespace
}  // namespace contactd::http

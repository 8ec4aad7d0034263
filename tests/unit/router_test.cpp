#include "http/router.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace contactd::http {
namespace {

// A router whose handlers answer with the pattern they were added with.
class RouterTest : public ::testing::Test {
 protected:
  void Add(const char* method, const char* pattern) {
    std::string name = std::string(method) + " " + pattern;
    router_.Add(
        method, pattern,
        [name](const Request&, RequestContext&) {
          Response response;
          response.body = name;
          return response;
        },
        [](const RequestContext&, const domain::Error&) { return Response{}; });
  }

  // "METHOD pattern" of the route `method path` finds, or the miss's "status allow".
  std::string Find(const char* method, const char* path) {
    auto found = router_.Find(method, path);
    if (const auto* match = std::get_if<Router::Match>(&found)) {
      return match->route->method + " " + match->route->pattern;
    }
    const auto& miss = std::get<Router::Miss>(found);
    switch (miss.error.code) {
      case domain::ErrorCode::kNotFound:
        return "404";
      case domain::ErrorCode::kMethodNotAllowed:
        return "405 " + miss.allow;
      default:
        return "other";
    }
  }

  Router router_;
};

TEST_F(RouterTest, LiteralSegmentWinsOverParameterWhateverTheOrderOfAdding) {
  Add("GET", "/contacts/{id}");
  Add("PATCH", "/contacts/{id}");
  Add("POST", "/contacts/upsert");
  Add("GET", "/contacts/export");

  EXPECT_EQ(Find("GET", "/contacts/export"), "GET /contacts/export");
  EXPECT_EQ(Find("POST", "/contacts/upsert"), "POST /contacts/upsert");
  // The literal path exists without this method: a 405 naming its methods, not the contact
  // whose id would be "upsert".
  EXPECT_EQ(Find("GET", "/contacts/upsert"), "405 POST");
  EXPECT_EQ(Find("PATCH", "/contacts/export"), "405 GET, HEAD");
  EXPECT_EQ(Find("GET", "/contacts/42"), "GET /contacts/{id}");
  EXPECT_EQ(Find("DELETE", "/contacts/42"), "405 GET, HEAD, PATCH");
}

TEST_F(RouterTest, TheFirstSegmentThatDiffersDecides) {
  Add("GET", "/contacts/{id}/tags");
  Add("POST", "/contacts/search/{kind}");

  // A literal at position 1 beats a parameter there, whatever comes after it.
  EXPECT_EQ(Find("GET", "/contacts/search/tags"), "405 POST");
  EXPECT_EQ(Find("POST", "/contacts/search/tags"), "POST /contacts/search/{kind}");
  EXPECT_EQ(Find("GET", "/contacts/7/tags"), "GET /contacts/{id}/tags");
}

TEST_F(RouterTest, ParametersAreDecodedAndNeverEmpty) {
  Add("GET", "/contacts/{id}");
  Add("GET", "/contacts");

  auto found = router_.Find("GET", "/contacts/a%20b");
  ASSERT_TRUE(std::holds_alternative<Router::Match>(found));
  EXPECT_EQ(std::get<Router::Match>(found).params, std::vector<std::string>{"a b"});
  EXPECT_EQ(Find("GET", "/contacts/"), "GET /contacts");
  EXPECT_EQ(Find("GET", "/contacts//"), "404");
  EXPECT_EQ(Find("GET", "/companies"), "404");
  EXPECT_EQ(Find("GET", "/contacts/%zz"), "other");
  EXPECT_EQ(Find("HEAD", "/contacts/1"), "GET /contacts/{id}");
}

}  // namespace
}  // namespace contactd::http

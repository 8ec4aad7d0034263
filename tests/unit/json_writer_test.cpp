#include "api/json_writer.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace contactd::api {
namespace {

TEST(JsonWriter, PlacesCommasAndNestsValues) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Key("a").Int(-12);
  w.Key("b").BeginArray().String("x").Null().Bool(true).BeginObject().EndObject().EndArray();
  w.Key("c").OptionalString(std::nullopt);
  w.Key("d").Raw(R"({"k":[1,2]})");
  w.Key("e").BeginArray().EndArray();
  w.EndObject();
  EXPECT_EQ(out, R"({"a":-12,"b":["x",null,true,{}],"c":null,"d":{"k":[1,2]},"e":[]})");
}

TEST(JsonWriter, WritesWholeNumbersAsIntegersAndOthersExactly) {
  std::string out;
  JsonWriter w(out);
  w.BeginArray().Number(42).Number(-3).Number(2.5).Number(0.1).Number(1e300).Number(-0.0);
  w.EndArray();
  EXPECT_EQ(out, "[42,-3,2.5,0.1,1e+300,0]");
}

TEST(JsonWriter, EscapesStringsThatNeedIt) {
  const std::string tricky = std::string("quote \" back \\ nl \n tab \t nul ") + '\0' +
                             " \x1f é 漢 😀";
  std::string out;
  JsonWriter w(out);
  w.BeginArray().String(tricky).String("plain").EndArray();
  boost::json::value parsed = boost::json::parse(out);
  EXPECT_EQ(parsed.as_array().at(0).as_string(), tricky);
  EXPECT_EQ(parsed.as_array().at(1).as_string(), "plain");
}

}  // namespace
}  // namespace contactd::api

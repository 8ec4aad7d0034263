#include "domain/query.hpp"

#include <array>

#include <gtest/gtest.h>

#include "domain/contact.hpp"
#include "domain/cursor.hpp"
#include "domain/time.hpp"

namespace contactd::domain {
namespace {

constexpr std::array<std::string_view, 4> kOutput = {"id", "first_name", "email", "phones"};

class QueryTest : public ::testing::Test {
 protected:
  Result<ListQuery> Parse(QueryParams params) {
    return ParseContactListQuery(params, codec_, kOutput);
  }
  CursorCodec codec_{"key"};
};

TEST_F(QueryTest, DefaultsToFirstPageOfConnectedContacts) {
  auto query = Parse({});
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(query->limit, 50);
  EXPECT_EQ(query->offset, 0);
  EXPECT_EQ(query->connected, Connected::kOnlyConnected);
  EXPECT_TRUE(query->filters.empty());
  EXPECT_FALSE(query->after_id.has_value());
}

TEST_F(QueryTest, LimitMustBeBetween1And200) {
  EXPECT_EQ(Parse({{"limit", "200"}})->limit, 200);
  EXPECT_EQ(Parse({{"limit", "1"}})->limit, 1);
  for (const char* bad : {"0", "201", "-1", "abc", "", "10x"}) {
    auto query = Parse({{"limit", bad}});
    ASSERT_FALSE(query.has_value()) << bad;
    EXPECT_EQ(query.error().code, ErrorCode::kBadRequest);
    EXPECT_EQ(query.error().fields.front().field, "limit");
  }
}

TEST_F(QueryTest, EqualityAndOperators) {
  auto query = Parse({{"last_name", "Chen"},
                      {"last_name[$ne]", "Gates"},
                      {"state[$in]", "NY"},
                      {"state[$in]", "CA"},
                      {"city[$nin]", "Austin"},
                      {"created_at[$gte]", "2017-01-01"},
                      {"created_at[$lt]", "2018-05-07T10:00:00-07:00"},
                      {"company_id[$gt]", "3"},
                      {"is_primary", "true"}});
  ASSERT_TRUE(query.has_value()) << query.error().message;
  ASSERT_EQ(query->filters.size(), 8u);
  EXPECT_EQ(query->filters[0].field->name, "last_name");
  EXPECT_EQ(query->filters[0].op, FilterOp::kEq);
  // Text filters compare case-folded keys.
  EXPECT_EQ(std::get<std::string>(query->filters[0].values[0]), "chen");
  EXPECT_EQ(query->filters[1].op, FilterOp::kNe);
  EXPECT_EQ(query->filters[2].op, FilterOp::kIn);
  EXPECT_EQ(query->filters[2].values.size(), 2u);  // repeated $in joins one condition
  EXPECT_EQ(query->filters[3].op, FilterOp::kNin);
  EXPECT_EQ(std::get<std::int64_t>(query->filters[4].values[0]), *ParseTimestamp("2017-01-01"));
  EXPECT_EQ(query->filters[5].op, FilterOp::kLt);
  EXPECT_EQ(std::get<std::int64_t>(query->filters[5].values[0]),
            *ParseTimestamp("2018-05-07T17:00:00Z"));
  EXPECT_EQ(std::get<std::int64_t>(query->filters[6].values[0]), 3);
  EXPECT_EQ(std::get<std::int64_t>(query->filters[7].values[0]), 1);
}

TEST_F(QueryTest, RejectsUnknownFieldsOperatorsAndBadValuesNamingEach) {
  auto query = Parse({{"foo", "1"},
                      {"last_name[$like]", "x"},
                      {"created_at[$gt]", "yesterday"},
                      {"company_id", "abc"},
                      {"is_primary", "yes"}});
  ASSERT_FALSE(query.has_value());
  EXPECT_EQ(query.error().code, ErrorCode::kBadRequest);
  std::vector<std::string> fields;
  for (const auto& f : query.error().fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"foo", "last_name[$like]", "created_at[$gt]",
                                               "company_id", "is_primary"}));
}

TEST_F(QueryTest, IsConnectedTakesTrueFalseOrAll) {
  EXPECT_EQ(Parse({{"is_connected", "false"}})->connected, Connected::kOnlyUnconnected);
  EXPECT_EQ(Parse({{"is_connected", "all"}})->connected, Connected::kAll);
  EXPECT_FALSE(Parse({{"is_connected", "maybe"}}).has_value());
}

TEST_F(QueryTest, SortParsesDirections) {
  auto query = Parse({{"sort", "last_name,-created_at"}, {"offset", "20"}});
  ASSERT_TRUE(query.has_value());
  ASSERT_EQ(query->sort.size(), 2u);
  EXPECT_EQ(query->sort[0].field->name, "last_name");
  EXPECT_FALSE(query->sort[0].descending);
  EXPECT_EQ(query->sort[1].field->name, "created_at");
  EXPECT_TRUE(query->sort[1].descending);
  EXPECT_EQ(query->offset, 20);
  EXPECT_FALSE(Parse({{"sort", "nope"}}).has_value());
  EXPECT_FALSE(Parse({{"offset", "-1"}}).has_value());
}

TEST_F(QueryTest, CursorWithSortIsRejectedWithTheSeedMessage) {
  auto query = Parse({{"cursor", codec_.Encode(5)}, {"sort", "last_name"}});
  ASSERT_FALSE(query.has_value());
  EXPECT_EQ(query.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(query.error().message,
            "cursor and sort cannot be combined; use offset pagination when sorting");
}

TEST_F(QueryTest, CursorCarriesTheLastId) {
  EXPECT_EQ(Parse({{"cursor", codec_.Encode(77)}})->after_id, 77);
  auto tampered = Parse({{"cursor", codec_.Encode(77) + "x"}});
  ASSERT_FALSE(tampered.has_value());
  EXPECT_EQ(tampered.error().fields.front().field, "cursor");
}

TEST_F(QueryTest, FieldsAlwaysIncludeIdAndRejectUnknown) {
  auto query = Parse({{"fields", "email,first_name"}});
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(query->fields, (std::vector<std::string>{"id", "email", "first_name"}));
  auto bad = Parse({{"fields", "email,password"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().fields.front().field, "fields");
}

TEST_F(QueryTest, PageQueryRejectsFilters) {
  EXPECT_TRUE(ParsePageQuery({{"limit", "10"}}, codec_).has_value());
  EXPECT_FALSE(ParsePageQuery({{"name", "x"}}, codec_).has_value());
}

TEST_F(QueryTest, SortTakesAHandfulOfDistinctKeys) {
  EXPECT_TRUE(Parse({{"sort", "first_name,last_name,email,city,state"}}).has_value());
  auto six = Parse({{"sort", "first_name,last_name,email,city,state,zip"}});
  ASSERT_FALSE(six.has_value());
  EXPECT_EQ(six.error().fields.front().field, "sort");
  std::string many;
  for (int i = 0; i < 2001; ++i) many += "id,";
  EXPECT_EQ(Parse({{"sort", many}}).error().fields.front().field, "sort");
  auto repeated = Parse({{"sort", "last_name,-last_name"}});
  ASSERT_FALSE(repeated.has_value());
  EXPECT_EQ(repeated.error().fields.front().field, "sort");
}

TEST_F(QueryTest, FilterTermsAreBoundedNamingTheParameter) {
  QueryParams twenty(kMaxFilterTerms, {"id", "1"});
  EXPECT_TRUE(Parse(twenty).has_value());
  QueryParams many(500, {"id", "1"});
  auto query = Parse(many);
  ASSERT_FALSE(query.has_value());
  EXPECT_EQ(query.error().code, ErrorCode::kBadRequest);
  EXPECT_EQ(query.error().fields.front().field, "id");
  QueryParams in(101, {"state[$in]", "NY"});
  EXPECT_EQ(Parse(in).error().fields.front().field, "state[$in]");
}

TEST_F(QueryTest, ContactTypeFiltersMatchTypeBitsWithSetOperatorsOnly) {
  auto query = Parse({{"contact_types", "sponsor"}, {"contact_type[$nin]", "lender_contact"}});
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(std::get<std::int64_t>(query->filters[0].values[0]), ContactTypeBit("sponsor"));
  EXPECT_EQ(query->filters[1].op, FilterOp::kNin);
  EXPECT_EQ(Parse({{"contact_type[$gt]", "sponsor"}}).error().fields.front().field,
            "contact_type[$gt]");
}

}  // namespace
}  // namespace contactd::domain

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

TEST_F(QueryTest, ExistsTakesTrueOrFalseAndNoValue) {
  auto query = Parse({{"email[$exists]", "true"},
                      {"tags[$exists]", "false"},
                      {"custom_fields.tier[$exists]", "true"},
                      {"phone[$exists]", "true"}});
  ASSERT_TRUE(query.has_value()) << query.error().message;
  ASSERT_EQ(query->filters.size(), 4u);
  EXPECT_EQ(query->filters[0].op, FilterOp::kExists);
  EXPECT_EQ(query->filters[1].op, FilterOp::kNotExists);
  EXPECT_EQ(query->filters[2].custom_key, "tier");
  EXPECT_EQ(query->filters[3].field->kind, FieldKind::kPhone);
  for (const Filter& filter : query->filters) EXPECT_TRUE(filter.values.empty());
  auto bad = Parse({{"email[$exists]", "yes"}, {"email[$exists][0]", "true"}});
  ASSERT_FALSE(bad.has_value());
  ASSERT_EQ(bad.error().fields.size(), 2u);
  EXPECT_EQ(bad.error().fields[0].message, "email[$exists] must be true or false");
  EXPECT_EQ(bad.error().fields[1].field, "email[$exists][0]");
}

TEST_F(QueryTest, ContainsTakesFoldedTextOnTextFieldsOnly) {
  auto query = Parse({{"last_name[$contains]", "CHE"}, {"email[$ncontains]", "Spam"}});
  ASSERT_TRUE(query.has_value()) << query.error().message;
  EXPECT_EQ(query->filters[0].op, FilterOp::kContains);
  EXPECT_EQ(std::get<std::string>(query->filters[0].values[0]), "che");
  EXPECT_EQ(query->filters[1].op, FilterOp::kNotContains);
  EXPECT_EQ(std::get<std::string>(query->filters[1].values[0]), "spam");
  for (const char* key : {"tags[$contains]", "created_at[$contains]", "dnd[$ncontains]",
                          "country[$contains]"}) {
    auto bad = Parse({{key, "x"}});
    ASSERT_FALSE(bad.has_value()) << key;
    EXPECT_EQ(bad.error().fields.front().field, key);
  }
  auto empty = Parse({{"city[$contains]", "  "}});
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().fields.front().message, "city[$contains] must not be empty");
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

TEST(SplitBracketKeyTest, SplitsQsKeysAndRefusesBrokenBrackets) {
  using Parts = std::vector<std::string_view>;
  EXPECT_EQ(SplitBracketKey("last_name"), Parts{"last_name"});
  EXPECT_EQ(SplitBracketKey("last_name[$in][0]"), (Parts{"last_name", "$in", "0"}));
  EXPECT_EQ(SplitBracketKey("last_name[$in][]"), (Parts{"last_name", "$in", ""}));
  EXPECT_EQ(SplitBracketKey("$or[1][first_name][$ne]"),
            (Parts{"$or", "1", "first_name", "$ne"}));
  for (const char* bad : {"a[b", "a]b", "a[b]c", "a[[b]]", "a[b]]"}) {
    EXPECT_FALSE(SplitBracketKey(bad).has_value()) << bad;
  }
}

TEST_F(QueryTest, QsEncodingsOfInMeanTheSame) {
  for (QueryParams params : {QueryParams{{"state[$in]", "NY"}, {"state[$in]", "CA"}},
                             QueryParams{{"state[$in][0]", "NY"}, {"state[$in][1]", "CA"}},
                             QueryParams{{"state[$in][]", "NY"}, {"state[$in][]", "CA"}}}) {
    auto query = Parse(params);
    ASSERT_TRUE(query.has_value()) << query.error().message;
    ASSERT_EQ(query->filters.size(), 1u);
    EXPECT_EQ(query->filters[0].op, FilterOp::kIn);
    EXPECT_EQ(query->filters[0].values,
              (std::vector<FilterValue>{std::string("ny"), std::string("ca")}));
  }
  // An index only follows the operators that take several values.
  EXPECT_EQ(Parse({{"state[$ne][0]", "NY"}}).error().fields.front().field, "state[$ne][0]");
  EXPECT_EQ(Parse({{"state[$in][x]", "NY"}}).error().fields.front().field, "state[$in][x]");
  EXPECT_EQ(Parse({{"state[]", "NY"}}).error().fields.front().field, "state[]");
}

TEST_F(QueryTest, OrBranchesHoldTheirOwnConditions) {
  auto query = Parse({{"$or[0][last_name]", "Gates"},
                      {"$or[1][first_name][$ne]", "Steve"},
                      {"$or[1][state][$in][]", "NY"},
                      {"$or[1][state][$in][]", "CA"},
                      {"city", "Austin"}});
  ASSERT_TRUE(query.has_value()) << query.error().message;
  ASSERT_EQ(query->filters.size(), 1u);
  EXPECT_EQ(query->filters[0].field->name, "city");
  ASSERT_EQ(query->any_of.size(), 2u);
  ASSERT_EQ(query->any_of[0].size(), 1u);
  EXPECT_EQ(query->any_of[0][0].field->name, "last_name");
  ASSERT_EQ(query->any_of[1].size(), 2u);
  EXPECT_EQ(query->any_of[1][0].op, FilterOp::kNe);
  EXPECT_EQ(query->any_of[1][1].values.size(), 2u);
  // Branches are numbered 0 to 9; each needs a field; all conditions count against the bound.
  for (const char* bad : {"$or[10][last_name]", "$or[x][last_name]", "$or[0]", "$or"}) {
    auto refused = Parse({{bad, "x"}});
    ASSERT_FALSE(refused.has_value()) << bad;
    EXPECT_EQ(refused.error().fields.front().field, bad);
  }
  QueryParams many(kMaxFilterTerms, {"id", "1"});
  many.emplace_back("$or[0][id]", "2");
  EXPECT_EQ(Parse(many).error().fields.front().field, "$or[0][id]");
}

TEST_F(QueryTest, SeedTwoFieldsFilterAndSort) {
  auto query = Parse({{"company_name", "Microsoft"},
                      {"spouse_birthday[$gte]", "08/15/1964"},
                      {"mobile_phone", "1 (604) 555-4572"},
                      {"sort", "-tags,fax,spouse_name"}});
  ASSERT_TRUE(query.has_value()) << query.error().message;
  EXPECT_EQ(std::get<std::string>(query->filters[0].values[0]), "microsoft");
  // A date reads as the write path stores it.
  EXPECT_EQ(std::get<std::string>(query->filters[1].values[0]), "1964-08-15");
  EXPECT_EQ(query->filters[2].field->kind, FieldKind::kTypedPhone);
  ASSERT_EQ(query->sort.size(), 3u);
  EXPECT_TRUE(query->sort[0].descending);
  EXPECT_EQ(query->sort[0].field->name, "tags");
  EXPECT_EQ(Parse({{"spouse_birthday", "someday"}}).error().fields.front().field,
            "spouse_birthday");
  EXPECT_EQ(Parse({{"sort", "phone"}}).error().fields.front().field, "sort");
}

}  // namespace
}  // namespace contactd::domain

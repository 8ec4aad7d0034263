#include "domain/custom_fields.hpp"

#include <gtest/gtest.h>

namespace contactd::domain {
namespace {

CustomField Field(std::int64_t id, std::string key, CustomFieldType type,
                  std::vector<std::string> options = {}) {
  CustomField field;
  field.id = CustomFieldId{id};
  field.key = std::move(key);
  field.type = type;
  field.options = std::move(options);
  return field;
}

WritePolicy PolicyWith(std::vector<CustomField> fields) {
  WritePolicy policy;
  policy.custom_fields = std::move(fields);
  return policy;
}

CustomValueInput Sent(std::string key, decltype(CustomValueInput::value) value) {
  return {std::move(key), std::move(value), false};
}

// The value a write stores for `sent`, or nullopt: removed, or refused with the error it
// recorded (checked here).
std::optional<CustomValue> Check(const CustomField& field, decltype(CustomValueInput::value) sent,
                                 PhonePolicy phones = PhonePolicy::kStrict) {
  WritePolicy policy = PolicyWith({field});
  policy.phones = phones;
  FieldErrors errors;
  auto changes = ValidateCustomValues({Sent(field.key, std::move(sent))}, policy, errors);
  if (!errors.empty()) {
    EXPECT_TRUE(errors.Has("custom_fields." + field.key));
    return std::nullopt;
  }
  EXPECT_EQ(changes.size(), 1u);
  return changes.empty() ? std::nullopt : changes.front().second;
}

TEST(CustomFields, KeysAreALetterThenLettersDigitsAndSeparators) {
  EXPECT_TRUE(IsCustomFieldKey("industry"));
  EXPECT_TRUE(IsCustomFieldKey("accountManager"));
  EXPECT_TRUE(IsCustomFieldKey("contact.deal_size-2"));
  EXPECT_TRUE(IsCustomFieldKey(std::string(64, 'k')));
  EXPECT_FALSE(IsCustomFieldKey(std::string(65, 'k')));
  EXPECT_FALSE(IsCustomFieldKey(""));
  EXPECT_FALSE(IsCustomFieldKey("1st"));
  EXPECT_FALSE(IsCustomFieldKey("_x"));
  EXPECT_FALSE(IsCustomFieldKey("a b"));
  EXPECT_FALSE(IsCustomFieldKey("a\"b"));
  EXPECT_FALSE(IsCustomFieldKey("a$b"));
}

TEST(CustomFields, TypeNamesRoundTrip) {
  for (std::string_view name : kCustomFieldTypeNames) {
    auto type = ParseCustomFieldType(name);
    ASSERT_TRUE(type) << name;
    EXPECT_EQ(CustomFieldTypeName(*type), name);
  }
  EXPECT_FALSE(ParseCustomFieldType("Text"));
  EXPECT_FALSE(ParseCustomFieldType("color"));
}

TEST(CustomFields, TextTypesAreTrimmedAndChecked) {
  auto text = Field(1, "t", CustomFieldType::kText);
  EXPECT_EQ(Check(text, std::string("  Retail ")), CustomValue{std::string("Retail")});
  EXPECT_FALSE(Check(text, std::string(256, 'x')));
  EXPECT_FALSE(Check(text, std::string("a\nb")));
  EXPECT_FALSE(Check(text, 5.0));
  auto long_text = Field(2, "l", CustomFieldType::kLongText);
  EXPECT_EQ(Check(long_text, std::string("a\nb")), CustomValue{std::string("a\nb")});
  EXPECT_TRUE(Check(long_text, std::string(65536, 'x')));
  EXPECT_FALSE(Check(long_text, std::string(65537, 'x')));
  auto url = Field(3, "u", CustomFieldType::kUrl);
  EXPECT_TRUE(Check(url, std::string("https://example.com/a")));
  EXPECT_FALSE(Check(url, std::string("example.com")));
  auto email = Field(4, "e", CustomFieldType::kEmail);
  EXPECT_TRUE(Check(email, std::string("a@example.com")));
  EXPECT_FALSE(Check(email, std::string("a@")));
}

TEST(CustomFields, NumbersBooleansDatesAndDatetimesTakeTheirOwnShape) {
  auto number = Field(1, "n", CustomFieldType::kNumber);
  EXPECT_EQ(Check(number, 2.5), CustomValue{2.5});
  EXPECT_FALSE(Check(number, std::string("2.5")));
  EXPECT_FALSE(Check(number, true));
  auto flag = Field(2, "b", CustomFieldType::kBoolean);
  EXPECT_EQ(Check(flag, false), CustomValue{false});
  EXPECT_FALSE(Check(flag, 1.0));
  EXPECT_FALSE(Check(flag, std::string("true")));
  auto date = Field(3, "d", CustomFieldType::kDate);
  EXPECT_EQ(Check(date, std::string("05/01/2027")), CustomValue{std::string("2027-05-01")});
  EXPECT_FALSE(Check(date, std::string("2027-02-30")));
  auto datetime = Field(4, "dt", CustomFieldType::kDateTime);
  EXPECT_EQ(Check(datetime, std::string("2026-03-01T09:30:00-05:00")),
            CustomValue{std::string("2026-03-01T14:30:00Z")});
  EXPECT_FALSE(Check(datetime, std::string("tomorrow")));
}

TEST(CustomFields, ChoicesTakeTheOptionSpellingAndMultiSelectIsASet) {
  auto select = Field(1, "s", CustomFieldType::kSelect, {"Gold", "Silver"});
  EXPECT_EQ(Check(select, std::string(" gold ")), CustomValue{std::string("Gold")});
  EXPECT_FALSE(Check(select, std::string("Bronze")));
  EXPECT_FALSE(Check(select, std::vector<std::string>{"Gold"}));
  auto multi = Field(2, "m", CustomFieldType::kMultiSelect, {"NY", "LA"});
  EXPECT_EQ(Check(multi, std::vector<std::string>{"la", "NY", "LA"}),
            (CustomValue{std::vector<std::string>{"LA", "NY"}}));
  EXPECT_EQ(Check(multi, std::vector<std::string>{}), std::nullopt);  // no option: no value
  EXPECT_FALSE(Check(multi, std::vector<std::string>{"NY", "SF"}));
  EXPECT_FALSE(Check(multi, std::string("NY")));
}

TEST(CustomFields, PhonesFollowThePolicy) {
  auto phone = Field(1, "p", CustomFieldType::kPhone);
  EXPECT_EQ(Check(phone, std::string("(212) 555-0184")), CustomValue{std::string("+12125550184")});
  EXPECT_FALSE(Check(phone, std::string("call me")));
  EXPECT_EQ(Check(phone, std::string("call me"), PhonePolicy::kKeepUnparsed),
            CustomValue{std::string("call me")});
}

TEST(CustomFields, UnknownKeysMalformedValuesAndNullsAreTold) {
  WritePolicy policy = PolicyWith({Field(1, "a", CustomFieldType::kText)});
  FieldErrors errors;
  CustomValueInput malformed = Sent("a", std::monostate{});
  malformed.malformed = true;
  auto changes = ValidateCustomValues({Sent("zzz", std::string("x")), malformed,
                                       Sent("a", std::monostate{}), Sent("gone", std::monostate{})},
                                      policy, errors);
  EXPECT_TRUE(errors.Has("custom_fields.zzz"));
  EXPECT_TRUE(errors.Has("custom_fields.a"));
  EXPECT_FALSE(errors.Has("custom_fields.gone"));
  // The nulls remove a value, defined or not.
  EXPECT_EQ(changes, (std::vector<CustomValueChange>{{"a", std::nullopt}, {"gone", std::nullopt}}));
}

TEST(CustomFields, ApplySetsAndRemoves) {
  CustomValues values{{"a", 1.0}, {"b", std::string("x")}};
  values = ApplyCustomValues(values, {{"a", std::nullopt}, {"c", CustomValue{true}},
                                      {"b", CustomValue{std::string("y")}}});
  EXPECT_EQ(values, (CustomValues{{"b", std::string("y")}, {"c", true}}));
}

TEST(CustomFields, IndexKeysAreWhatFiltersCompare) {
  using Keys = std::vector<FilterValue>;
  EXPECT_EQ(*CustomIndexKeys(Field(1, "t", CustomFieldType::kText), std::string("Straße")),
            (Keys{std::string("strasse")}));
  EXPECT_EQ(*CustomIndexKeys(Field(1, "n", CustomFieldType::kNumber), 3.0), (Keys{3.0}));
  EXPECT_EQ(*CustomIndexKeys(Field(1, "b", CustomFieldType::kBoolean), true),
            (Keys{std::int64_t{1}}));
  EXPECT_EQ(*CustomIndexKeys(Field(1, "m", CustomFieldType::kMultiSelect, {"NY", "LA"}),
                             std::vector<std::string>{"NY", "LA"}),
            (Keys{std::string("ny"), std::string("la")}));
  EXPECT_EQ(*CustomIndexKeys(Field(1, "l", CustomFieldType::kLongText), std::string("long")),
            (Keys{std::string()}));
  // A value whose shape is not the type's has no keys (its definition changed meanwhile).
  EXPECT_FALSE(CustomIndexKeys(Field(1, "n", CustomFieldType::kNumber), std::string("3")));
  EXPECT_FALSE(CustomIndexKeys(Field(1, "t", CustomFieldType::kText), true));
}

Filter CustomFilter(std::string key, FilterOp op, std::vector<std::string> values) {
  static const QueryField kField{"custom_fields", FieldKind::kCustom};
  Filter filter{&kField, op, {}, std::move(key), 0};
  for (std::string& value : values) filter.values.emplace_back(std::move(value));
  return filter;
}

TEST(CustomFields, FiltersResolveToTheFieldAndItsIndexKeys) {
  std::vector<CustomField> fields = {Field(7, "score", CustomFieldType::kNumber),
                                     Field(8, "tier", CustomFieldType::kSelect, {"Gold"}),
                                     Field(9, "notes", CustomFieldType::kLongText),
                                     Field(10, "vip", CustomFieldType::kBoolean)};
  std::vector<Filter> filters = {CustomFilter("score", FilterOp::kGt, {"2.5"}),
                                 CustomFilter("tier", FilterOp::kIn, {"GOLD"}),
                                 CustomFilter("vip", FilterOp::kEq, {"true"})};
  ASSERT_TRUE(ResolveCustomFilters(filters, fields, "US"));
  EXPECT_EQ(filters[0].custom_field_id, 7);
  EXPECT_EQ(filters[0].values, std::vector<FilterValue>{2.5});
  EXPECT_EQ(filters[1].values, std::vector<FilterValue>{std::string("gold")});
  EXPECT_EQ(filters[2].values, std::vector<FilterValue>{std::int64_t{1}});
  auto refused = [&](Filter filter) {
    std::vector<Filter> one = {std::move(filter)};
    auto resolved = ResolveCustomFilters(one, fields, "US");
    return !resolved && resolved.error().code == ErrorCode::kBadRequest;
  };
  EXPECT_TRUE(refused(CustomFilter("nope", FilterOp::kEq, {"x"})));
  EXPECT_TRUE(refused(CustomFilter("notes", FilterOp::kEq, {"x"})));
  EXPECT_TRUE(refused(CustomFilter("score", FilterOp::kEq, {"ten"})));
  EXPECT_TRUE(refused(CustomFilter("tier", FilterOp::kGt, {"Platinum"})));  // not an option
  EXPECT_TRUE(refused(CustomFilter("tier", FilterOp::kAll, {"Gold"})));
  EXPECT_TRUE(refused(CustomFilter("tier", FilterOp::kEq, {"Silver"})));
  EXPECT_TRUE(refused(CustomFilter("vip", FilterOp::kLt, {"true"})));
  std::vector<Filter> range = {CustomFilter("tier", FilterOp::kGte, {"gold"})};
  EXPECT_TRUE(ResolveCustomFilters(range, fields, "US"));  // ranges compare folded text
}

}  // namespace
}  // namespace contactd::domain

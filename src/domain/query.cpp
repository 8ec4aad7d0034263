#include "domain/query.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

#include "domain/contact.hpp"
#include "domain/cursor.hpp"
#include "domain/tags.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"

namespace contactd::domain {
namespace {

constexpr std::array<QueryField, 49> kContactFields = {{
    {"id", FieldKind::kInteger},
    {"contact_type", FieldKind::kTypeSet},
    {"contact_types", FieldKind::kTypeSet},
    {"first_name", FieldKind::kText},
    {"last_name", FieldKind::kText},
    {"full_name", FieldKind::kText},
    {"display_name", FieldKind::kText},
    {"email", FieldKind::kText},
    {"title", FieldKind::kText},
    {"department", FieldKind::kText},
    {"address", FieldKind::kText},
    {"city", FieldKind::kText},
    {"state", FieldKind::kText},
    {"zip", FieldKind::kText},
    {"linkedin_url", FieldKind::kText},
    {"code", FieldKind::kText},
    {"tax_id", FieldKind::kText},
    {"website", FieldKind::kText},
    {"source", FieldKind::kText},
    {"source_id", FieldKind::kInteger},
    {"hotness_id", FieldKind::kInteger},
    {"reports_to", FieldKind::kInteger},
    {"owner_user_id", FieldKind::kInteger},
    {"assigned_user_id", FieldKind::kInteger},
    {"country", FieldKind::kCanonical},
    {"timezone", FieldKind::kCanonical},
    {"birthday", FieldKind::kCanonical},
    {"anniversary", FieldKind::kCanonical},
    {"preferred_contact_method", FieldKind::kCanonical},
    {"status", FieldKind::kCanonical},
    {"dnd", FieldKind::kBool},
    {"tags", FieldKind::kTagSet},
    {"phone", FieldKind::kPhone},
    {"company_id", FieldKind::kInteger},
    {"is_primary", FieldKind::kBool},
    {"owner_account_id", FieldKind::kInteger},
    {"created_at", FieldKind::kTimestamp},
    {"updated_at", FieldKind::kTimestamp},
    // Fields of seed 002's flat contact: its company's name, its spouse's fields, and the first
    // number of each type.
    {"company_name", FieldKind::kText},
    {"spouse_name", FieldKind::kText},
    {"spouse_email", FieldKind::kText},
    {"spouse_phone", FieldKind::kTypedPhone},
    {"spouse_birthday", FieldKind::kCanonical},
    {"mobile_phone", FieldKind::kTypedPhone},
    {"home_phone", FieldKind::kTypedPhone},
    {"office_phone", FieldKind::kTypedPhone},
    {"work_phone", FieldKind::kTypedPhone},
    {"main_phone", FieldKind::kTypedPhone},
    {"fax", FieldKind::kTypedPhone},
}};

// is_connected is also sortable, though it filters through its own parameter.
constexpr QueryField kIsConnectedField = {"is_connected", FieldKind::kBool};
// Every custom_fields.<key> condition; the key is in the filter.
constexpr QueryField kCustomField = {"custom_fields", FieldKind::kCustom};
constexpr std::string_view kCustomPrefix = "custom_fields.";

const QueryField* FindField(std::string_view name) {
  for (const QueryField& field : kContactFields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

std::optional<FilterOp> ParseOp(std::string_view op) {
  if (op == "$ne") return FilterOp::kNe;
  if (op == "$in") return FilterOp::kIn;
  if (op == "$nin") return FilterOp::kNin;
  if (op == "$lt") return FilterOp::kLt;
  if (op == "$lte") return FilterOp::kLte;
  if (op == "$gt") return FilterOp::kGt;
  if (op == "$gte") return FilterOp::kGte;
  if (op == "$eq") return FilterOp::kEq;
  if (op == "$all") return FilterOp::kAll;
  if (op == "$exists") return FilterOp::kExists;
  if (op == "$contains") return FilterOp::kContains;
  if (op == "$ncontains") return FilterOp::kNotContains;
  return std::nullopt;
}

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// The text field whose rule a kCanonical field's values follow: its own, or for the spouse's
// birthday, the contact's.
TextField CanonicalRule(const QueryField& field) {
  if (field.name == "spouse_birthday") return TextField::kBirthday;
  return *FindTextField(field.name);
}

std::optional<FilterValue> ParseValue(const QueryField& field, std::string_view text) {
  switch (field.kind) {
    case FieldKind::kText:
      return FilterValue{FoldCase(text)};
    case FieldKind::kCanonical: {
      // The value a write would have stored for it, or no value when a write would refuse it.
      FieldErrors errors;
      std::string canonical = ValidateText(CanonicalRule(field), text, errors);
      if (!errors.empty()) return std::nullopt;
      return FilterValue{std::move(canonical)};
    }
    case FieldKind::kTypeSet:
      return FilterValue{ContactTypeBit(text)};
    case FieldKind::kTagSet:
      return FilterValue{TagKey(Trim(text))};
    case FieldKind::kPhone:
    case FieldKind::kCustom:
    case FieldKind::kTypedPhone:
      return FilterValue{std::string(Trim(text))};
    case FieldKind::kInteger:
      if (auto value = ParseInt(text)) return FilterValue{*value};
      return std::nullopt;
    case FieldKind::kBool:
      if (text == "true") return FilterValue{std::int64_t{1}};
      if (text == "false") return FilterValue{std::int64_t{0}};
      return std::nullopt;
    case FieldKind::kTimestamp:
      if (auto value = ParseTimestamp(text)) return FilterValue{*value};
      return std::nullopt;
  }
  return std::nullopt;
}

std::string_view KindDescription(FieldKind kind) {
  switch (kind) {
    case FieldKind::kText:
    case FieldKind::kTypeSet:
    case FieldKind::kTagSet:
    case FieldKind::kPhone:
    case FieldKind::kCustom:
    case FieldKind::kTypedPhone:
      return "a string";
    case FieldKind::kInteger:
      return "an integer";
    case FieldKind::kBool:
      return "true or false";
    case FieldKind::kTimestamp:
      return "an ISO 8601 date or date-time";
    case FieldKind::kCanonical:
      return "a valid value of the field";
  }
  return "a value";
}

// Splits "a,b,,c" into non-empty trimmed parts.
std::vector<std::string_view> SplitList(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view part = text.substr(start, comma - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) parts.push_back(part);
    start = comma + 1;
  }
  return parts;
}

// Handles the paging parameters shared by every list. Returns false if `key` is not one.
// REQUIRES: `cursors` is set unless the caller handles "cursor" itself.
bool ParsePagingParam(const std::string& key, const std::string& value, const CursorCodec* cursors,
                      ListQuery& query, FieldErrors& errors, bool& has_cursor, bool& has_offset) {
  if (key == "limit") {
    auto limit = ParseInt(value);
    if (!limit || *limit < 1 || *limit > kMaxPageSize) {
      errors.Add("limit", "limit must be an integer between 1 and 200");
    } else {
      query.limit = static_cast<int>(*limit);
    }
    return true;
  }
  if (key == "cursor") {
    has_cursor = true;
    if (auto id = cursors->Decode(value)) {
      query.after_id = *id;
    } else {
      errors.Add("cursor", "cursor is invalid; pass next_cursor from a previous page unchanged");
    }
    return true;
  }
  if (key == "offset") {
    has_offset = true;
    auto offset = ParseInt(value);
    if (!offset || *offset < 0 || *offset > kMaxOffset) {
      errors.Add("offset", "offset must be an integer between 0 and 10000000");
    } else {
      query.offset = *offset;
    }
    return true;
  }
  return false;
}

void ParseSort(const std::string& value, ListQuery& query, FieldErrors& errors) {
  std::vector<std::string_view> keys = SplitList(value);
  if (keys.empty()) errors.Add("sort", "sort must name at least one field");
  if (query.sort.size() + keys.size() > kMaxSortKeys) {
    errors.Add("sort", "sort takes at most " + std::to_string(kMaxSortKeys) + " fields");
    return;
  }
  for (std::string_view key : keys) {
    bool descending = false;
    if (key.front() == '-' || key.front() == '+') {
      descending = key.front() == '-';
      key.remove_prefix(1);
    }
    const QueryField* field = key == kIsConnectedField.name ? &kIsConnectedField : FindField(key);
    if (field == nullptr) {
      errors.Add("sort", "sort: unknown field '" + std::string(key) + "'");
      continue;
    }
    if (field->kind == FieldKind::kPhone) {
      errors.Add("sort", "sort: " + std::string(key) + " cannot be sorted on");
      continue;
    }
    bool repeated = std::any_of(query.sort.begin(), query.sort.end(),
                                [&](const SortKey& sort) { return sort.field == field; });
    if (repeated) {
      errors.Add("sort", "sort names '" + std::string(key) + "' more than once");
      continue;
    }
    query.sort.push_back({field, descending});
  }
}

void ParseFields(const std::string& value, std::span<const std::string_view> output_fields,
                 ListQuery& query, FieldErrors& errors) {
  std::vector<std::string_view> names = SplitList(value);
  if (names.empty()) errors.Add("fields", "fields must name at least one field");
  query.fields.push_back("id");
  for (std::string_view name : names) {
    if (std::find(output_fields.begin(), output_fields.end(), name) == output_fields.end()) {
      errors.Add("fields", "fields: unknown field '" + std::string(name) + "'");
      continue;
    }
    if (std::find(query.fields.begin(), query.fields.end(), name) == query.fields.end()) {
      query.fields.emplace_back(name);
    }
  }
}

// Counts one more condition of the query, unless that makes more than kMaxFilterTerms.
bool CountTerm(const std::string& key, std::size_t& terms, FieldErrors& errors) {
  if (terms >= kMaxFilterTerms) {
    errors.Add(key, "a list takes at most " + std::to_string(kMaxFilterTerms) +
                        " filter conditions; '" + key + "' is one too many");
    return false;
  }
  ++terms;
  return true;
}

// Adds the condition `name[op_text]=value` to `filters` (op_text empty: equality); `several`
// says the key carried an index after the operator, as qs writes array members. `key` names the
// parameter in errors; `terms` counts the conditions of the whole query.
void AddCondition(const std::string& key, std::string_view name, std::string_view op_text,
                  bool several, const std::string& value, std::vector<Filter>& filters,
                  std::size_t& terms, FieldErrors& errors) {
  FilterOp op = FilterOp::kEq;
  if (!op_text.empty()) {
    auto parsed = ParseOp(op_text);
    if (!parsed) {
      errors.Add(key, "unknown filter operator in '" + key +
                          "'; use $ne, $in, $nin, $all, $lt, $lte, $gt, $gte, $exists, "
                          "$contains or $ncontains");
      return;
    }
    op = *parsed;
  }
  if (several && op != FilterOp::kIn && op != FilterOp::kNin && op != FilterOp::kAll) {
    errors.Add(key, "only $in, $nin and $all take several values; '" + key + "' has an index");
    return;
  }
  const QueryField* field = FindField(name);
  std::string_view custom_key;
  if (name.starts_with(kCustomPrefix)) {
    field = &kCustomField;
    custom_key = name.substr(kCustomPrefix.size());
  }
  if (field == nullptr) {
    errors.Add(key, "unknown query parameter '" + key + "'");
    return;
  }
  if (op == FilterOp::kExists) {
    // A condition without a value: whether the field has one.
    if (value != "true" && value != "false") {
      errors.Add(key, key + " must be true or false");
      return;
    }
    if (!CountTerm(key, terms, errors)) return;
    filters.push_back({field, value == "true" ? FilterOp::kExists : FilterOp::kNotExists, {},
                       std::string(custom_key), 0});
    return;
  }
  // Custom fields: their definition's type decides (ResolveCustomFilters).
  bool text = field->kind == FieldKind::kText || field->kind == FieldKind::kCustom;
  if ((op == FilterOp::kContains || op == FilterOp::kNotContains) &&
      (!text || Trim(value).empty())) {
    errors.Add(key, !text ? std::string(name) + " is not a text field; $contains and $ncontains "
                                                "apply to text fields"
                          : key + " must not be empty");
    return;
  }
  bool equality = op == FilterOp::kEq || op == FilterOp::kNe || op == FilterOp::kIn ||
                  op == FilterOp::kNin;
  if ((field->kind == FieldKind::kTypeSet || field->kind == FieldKind::kPhone) && !equality) {
    errors.Add(key, std::string(name) + " takes only equality, $ne, $in and $nin");
    return;
  }
  if (field->kind == FieldKind::kTagSet && !equality && op != FilterOp::kAll) {
    errors.Add(key, std::string(name) + " takes only equality, $ne, $in, $nin and $all");
    return;
  }
  if (op == FilterOp::kAll && field->kind != FieldKind::kTagSet &&
      field->kind != FieldKind::kCustom) {
    errors.Add(key, "$all applies to tags and multi_select custom fields only");
    return;
  }
  auto parsed_value = ParseValue(*field, value);
  if (!parsed_value) {
    if (field->kind == FieldKind::kCanonical) {
      // The write path's message says what a valid value is ("status must be active, ...").
      FieldErrors rule;
      ValidateText(CanonicalRule(*field), value, rule);
      errors.Add(key, key + ": " + rule.list().front().message);
      return;
    }
    errors.Add(key, key + " must be " + std::string(KindDescription(field->kind)));
    return;
  }
  if (op == FilterOp::kIn || op == FilterOp::kNin || op == FilterOp::kAll) {
    // Repeated $in / $nin / $all parameters of one field add values to one condition.
    for (Filter& filter : filters) {
      if (filter.field == field && filter.op == op && filter.custom_key == custom_key) {
        if (filter.values.size() >= kMaxInValues) {
          errors.Add(key, key + " takes at most 100 values");
          return;
        }
        filter.values.push_back(std::move(*parsed_value));
        return;
      }
    }
  }
  if (!CountTerm(key, terms, errors)) return;
  filters.push_back({field, op, {std::move(*parsed_value)}, std::string(custom_key), 0});
}

// The branches of $or being read, by their index.
using OrBranches = std::map<std::int64_t, std::vector<Filter>>;

// A filter parameter: `field`, `field[$op]`, `field[$op][N]` or `field[$op][]`, each also
// inside `$or[N][...]`.
void ParseFilter(const std::string& key, const std::string& value, ListQuery& query,
                 OrBranches& branches, std::size_t& terms, FieldErrors& errors) {
  auto parts = SplitBracketKey(key);
  std::span<const std::string_view> rest;
  if (parts) rest = *parts;
  std::vector<Filter>* filters = &query.filters;
  if (!rest.empty() && rest.front() == "$or") {
    auto branch = rest.size() > 1 ? ParseInt(rest[1]) : std::nullopt;
    if (branch && rest.size() == 2) {
      errors.Add(key, "'" + key + "' names no field: $or[N][field]=value");
      return;
    }
    if (!branch || *branch < 0 || *branch >= static_cast<std::int64_t>(kMaxOrBranches)) {
      errors.Add(key, "'" + key + "': $or takes at most " + std::to_string(kMaxOrBranches) +
                          " branches, $or[0][field] to $or[" +
                          std::to_string(kMaxOrBranches - 1) + "][field]");
      return;
    }
    filters = &branches[*branch];
    rest = rest.subspan(2);
  }
  bool malformed = rest.empty() || rest.size() > 3 || (rest.size() > 1 && rest[1].empty()) ||
                   (rest.size() == 3 && !rest[2].empty() && !ParseInt(rest[2]));
  if (malformed) {
    errors.Add(key, "malformed filter parameter '" + key + "'");
    return;
  }
  AddCondition(key, rest[0], rest.size() > 1 ? rest[1] : std::string_view(), rest.size() == 3,
               value, *filters, terms, errors);
}

}  // namespace

std::span<const QueryField> ContactQueryFields() { return kContactFields; }

std::optional<std::vector<std::string_view>> SplitBracketKey(std::string_view key) {
  std::size_t bracket = key.find('[');
  std::vector<std::string_view> parts{key.substr(0, bracket)};
  if (parts.front().find(']') != std::string_view::npos) return std::nullopt;
  while (bracket != std::string_view::npos && bracket < key.size()) {
    if (key[bracket] != '[') return std::nullopt;
    std::size_t close = key.find(']', bracket);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view part = key.substr(bracket + 1, close - bracket - 1);
    if (part.find('[') != std::string_view::npos) return std::nullopt;
    parts.push_back(part);
    bracket = close + 1;
  }
  return parts;
}

Result<ListQuery> ParseContactListQuery(const QueryParams& params, const CursorCodec& cursors,
                                        std::span<const std::string_view> output_fields) {
  ListQuery query;
  FieldErrors errors;
  bool has_cursor = false;
  bool has_offset = false;
  bool has_sort = false;
  bool has_connected = false;
  OrBranches branches;
  std::size_t terms = 0;
  for (const auto& [key, value] : params) {
    if (ParsePagingParam(key, value, &cursors, query, errors, has_cursor, has_offset)) continue;
    if (key == "search") {
      if (query.search) {
        errors.Add("search", "search may be given once");
      } else if (auto search = ParseSearch(value)) {
        query.search = std::move(*search);
      } else {
        errors.Add("search", search.error().message);
      }
    } else if (key == "deleted") {
      if (value == "true" || value == "false") {
        query.deleted = value == "true";
      } else {
        errors.Add("deleted", "deleted must be true or false");
      }
    } else if (key == "sort") {
      has_sort = true;
      ParseSort(value, query, errors);
    } else if (key == "fields") {
      ParseFields(value, output_fields, query, errors);
    } else if (key == "is_connected") {
      has_connected = true;
      if (value == "true") {
        query.connected = Connected::kOnlyConnected;
      } else if (value == "false") {
        query.connected = Connected::kOnlyUnconnected;
      } else if (value == "all") {
        query.connected = Connected::kAll;
      } else {
        errors.Add("is_connected", "is_connected must be true, false or all");
      }
    } else {
      ParseFilter(key, value, query, branches, terms, errors);
    }
  }
  for (auto& [index, branch] : branches) query.any_of.push_back(std::move(branch));
  if (has_cursor && has_sort) {
    return std::unexpected(Error::BadRequest(std::string(kCursorWithSortMessage),
                                             {{"cursor", std::string(kCursorWithSortMessage)}}));
  }
  if (has_cursor && has_offset) {
    errors.Add("offset", "cursor and offset cannot be combined");
  }
  if (query.deleted &&
      (!query.filters.empty() || !query.any_of.empty() || has_sort || has_offset ||
       has_connected || query.search)) {
    errors.Add("deleted", "a list of deleted contacts takes only limit, cursor and fields");
  }
  if (!errors.empty()) {
    return std::unexpected(BadRequestOf(std::move(errors)));
  }
  return query;
}

namespace {

Result<ListQuery> ParsePaging(const QueryParams& params, const CursorCodec* cursors) {
  ListQuery query;
  query.connected = Connected::kAll;
  FieldErrors errors;
  bool has_cursor = false;
  bool has_offset = false;
  for (const auto& [key, value] : params) {
    if (cursors == nullptr && key == "cursor") {
      errors.Add(key, "this list pages with limit and offset, not cursor");
    } else if (!ParsePagingParam(key, value, cursors, query, errors, has_cursor, has_offset)) {
      errors.Add(key, "unknown query parameter '" + key + "'");
    }
  }
  if (has_cursor && has_offset) errors.Add("offset", "cursor and offset cannot be combined");
  if (!errors.empty()) {
    return std::unexpected(BadRequestOf(std::move(errors)));
  }
  return query;
}

}  // namespace

Result<ListQuery> ParsePageQuery(const QueryParams& params, const CursorCodec& cursors) {
  return ParsePaging(params, &cursors);
}

Result<ListQuery> ParseOffsetPageQuery(const QueryParams& params) {
  return ParsePaging(params, nullptr);
}

}  // namespace contactd::domain

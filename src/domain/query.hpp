#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "domain/error.hpp"
#include "domain/search.hpp"

namespace contactd::domain {

class CursorCodec;

// kText compares case-insensitively, through FoldCase keys; kCanonical is a text field whose
// stored values are canonical (a choice in lower case, a country in upper case, a YYYY-MM-DD
// date): filter values are put in the same form by the write path's rule, then compare exactly.
// kTypeSet is a set of contact types (values are ContactTypeBit masks): a condition holds when
// any of the set's values matches. kTagSet is a contact's tags (values are TagKey keys): equality
// and $in mean "has any of", $ne and $nin "has none of", $all "has every one of".
// kPhone is a contact's phone numbers: values are numbers as sent, which the contact service
// reads into E.164 with the account's default country; equality and $in mean "has any of".
// kCustom is a custom field (`custom_fields.<key>`): values are kept as sent until the contact
// service resolves them against the account's definitions (ResolveCustomFilters).
// kTypedPhone is one number of a contact (its first of one type, the spouse's): it compares as
// its E.164 form where it parsed and as its folded text where it did not; the contact service
// puts values in the same form.
enum class FieldKind {
  kText, kCanonical, kInteger, kBool, kTimestamp, kTypeSet, kTagSet, kPhone, kCustom, kTypedPhone,
};

// A field that list queries may filter and sort on.
struct QueryField {
  std::string_view name;
  FieldKind kind;
};

// The scalar fields of a contact that lists filter and sort on (is_connected has its own
// parameter: see Connected).
std::span<const QueryField> ContactQueryFields();

// kExists and kNotExists take no value: the field has one (a text field a non-empty one; a set
// at least one member) or has none. kContains and kNotContains (text fields) take one value,
// matched as a substring of the folded text; kNotContains also matches a missing value.
enum class FilterOp {
  kEq, kNe, kIn, kNin, kAll, kLt, kLte, kGt, kGte, kExists, kNotExists, kContains, kNotContains,
};

// FoldCase keys for kText, TagKey keys for kTagSet, canonical text for kCanonical, unix seconds
// for kTimestamp, ContactTypeBit for kTypeSet, integers and 0/1 for the others; for kCustom, the
// keys of CustomIndexKeys (a double for numbers).
using FilterValue = std::variant<std::string, std::int64_t, double>;

// One condition. All filters of a query must hold (AND); $in/$nin/$all hold several values.
struct Filter {
  const QueryField* field = nullptr;  // points into ContactQueryFields()
  FilterOp op = FilterOp::kEq;
  std::vector<FilterValue> values;
  std::string custom_key;            // kCustom: the field's key
  std::int64_t custom_field_id = 0;  // kCustom: the field's id, once resolved
};

struct SortKey {
  const QueryField* field = nullptr;
  bool descending = false;
};

enum class Connected { kOnlyConnected, kOnlyUnconnected, kAll };

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 200;
inline constexpr std::size_t kMaxInValues = 100;
// Bounds on one list request, so that its cost stays small whatever it asks for (and no query
// reaches a limit of the database: expression depth, ORDER BY terms, bound parameters).
inline constexpr std::size_t kMaxSortKeys = 5;
inline constexpr std::size_t kMaxFilterTerms = 20;  // conditions, with those of $or branches
inline constexpr std::size_t kMaxOrBranches = 10;
// Offsets past this only walk rows to skip them (10,000,000: 50,000 pages of 200).
inline constexpr std::int64_t kMaxOffset = 10'000'000;

// A list request: what to match, in which order, which page.
struct ListQuery {
  std::vector<Filter> filters;
  // $or: when not empty, one of these branches must hold too, each branch all of its filters.
  std::vector<std::vector<Filter>> any_of;
  std::vector<SortKey> sort;                 // empty: by id, keyset pagination
  Connected connected = Connected::kOnlyConnected;
  int limit = kDefaultPageSize;
  std::int64_t offset = 0;
  std::optional<std::int64_t> after_id;      // from a cursor: rows with a greater id
  std::vector<std::string> fields;           // selected output fields; empty: all
  bool deleted = false;                      // the restorable deleted contacts instead
  std::optional<SearchQuery> search;         // search=: words or a number to match
  bool count_total = true;                   // false: Page::total is left 0 (an export's batches)
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// The parts of a query parameter's key in the bracket form of the `qs` library: "a[b][]" is
// {"a", "b", ""}, "a" is {"a"}. nullopt when the brackets are unbalanced or text follows one.
std::optional<std::vector<std::string_view>> SplitBracketKey(std::string_view key);

// The message the native API gives when a cursor and a sort are combined.
inline constexpr std::string_view kCursorWithSortMessage =
    "cursor and sort cannot be combined; use offset pagination when sorting";

// Parses list parameters (decoded key/value pairs, in order) of a contact list:
// limit, cursor, offset, fields, sort, is_connected, deleted, search, and filters `field=v` /
// `field[$op]=v` (`custom_fields.<key>=v` for custom fields; `field[$exists]=true|false`;
// `field[$contains]=text` and `field[$ncontains]=text` on text fields). The values of $in, $nin
// and $all may repeat the key or carry an index as the `qs` library writes them
// (`field[$in][0]=v`, `field[$in][]=v`); `$or[N][field]...=v` adds a condition to branch N of
// ListQuery::any_of.
// `output_fields` are the names `fields` may select. Returns kBadRequest naming every bad
// parameter.
Result<ListQuery> ParseContactListQuery(const QueryParams& params, const CursorCodec& cursors,
                                        std::span<const std::string_view> output_fields);

// Parses only the paging parameters (limit, cursor); any other parameter is an error. For lists
// without filters, such as companies.
Result<ListQuery> ParsePageQuery(const QueryParams& params, const CursorCodec& cursors);
// Parses limit and offset only, for lists not in id order (tags).
Result<ListQuery> ParseOffsetPageQuery(const QueryParams& params);

}  // namespace contactd::domain

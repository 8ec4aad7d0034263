// Fuzzes the query string of GET /contacts as the native API reads it: api::ParseQueryString,
// then domain::ParseContactListQuery (and domain::ParsePageQuery, which GET /companies calls on
// the same parameters), then custom field conditions resolved against definitions of every type,
// then the SQL the SQLite store builds from an accepted query.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/native/codec.hpp"
#include "api/params.hpp"
#include "check.hpp"
#include "definitions.hpp"
#include "domain/custom_fields.hpp"
#include "domain/cursor.hpp"
#include "domain/query.hpp"
#include "store/sqlite/filter_sql.hpp"

namespace {

namespace domain = contactd::domain;

// The seed corpus holds cursors made under this key (see tests/fuzz/README.md).
constexpr std::string_view kCursorKey = "contactd-fuzz-cursor-key";

const domain::CursorCodec& Cursors() {
  static const domain::CursorCodec codec{std::string(kCursorKey)};
  return codec;
}

// Values are bound, never spliced: the SQL text holds only identifiers, keywords and operators,
// besides the constant expressions of fields kept inside JSON columns (which hold literals).
bool IsPlainSql(std::string sql) {
  for (const auto& [name, expression] : contactd::store::sqlite::DerivedColumns()) {
    for (std::size_t at = sql.find(expression); at != std::string::npos;
         at = sql.find(expression, at)) {
      sql.erase(at, expression.size());
    }
  }
  return std::all_of(sql.begin(), sql.end(), [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view(" _,.()=<>!?").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

void CheckSql(const domain::ListQuery& query, bool with_cursor) {
  // The whole account, and an `own` user's part of it.
  for (auto user : {std::optional<domain::UserId>(), std::optional(domain::UserId{7})}) {
    auto sql = contactd::store::sqlite::ContactListSql({domain::AccountId{42}, user}, query,
                                                       with_cursor);
    FUZZ_CHECK(IsPlainSql(sql.from) && IsPlainSql(sql.where) && IsPlainSql(sql.order_by));
    auto placeholders = [](const std::string& text) {
      return static_cast<std::size_t>(std::count(text.begin(), text.end(), '?'));
    };
    FUZZ_CHECK(placeholders(sql.from) + placeholders(sql.where) == sql.params.size());
    FUZZ_CHECK(placeholders(sql.order_by) == 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view raw_query(reinterpret_cast<const char*>(data), size);
  auto params = contactd::api::ParseQueryString(raw_query);
  if (!params) return 0;

  auto page = domain::ParsePageQuery(*params, Cursors());
  if (page) FUZZ_CHECK(page->limit >= 1 && page->limit <= domain::kMaxPageSize);

  auto query =
      domain::ParseContactListQuery(*params, Cursors(), contactd::api::native::ContactOutputFields());
  if (!query) {
    FUZZ_CHECK(query.error().code == domain::ErrorCode::kBadRequest);
    FUZZ_CHECK(!query.error().fields.empty());
    return 0;
  }
  FUZZ_CHECK(query->limit >= 1 && query->limit <= domain::kMaxPageSize);
  FUZZ_CHECK(query->offset >= 0);
  FUZZ_CHECK(!(query->after_id && !query->sort.empty()));
  for (const domain::Filter& filter : query->filters) {
    bool valueless =
        filter.op == domain::FilterOp::kExists || filter.op == domain::FilterOp::kNotExists;
    FUZZ_CHECK(filter.field != nullptr && filter.values.empty() == valueless);
    FUZZ_CHECK(filter.values.size() <= domain::kMaxInValues);
  }
  for (const domain::SortKey& key : query->sort) FUZZ_CHECK(key.field != nullptr);
  // custom_fields.<key> conditions, resolved as the contact service does.
  auto resolved = domain::ResolveCustomFilters(query->filters, FuzzCustomFields(), "US");
  if (!resolved) {
    FUZZ_CHECK(resolved.error().code == domain::ErrorCode::kBadRequest);
    FUZZ_CHECK(!resolved.error().fields.empty());
    return 0;
  }
  for (const domain::Filter& filter : query->filters) {
    if (filter.field->kind == domain::FieldKind::kCustom) FUZZ_CHECK(filter.custom_field_id > 0);
  }
  CheckSql(*query, /*with_cursor=*/true);
  CheckSql(*query, /*with_cursor=*/false);
  return 0;
}

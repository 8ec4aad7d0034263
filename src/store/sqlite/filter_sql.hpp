#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "domain/query.hpp"

namespace contactd::store::sqlite {

using SqlValue = std::variant<std::string, std::int64_t, double>;

// Text fields with an indexed, case-folded key column (<name>_key): domain::TextField up to
// kFullName. The others compare through contactd_fold() at query time, unindexed.
inline constexpr std::size_t kKeyedTextFields = 11;

// The WHERE and ORDER BY parts of a contact list, with their parameters in order.
struct ListSql {
  std::string where;     // starts with "account_id = ?", never empty
  std::string order_by;  // without the keywords
  std::vector<SqlValue> params;
};

// Translates a list query into SQL over the contacts table. Field names come from the domain's
// fixed table and values are always bound, never spliced. The cursor's after_id is included in
// `where` only when `with_cursor` (totals ignore it).
ListSql ContactListSql(std::int64_t account_id, const domain::ListQuery& query, bool with_cursor);

}  // namespace contactd::store::sqlite

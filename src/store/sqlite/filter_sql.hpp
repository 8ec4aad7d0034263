#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "domain/access.hpp"
#include "domain/query.hpp"

namespace contactd::store::sqlite {

using SqlValue = std::variant<std::string, std::int64_t, double>;

// Text fields with an indexed, case-folded key column (<name>_key): domain::TextField up to
// kFullName. The others compare through contactd_fold() at query time, unindexed.
inline constexpr std::size_t kKeyedTextFields = 11;

// The FROM, WHERE and ORDER BY parts of a contact list, with their parameters in order.
struct ListSql {
  std::string where;     // starts with "account_id = ?", never empty
  std::string order_by;  // without the keywords
  std::vector<SqlValue> params;
  std::string from;      // empty: the table listed
  // order_by's terms: an expression and whether it descends.
  std::vector<std::pair<std::string, bool>> order_terms;
  // The page is the merge of the unconnected and the connected contacts, each in its
  // (account_id, is_connected, key) index's order, instead of a sort of every contact: the page
  // adds an is_connected condition per half.
  bool split_connected = false;
};

// Fields kept inside another column or table (seed 002's flat view of them): the expression
// they filter and sort on, in the form the contact service puts their values in. They are
// computed per row, unindexed, as the unkeyed text fields are (company_name's equality
// conditions go through the companies' name index instead). Constant SQL, the only text of a
// list's SQL with literals in it (JSON paths, phone types).
const std::vector<std::pair<std::string_view, std::string>>& DerivedColumns();

// Translates a list query into SQL over the contacts table, within the scope. Field names come
// from the domain's fixed table and values are always bound, never spliced. The cursor's after_id
// is included in `where` only when `with_cursor` (totals ignore it).
ListSql ContactListSql(const domain::ContactScope& scope, const domain::ListQuery& query,
                       bool with_cursor);

// The ids of the contacts scope.user owns, is assigned or that were shared with it: three
// lookups by index. Appends its parameters. REQUIRES: scope.user.
std::string VisibleIds(const domain::ContactScope& scope, std::vector<SqlValue>& params);

// What a contact list reads FROM: "contacts", or for a restricted scope the contacts it sees,
// "(VisibleIds) AS visible CROSS JOIN contacts ON contacts.id = visible.vid": SQLite starts from
// the user's contacts, whatever the filters and the order, so that a restricted list costs what
// the user sees, not what the account holds (ContactListSql checks equality conditions on side
// tables per row, too; a search or a range on them still reads its match in the account once).
// Appends its parameters.
std::string ContactsFrom(const domain::ContactScope& scope, std::vector<SqlValue>& params);


}  // namespace contactd::store::sqlite

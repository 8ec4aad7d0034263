#include "store/sqlite/filter_sql.hpp"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "domain/contact.hpp"

namespace contactd::store::sqlite {
namespace {

bool HasKeyColumn(std::string_view name) {
  auto field = domain::FindTextField(name);
  return field && static_cast<std::size_t>(*field) < kKeyedTextFields;
}

// The key of a contact's company's name (see domain::FoldCase).
constexpr std::string_view kCompanyNameKey =
    "(SELECT name_key FROM companies WHERE companies.account_id = contacts.account_id "
    "AND companies.id = contacts.company_id)";

// The first number of a phone type in the phones column: E.164 where it parsed, else as sent.
std::string PhoneOfType(std::string_view type) {
  return "contactd_fold((SELECT coalesce(nullif(json_extract(phone.value, '$.e164'), ''), "
         "json_extract(phone.value, '$.raw')) FROM json_each(contacts.phones) AS phone "
         "WHERE json_extract(phone.value, '$.type') = '" +
         std::string(type) + "' LIMIT 1))";
}

}  // namespace

const std::vector<std::pair<std::string_view, std::string>>& DerivedColumns() {
  static const std::vector<std::pair<std::string_view, std::string>> columns{
      {"company_name", std::string(kCompanyNameKey)},
      {"spouse_name", "contactd_fold(json_extract(contacts.spouse, '$.name'))"},
      {"spouse_email", "contactd_fold(json_extract(contacts.spouse, '$.email'))"},
      {"spouse_phone", "contactd_fold(json_extract(contacts.spouse, '$.phone'))"},
      {"spouse_birthday", "json_extract(contacts.spouse, '$.birthday')"},
      {"mobile_phone", PhoneOfType("mobile")},
      {"home_phone", PhoneOfType("home")},
      {"office_phone", PhoneOfType("office")},
      {"work_phone", PhoneOfType("work")},
      {"main_phone", PhoneOfType("main")},
      {"fax", PhoneOfType("fax")},
  };
  return columns;
}

namespace {

// The column (or expression) a field filters and sorts on: the API's field name, but for the
// account, the case-folded key of a text field (see domain::FoldCase; an indexed <name>_key column
// where the schema keeps one), the bit mask of a set of types, and the expressions of
// DerivedColumns().
std::string Column(const domain::QueryField& field, bool for_filter) {
  if (field.name == "owner_account_id") return "account_id";
  for (const auto& [name, sql] : DerivedColumns()) {
    if (name == field.name) return sql;
  }
  switch (field.kind) {
    case domain::FieldKind::kText:
      if (HasKeyColumn(field.name)) return std::string(field.name) + "_key";
      return "contactd_fold(" + std::string(field.name) + ")";
    case domain::FieldKind::kTypeSet:
      // Sorting a set orders by its first member, the legacy contact_type.
      return for_filter ? "contact_type_mask" : "contact_type";
    case domain::FieldKind::kTagSet:
      // Sorted as seed 002 shows tags, one string (filters go through contact_tags).
      return "CASE WHEN json_array_length(tags) > 0 THEN contactd_fold(tags) END";
    case domain::FieldKind::kTypedPhone:
      // Every kTypedPhone field is one of DerivedColumns(), which the domain's table must follow.
      throw std::logic_error("no column for " + std::string(field.name));
    default:
      return std::string(field.name);
  }
}

// A condition on a set of contact types, over the masks an index serves: the masks that share a
// bit with `bits` (or, when `none`, share none).
void AppendTypeSetCondition(std::string& where, std::int64_t bits, bool none) {
  where += "contact_type_mask IN (";
  bool first = true;
  for (std::int64_t mask = 0; mask < domain::kContactTypeMaskCount; ++mask) {
    if (((mask & bits) != 0) == none) continue;
    if (!first) where += ", ";
    where += std::to_string(mask);
    first = false;
  }
  where += ')';
}

SqlValue ToSql(const domain::FilterValue& value) {
  return std::visit([](const auto& v) { return SqlValue{v}; }, value);
}

void AppendPlaceholders(std::string& sql, std::size_t count) {
  sql += '(';
  for (std::size_t i = 0; i < count; ++i) sql += i == 0 ? "?" : ", ?";
  sql += ')';
}

// The SQL operator of an ordering FilterOp.
std::string_view RangeSql(domain::FilterOp op) {
  switch (op) {
    case domain::FilterOp::kLt:
      return "<";
    case domain::FilterOp::kLte:
      return "<=";
    case domain::FilterOp::kGt:
      return ">";
    default:
      return ">=";
  }
}

// A condition on a multi-valued field kept in a lookup table keyed (account_id, ..., value,
// contact_id): `lookup` selects contact_id where the key's leading columns equal
// `lookup_params` and ends with the value column. The contacts whose entries match are looked up
// by key, so that the condition costs its match, not the account's contacts. Equality and $in
// mean "has any of", $ne and $nin "has none of" (a contact without an entry matches, as a
// missing value does for other fields), $all "has every one of", an ordering operator "has one
// in the range", $exists "has any".
// `per_row` (a restricted list, which starts from the few contacts a user sees): equality
// conditions are point lookups of each of those contacts' entries (EXISTS ... AND contact_id =
// contacts.id), instead of the account's whole match; ranges and $exists still read their
// match once.
void AppendLookupCondition(ListSql& sql, std::string_view lookup,
                           const std::vector<SqlValue>& lookup_params,
                           const domain::Filter& filter, bool per_row) {
  auto match = [&](std::string_view op, std::size_t first, std::size_t count, bool correlated) {
    sql.where += '(';
    sql.where += lookup;
    sql.where += ' ';
    sql.where += op;
    if (op == "IN") {
      sql.where += ' ';
      AppendPlaceholders(sql.where, count);
    } else if (count > 0) {
      sql.where += " ?";
    }
    if (correlated) sql.where += " AND contact_id = contacts.id";
    sql.where += ')';
    sql.params.insert(sql.params.end(), lookup_params.begin(), lookup_params.end());
    for (std::size_t i = first; i < first + count; ++i) sql.params.push_back(ToSql(filter.values[i]));
  };
  // "id IN (lookup)" or, per row, "EXISTS (lookup AND contact_id = contacts.id)".
  auto has = [&](bool negated, std::string_view op, std::size_t first, std::size_t count) {
    if (per_row) {
      sql.where += negated ? "NOT EXISTS " : "EXISTS ";
    } else {
      sql.where += negated ? "id NOT IN " : "id IN ";
    }
    match(op, first, count, per_row);
  };
  switch (filter.op) {
    case domain::FilterOp::kAll:
      // Every one of the values: one lookup each.
      for (std::size_t i = 0; i < filter.values.size(); ++i) {
        if (i > 0) sql.where += " AND ";
        has(false, "=", i, 1);
      }
      return;
    case domain::FilterOp::kNe:
    case domain::FilterOp::kNin:
      has(true, "IN", 0, filter.values.size());
      return;
    case domain::FilterOp::kExists:
    case domain::FilterOp::kNotExists:
      // Any entry at all (the value column is never null), read once: per row, with no value
      // to look up by, each row would scan the account's entries.
      sql.where += filter.op == domain::FilterOp::kExists ? "id IN " : "id NOT IN ";
      match("IS NOT NULL", 0, 0, /*correlated=*/false);
      return;
    case domain::FilterOp::kLt:
    case domain::FilterOp::kLte:
    case domain::FilterOp::kGt:
    case domain::FilterOp::kGte:
      sql.where += "id IN ";
      match(RangeSql(filter.op), 0, 1, /*correlated=*/false);
      return;
    default:  // kEq, kIn
      has(false, "IN", 0, filter.values.size());
      return;
  }
}

// The contacts whose search words start with each prefix (or, for a number, with one of two):
// ranges of contact_words, so that a search costs its match.
void AppendSearchCondition(ListSql& sql, std::int64_t account_id,
                           const domain::SearchQuery& search) {
  constexpr std::string_view kRange =
      "SELECT contact_id FROM contact_words WHERE account_id = ? AND word >= ? AND word < ?";
  auto range = [&](const std::string& prefix) {
    sql.where += kRange;
    sql.params.emplace_back(account_id);
    sql.params.emplace_back(prefix);
    // No UTF-8 byte is 0xFF: every word starting with `prefix` sorts below this.
    sql.params.emplace_back(prefix + '\xFF');
  };
  for (const std::string& prefix : search.prefixes) {
    sql.where += " AND id IN (";
    range(prefix);
    sql.where += ')';
  }
  if (!search.any_of.empty()) {
    sql.where += " AND id IN (";
    for (std::size_t i = 0; i < search.any_of.size(); ++i) {
      if (i > 0) sql.where += " UNION ";
      range(search.any_of[i]);
    }
    sql.where += ')';
  }
}

// Appends the condition of one filter to sql.where, its values to sql.params.
void AppendFilter(ListSql& sql, const domain::Filter& filter, std::int64_t account_id,
                  bool per_row) {
  // Whether there is a value; a custom field's, through its lookup (below).
  bool valueless =
      filter.op == domain::FilterOp::kExists || filter.op == domain::FilterOp::kNotExists;
  if (valueless && filter.field->kind != domain::FieldKind::kCustom) {
    bool exists = filter.op == domain::FilterOp::kExists;
    if (filter.field->kind == domain::FieldKind::kTypeSet) {
      sql.where += exists ? "contact_type_mask <> 0" : "contact_type_mask = 0";
      return;
    }
    // The row's own lists: every number counts (free text ones too, which contact_phones,
    // holding E.164 numbers, lacks).
    if (filter.field->kind == domain::FieldKind::kTagSet ||
        filter.field->kind == domain::FieldKind::kPhone) {
      std::string column = filter.field->kind == domain::FieldKind::kTagSet ? "tags" : "phones";
      sql.where += "json_array_length(" + column + (exists ? ") > 0" : ") = 0");
      return;
    }
    // A value that is not empty text (length() reads numbers as their text; NULL stays NULL).
    std::string length = "length(" + Column(*filter.field, /*for_filter=*/true) + ")";
    sql.where += exists ? length + " > 0" : "coalesce(" + length + ", 0) = 0";
    return;
  }
  // Multi-valued fields, through their lookup tables (phone values are E.164 numbers: the
  // contact service normalized them).
  if (filter.field->kind == domain::FieldKind::kTagSet) {
    AppendLookupCondition(
        sql, "SELECT contact_id FROM contact_tags WHERE account_id = ? AND tag_key",
        {account_id}, filter, per_row);
    return;
  }
  bool contains = filter.op == domain::FilterOp::kContains ||
                  filter.op == domain::FilterOp::kNotContains;
  if (filter.field->kind == domain::FieldKind::kCustom && contains) {
    // Values holding the text: the field's values are read (its index narrows to the field).
    sql.where += filter.op == domain::FilterOp::kContains ? "id IN " : "id NOT IN ";
    sql.where += "(SELECT contact_id FROM contact_field_values WHERE account_id = ? AND "
                 "field_id = ? AND instr(value, ?) > 0)";
    sql.params.insert(sql.params.end(),
                      {account_id, filter.custom_field_id, ToSql(filter.values.front())});
    return;
  }
  if (filter.field->kind == domain::FieldKind::kCustom) {
    AppendLookupCondition(sql,
                          "SELECT contact_id FROM contact_field_values WHERE account_id = ? "
                          "AND field_id = ? AND value",
                          {account_id, filter.custom_field_id}, filter, per_row);
    return;
  }
  if (filter.field->kind == domain::FieldKind::kPhone) {
    AppendLookupCondition(
        sql, "SELECT contact_id FROM contact_phones WHERE account_id = ? AND e164",
        {account_id}, filter, per_row);
    return;
  }
  bool equality = filter.op == domain::FilterOp::kEq || filter.op == domain::FilterOp::kIn ||
                  filter.op == domain::FilterOp::kNe || filter.op == domain::FilterOp::kNin;
  if (filter.field->name == "company_name" && equality) {
    // The companies so named, by their index, then the contacts of those companies.
    bool none = filter.op == domain::FilterOp::kNe || filter.op == domain::FilterOp::kNin;
    sql.where += none ? "(company_id IS NULL OR company_id NOT IN " : "company_id IN ";
    sql.where += "(SELECT id FROM companies WHERE account_id = ? AND name_key IN ";
    AppendPlaceholders(sql.where, filter.values.size());
    sql.where += none ? "))" : ")";
    sql.params.emplace_back(account_id);
    for (const domain::FilterValue& value : filter.values) sql.params.push_back(ToSql(value));
    return;
  }
  if (filter.field->kind == domain::FieldKind::kTypeSet) {
    std::int64_t bits = 0;
    for (const domain::FilterValue& value : filter.values) bits |= std::get<std::int64_t>(value);
    bool none = filter.op == domain::FilterOp::kNe || filter.op == domain::FilterOp::kNin;
    AppendTypeSetCondition(sql.where, bits, none);
    return;
  }
  std::string column = Column(*filter.field, /*for_filter=*/true);
  switch (filter.op) {
    case domain::FilterOp::kEq:
      sql.where += column + " = ?";
      break;
    case domain::FilterOp::kNe:
      // As in the LionDesk API: "not equal" also matches a missing value.
      sql.where += column + " IS NOT ?";
      break;
    case domain::FilterOp::kIn:
    case domain::FilterOp::kAll:  // parsed for tags only; one scalar value is any of them
      sql.where += column + " IN ";
      AppendPlaceholders(sql.where, filter.values.size());
      break;
    case domain::FilterOp::kNin:
      sql.where += "(" + column + " IS NULL OR " + column + " NOT IN ";
      AppendPlaceholders(sql.where, filter.values.size());
      sql.where += ")";
      break;
    case domain::FilterOp::kLt:
    case domain::FilterOp::kLte:
    case domain::FilterOp::kGt:
    case domain::FilterOp::kGte:
      sql.where += column + " " + std::string(RangeSql(filter.op)) + " ?";
      break;
    case domain::FilterOp::kContains:
      // Text fields only: the folded value within the folded text.
      sql.where += "instr(" + column + ", ?) > 0";
      break;
    case domain::FilterOp::kNotContains:
      sql.where += "coalesce(instr(" + column + ", ?), 0) = 0";
      break;
    case domain::FilterOp::kExists:
    case domain::FilterOp::kNotExists:
      break;  // handled above
  }
  for (const domain::FilterValue& value : filter.values) sql.params.push_back(ToSql(value));
}

}  // namespace

std::string VisibleIds(const domain::ContactScope& scope, std::vector<SqlValue>& params) {
  std::int64_t account = scope.account.value;
  std::int64_t user = scope.user->value;
  params.insert(params.end(), {account, user, account, user, user});
  // UNION, not UNION ALL: a contact the user owns and was assigned is one row.
  return "SELECT id AS vid FROM contacts WHERE account_id = ? AND owner_user_id = ? "
         "UNION SELECT id FROM contacts WHERE account_id = ? AND assigned_user_id = ? "
         "UNION SELECT contact_id FROM contact_shares WHERE user_id = ?";
}

std::string ContactsFrom(const domain::ContactScope& scope, std::vector<SqlValue>& params) {
  if (!scope.user) return "contacts";
  return "(" + VisibleIds(scope, params) +
         ") AS visible CROSS JOIN contacts ON contacts.id = visible.vid";
}

ListSql ContactListSql(const domain::ContactScope& scope, const domain::ListQuery& query,
                       bool with_cursor) {
  std::int64_t account_id = scope.account.value;
  ListSql sql;
  sql.from = ContactsFrom(scope, sql.params);
  sql.where = "account_id = ?";
  sql.params.emplace_back(account_id);
  bool per_row = scope.user.has_value();
  switch (query.connected) {
    case domain::Connected::kOnlyConnected:
      sql.where += " AND is_connected = 1";
      break;
    case domain::Connected::kOnlyUnconnected:
      sql.where += " AND is_connected = 0";
      break;
    case domain::Connected::kAll:
      sql.split_connected = !query.sort.empty() && !scope.user;
      // Lets the (account_id, is_connected, field) indexes serve filters on both halves (and
      // the total's count); within a split page's half it is true anyway.
      if (!query.filters.empty() || !query.any_of.empty()) {
        sql.where += " AND is_connected IN (0, 1)";
      }
      break;
  }
  for (const domain::Filter& filter : query.filters) {
    sql.where += " AND ";
    AppendFilter(sql, filter, account_id, per_row);
  }
  if (!query.any_of.empty()) {
    sql.where += " AND (";
    for (std::size_t i = 0; i < query.any_of.size(); ++i) {
      sql.where += i == 0 ? "(" : " OR (";
      for (std::size_t j = 0; j < query.any_of[i].size(); ++j) {
        if (j > 0) sql.where += " AND ";
        AppendFilter(sql, query.any_of[i][j], account_id, per_row);
      }
      sql.where += ')';
    }
    sql.where += ')';
  }
  if (query.search) AppendSearchCondition(sql, account_id, *query.search);
  if (with_cursor && query.after_id) {
    sql.where += " AND id > ?";
    sql.params.emplace_back(*query.after_id);
  }
  // id is unique: it ends every order (keys after it could not change anything).
  bool has_id = false;
  for (const domain::SortKey& key : query.sort) {
    if (!sql.order_by.empty()) sql.order_by += ", ";
    std::string column = Column(*key.field, /*for_filter=*/false);
    sql.order_by += column + (key.descending ? " DESC" : "");
    sql.order_terms.emplace_back(std::move(column), key.descending);
    if (key.field->name == "id") {
      has_id = true;
      break;
    }
  }
  if (!has_id) {
    sql.order_by += sql.order_by.empty() ? "id" : ", id";
    sql.order_terms.emplace_back("id", false);
  }
  return sql;
}

}  // namespace contactd::store::sqlite

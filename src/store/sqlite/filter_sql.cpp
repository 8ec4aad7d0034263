#include "store/sqlite/filter_sql.hpp"

namespace contactd::store::sqlite {
namespace {

// The API's field names are the column names, but for the account.
std::string_view Column(const domain::QueryField& field) {
  if (field.name == "owner_account_id") return "account_id";
  return field.name;
}

SqlValue ToSql(const domain::FilterValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  return std::get<std::int64_t>(value);
}

void AppendPlaceholders(std::string& sql, std::size_t count) {
  sql += '(';
  for (std::size_t i = 0; i < count; ++i) sql += i == 0 ? "?" : ", ?";
  sql += ')';
}

}  // namespace

ListSql ContactListSql(std::int64_t account_id, const domain::ListQuery& query,
                       bool with_cursor) {
  ListSql sql;
  sql.where = "account_id = ?";
  sql.params.emplace_back(account_id);
  switch (query.connected) {
    case domain::Connected::kOnlyConnected:
      sql.where += " AND is_connected = 1";
      break;
    case domain::Connected::kOnlyUnconnected:
      sql.where += " AND is_connected = 0";
      break;
    case domain::Connected::kAll:
      // Lets the (account_id, is_connected, field) indexes serve filters on both halves.
      if (!query.filters.empty()) sql.where += " AND is_connected IN (0, 1)";
      break;
  }
  for (const domain::Filter& filter : query.filters) {
    std::string column(Column(*filter.field));
    sql.where += " AND ";
    switch (filter.op) {
      case domain::FilterOp::kEq:
        sql.where += column + " = ?";
        break;
      case domain::FilterOp::kNe:
        // As in the LionDesk API: "not equal" also matches a missing value.
        sql.where += column + " IS NOT ?";
        break;
      case domain::FilterOp::kIn:
        sql.where += column + " IN ";
        AppendPlaceholders(sql.where, filter.values.size());
        break;
      case domain::FilterOp::kNin:
        sql.where += "(" + column + " IS NULL OR " + column + " NOT IN ";
        AppendPlaceholders(sql.where, filter.values.size());
        sql.where += ")";
        break;
      case domain::FilterOp::kLt:
        sql.where += column + " < ?";
        break;
      case domain::FilterOp::kLte:
        sql.where += column + " <= ?";
        break;
      case domain::FilterOp::kGt:
        sql.where += column + " > ?";
        break;
      case domain::FilterOp::kGte:
        sql.where += column + " >= ?";
        break;
    }
    for (const domain::FilterValue& value : filter.values) sql.params.push_back(ToSql(value));
  }
  if (with_cursor && query.after_id) {
    sql.where += " AND id > ?";
    sql.params.emplace_back(*query.after_id);
  }
  // id is unique: it ends every order (keys after it could not change anything).
  bool has_id = false;
  for (const domain::SortKey& key : query.sort) {
    if (!sql.order_by.empty()) sql.order_by += ", ";
    sql.order_by += std::string(Column(*key.field)) + (key.descending ? " DESC" : "");
    if (key.field->name == "id") {
      has_id = true;
      break;
    }
  }
  if (!has_id) sql.order_by += sql.order_by.empty() ? "id" : ", id";
  return sql;
}

}  // namespace contactd::store::sqlite

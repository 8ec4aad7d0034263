#include "store/sqlite/sqlite_store.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <stdexcept>
#include <map>
#include <unordered_map>
#include <utility>

#include <boost/json.hpp>

#include "domain/tags.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "store/sqlite/filter_sql.hpp"
#include "store/sqlite/schema.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/stats.hpp"
#include "store/sqlite/store_detail.hpp"

namespace contactd::store::sqlite {

using domain::AccountId;
using domain::CompanyId;
using domain::ContactId;
using domain::Error;
using domain::Result;

namespace {

// Column lists as macros so that whole statements stay string literals (cached by address).
// The text columns, in domain::TextField order.
#define CONTACTD_TEXT_COLUMNS                                                                  \
  "first_name, last_name, email, title, department, address, city, state, zip, linkedin_url, " \
  "full_name, display_name, code, tax_id, description, notes, website, country, timezone, "   \
  "birthday, anniversary, preferred_contact_method, source, status"
// The text columns that have a case-folded key column (<name>_key), in the same order: the first
// kKeyedTextFields of domain::TextField.
#define CONTACTD_KEY_COLUMNS                                                                  \
  "first_name_key, last_name_key, email_key, title_key, department_key, address_key, "        \
  "city_key, state_key, zip_key, linkedin_url_key, full_name_key"
#define CONTACTD_CONTACT_COLUMNS                                                               \
  "id, uid, account_id, company_id, contact_types, " CONTACTD_TEXT_COLUMNS                    \
  ", full_name_given, phones, spouse, dnd, dnd_settings, tags, addresses, is_primary, "      \
  "is_connected, owner_user_id, created_at, updated_at, custom_fields, source_id, hotness_id, "  \
  "hotness, reports_to, assigned_user_id, version"
#define CONTACTD_COMPANY_COLUMNS                                                            \
  "id, uid, account_id, name, company_type, primary_contact_id, created_at, updated_at, "  \
  "website, phone, address, tags, status, version"

constexpr const char* kContactColumns = CONTACTD_CONTACT_COLUMNS;
constexpr int kFirstTextColumn = 5;
constexpr int kAfterTextColumns = kFirstTextColumn + static_cast<int>(domain::kTextFieldCount);
// Columns of CONTACTD_CONTACT_COLUMNS: the text ones and 19 after them.
constexpr int kContactColumnCount = kAfterTextColumns + 19;

constexpr const char* kCompanyColumns = CONTACTD_COMPANY_COLUMNS;
constexpr const char* kSelectContact =
    "SELECT " CONTACTD_CONTACT_COLUMNS " FROM contacts WHERE account_id = ? AND id = ?";
constexpr const char* kSelectCompany =
    "SELECT " CONTACTD_COMPANY_COLUMNS " FROM companies WHERE account_id = ? AND id = ?";
constexpr const char* kSelectContactIdByUid =
    "SELECT id FROM contacts WHERE uid = ? AND account_id = ?";
constexpr const char* kSelectCompanyIdByUid =
    "SELECT id FROM companies WHERE uid = ? AND account_id = ?";
constexpr const char* kSelectContactUids =
    "SELECT id, uid FROM contacts WHERE account_id = ? AND id IN (SELECT value FROM json_each(?))";
constexpr const char* kSelectCompanyNames =
    "SELECT id, name FROM companies "
    "WHERE account_id = ? AND id IN (SELECT value FROM json_each(?))";
constexpr const char* kSelectCompanyUids =
    "SELECT id, uid FROM companies "
    "WHERE account_id = ? AND id IN (SELECT value FROM json_each(?))";
constexpr const char* kCountContacts =
    "SELECT coalesce(sum(n), 0) FROM contact_counts WHERE account_id = ? AND is_connected IN (?, ?)";
constexpr const char* kCountAllContacts = "SELECT coalesce(sum(n), 0) FROM contact_counts";
// The contacts table's own indexes; the UNIQUE constraint's automatic index has no SQL and stays.
constexpr const char* kSelectContactIndexes =
    "SELECT name, sql FROM sqlite_schema "
    "WHERE type = 'index' AND tbl_name = 'contacts' AND sql IS NOT NULL ORDER BY name";
constexpr const char* kSelectAllCompanies =
    "SELECT " CONTACTD_COMPANY_COLUMNS " FROM companies WHERE account_id = ? ORDER BY id";

constexpr const char* kSelectCursorSecret = "SELECT value FROM settings WHERE key = 'cursor_secret'";
constexpr const char* kInsertAccount =
    "INSERT INTO accounts (uid, name, created_at) VALUES (?, ?, ?)";
constexpr const char* kSelectAccountUid = "SELECT 1 FROM accounts WHERE uid = ?";
constexpr const char* kSelectAccount =
    "SELECT id, uid, name, created_at, rate_limit, rate_burst FROM accounts WHERE id = ?";
constexpr const char* kSetAccountRates =
    "UPDATE accounts SET rate_limit = CASE WHEN ?1 THEN ?2 ELSE rate_limit END, "
    "rate_burst = CASE WHEN ?3 THEN ?4 ELSE rate_burst END WHERE id = ?5";
constexpr const char* kCountAccounts = "SELECT count(*) FROM accounts";
// A company's id is past every id given so far, deleted companies' included (see migration 13).
constexpr const char* kInsertCompany =
    "INSERT INTO companies (id, account_id, uid, name, company_type, created_at, updated_at, "
    "website, phone, address, tags, status, name_key) "
    "VALUES (max(coalesce((SELECT max(id) FROM companies), 0), "
    "coalesce((SELECT max(id) FROM deleted_companies), 0)) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?)";
// A company by name: spelled the same, else the same under domain::FoldCase (both by index).
constexpr const char* kSelectCompanyNamed =
    "SELECT id FROM companies WHERE account_id = ? AND name = ? ORDER BY id LIMIT 1";
constexpr const char* kSelectCompanyFolded =
    "SELECT id FROM companies WHERE account_id = ? AND name_key = ? ORDER BY id LIMIT 1";
constexpr const char* kInsertCompanyTombstone =
    "INSERT INTO deleted_companies (id, account_id, deleted_at) VALUES (?, ?, ?)";
// Deleted contacts of a deleted company come back without it.
constexpr const char* kDetachCompanySnapshots =
    "UPDATE deleted_contacts SET data = json_set(data, '$.company_id', NULL, '$.is_primary', 0) "
    "WHERE account_id = ? AND data IS NOT NULL AND json_extract(data, '$.company_id') = ?";
constexpr const char* kCountCompanyContacts =
    "SELECT count(*) FROM contacts WHERE account_id = ? AND company_id = ?";
constexpr const char* kDetachCompanyContacts =
    "UPDATE contacts SET version = version + 1, company_id = NULL, is_primary = 0, "
    "updated_at = ? WHERE account_id = ? AND company_id = ?";
constexpr const char* kDeleteCompanyRow = "DELETE FROM companies WHERE account_id = ? AND id = ?";
// Found through the company's primary_contact_id, by key: an import drops the contact indexes.
constexpr const char* kDemotePrimary =
    "UPDATE contacts SET version = version + 1, is_primary = 0, updated_at = ? "
    "WHERE account_id = ?2 AND id = (SELECT primary_contact_id FROM companies "
    "WHERE account_id = ?2 AND id = ?3) AND is_primary = 1";
constexpr const char* kSetCompanyPrimary =
    "UPDATE companies SET version = version + 1, primary_contact_id = ?, updated_at = ? "
    "WHERE account_id = ? AND id = ?";
// A new contact's id is past every id given so far, deleted ones included (see migration 8).
constexpr const char* kInsertContact =
    "INSERT INTO contacts (id, account_id, uid, company_id, contact_type, contact_types, "
    "contact_type_mask, " CONTACTD_TEXT_COLUMNS ", " CONTACTD_KEY_COLUMNS ", full_name_given, "
    "phones, spouse, dnd, dnd_settings, tags, addresses, is_primary, is_connected, "
    "owner_user_id, created_at, updated_at, custom_fields, source_id, hotness_id, hotness, "
    "reports_to, assigned_user_id) "
    "VALUES (max(coalesce((SELECT max(id) FROM contacts), 0), "
    "coalesce((SELECT max(id) FROM deleted_contacts), 0)) + 1, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "  // 24 text
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "                                        // 11 keys
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kSelectManager =
    "SELECT reports_to FROM contacts WHERE account_id = ? AND id = ?";
// A deleted manager's reports stay, without a manager.
constexpr const char* kDetachReports =
    "UPDATE contacts SET version = version + 1, reports_to = NULL, updated_at = ? "
    "WHERE account_id = ? AND reports_to = ?";
// One level of a report tree: the reports of the managers in a JSON array, by manager and id;
// the LIMIT bounds what a level reads, however wide it is.
constexpr const char* kSelectReportLevel =
    "SELECT reports_to, id, 1, full_name, display_name, title, department FROM contacts "
    "WHERE account_id = ? AND reports_to IN (SELECT value FROM json_each(?)) "
    "ORDER BY reports_to, id LIMIT ?";
// What a chart shows of the contacts in a JSON array of ids.
constexpr const char* kSelectChartEntries =
    "SELECT reports_to, id, 1, full_name, display_name, title, department FROM contacts "
    "WHERE account_id = ? AND id IN (SELECT value FROM json_each(?))";
constexpr const char* kSelectContactCompany =
    "SELECT company_id FROM contacts WHERE account_id = ? AND id = ?";
constexpr const char* kPromoteContact =
    "UPDATE contacts SET version = version + 1, is_primary = 1, updated_at = ? "
    "WHERE account_id = ? AND id = ?";
constexpr const char* kClearCompanyPrimary =
    "UPDATE companies SET version = version + 1, primary_contact_id = NULL, updated_at = ? "
    "WHERE account_id = ? AND id = ? AND primary_contact_id = ?";
constexpr const char* kInsertTombstone =
    "INSERT INTO deleted_contacts (id, account_id, uid, deleted_at, data) VALUES (?, ?, ?, ?, NULL)";
constexpr const char* kDeleteContactRow = "DELETE FROM contacts WHERE account_id = ? AND id = ?";
constexpr const char* kEraseSnapshot =
    "UPDATE deleted_contacts SET data = NULL WHERE account_id = ? AND id = ? AND data IS NOT NULL";
constexpr const char* kDropSnapshot =
    "DELETE FROM deleted_contacts WHERE account_id = ? AND id = ?";
constexpr const char* kSelectCompanyPrimary =
    "SELECT primary_contact_id FROM companies WHERE account_id = ? AND id = ?";
constexpr const char* kRestoredContact =
    "UPDATE contacts SET version = version + 1, updated_at = ?, is_primary = ? "
    "WHERE account_id = ? AND id = ?";
constexpr const char* kCountDeleted =
    "SELECT count(*) FROM deleted_contacts "
    "WHERE account_id = ? AND data IS NOT NULL AND deleted_at >= ?";
// An event that names its object by id only (an erased contact, a deleted company).
constexpr const char* kInsertBareEvent =
    "INSERT INTO events (account_id, type, created_at, subject_id, owner_user_id, "
    "assigned_user_id) VALUES (?, ?, ?, ?, ?, ?)";
// An erased contact's earlier events keep their type and time, not its data.
constexpr const char* kEraseEventData =
    "UPDATE events SET data = NULL, previous = NULL WHERE account_id = ? AND subject_id = ? AND "
    "type LIKE 'contact.%' AND (data IS NOT NULL OR previous IS NOT NULL)";
constexpr const char* kSnapshotPeople =
    "SELECT json_extract(data, '$.owner_user_id'), json_extract(data, '$.assigned_user_id') "
    "FROM deleted_contacts WHERE account_id = ? AND id = ? AND data IS NOT NULL";
// Contacts past their restore window leave their events without data too.
constexpr const char* kPurgeEventData =
    "UPDATE events SET data = NULL, previous = NULL WHERE type LIKE 'contact.%' AND "
    "(data IS NOT NULL OR previous IS NOT NULL) AND (account_id, subject_id) IN "
    "(SELECT account_id, id FROM deleted_contacts WHERE data IS NOT NULL AND deleted_at < ?)";
constexpr const char* kSeesContact =
    "SELECT 1 FROM contacts WHERE account_id = ?1 AND id = ?2 AND (owner_user_id = ?3 OR "
    "assigned_user_id = ?3 OR EXISTS (SELECT 1 FROM contact_shares WHERE contact_id = ?2 AND "
    "user_id = ?3))";
constexpr const char* kSharedWith =
    "SELECT 1 FROM contact_shares WHERE contact_id = ? AND user_id = ?";
constexpr const char* kSelectShares =
    "SELECT user_id, created_at FROM contact_shares WHERE contact_id = ? ORDER BY user_id";
constexpr const char* kCountShares = "SELECT count(*) FROM contact_shares WHERE contact_id = ?";
constexpr const char* kInsertShare =
    "INSERT INTO contact_shares (contact_id, user_id, account_id, created_at) VALUES (?, ?, ?, ?)";
constexpr const char* kDeleteShare =
    "DELETE FROM contact_shares WHERE contact_id = ? AND user_id = ?";
// A contact erased for good is shared with no one; a restorable one keeps its shares.
constexpr const char* kDeleteShares =
    "DELETE FROM contact_shares WHERE account_id = ? AND contact_id = ?";
constexpr const char* kPurgeShares =
    "DELETE FROM contact_shares WHERE contact_id IN (SELECT id FROM deleted_contacts "
    "WHERE data IS NOT NULL AND deleted_at < ?)";
constexpr const char* kPurgeSnapshots =
    "UPDATE deleted_contacts SET data = NULL WHERE data IS NOT NULL AND deleted_at < ?";
constexpr const char* kInsertContactWord =
    "INSERT OR IGNORE INTO contact_words (account_id, word, contact_id) VALUES (?, ?, ?)";
constexpr const char* kDeleteContactWord =
    "DELETE FROM contact_words WHERE account_id = ? AND word = ? AND contact_id = ?";
constexpr const char* kSelectCompanyName =
    "SELECT name FROM companies WHERE account_id = ? AND id = ?";
constexpr const char* kSelectCompanyContactIds =
    "SELECT id FROM contacts WHERE account_id = ? AND company_id = ?";
constexpr const char* kInsertContactPhone =
    "INSERT OR IGNORE INTO contact_phones (account_id, e164, contact_id) VALUES (?, ?, ?)";
constexpr const char* kDeleteContactPhone =
    "DELETE FROM contact_phones WHERE account_id = ? AND e164 = ? AND contact_id = ?";
// No ORDER BY (FindMatches sorts): with it, statistics averaged over accounts of very different
// sizes led the planner to walk a big account in id order instead of using the email index.
constexpr const char* kMatchEmail =
    "SELECT id FROM contacts WHERE account_id = ? AND is_connected IN (0, 1) AND email_key = ? "
    "LIMIT 100";
constexpr const char* kMatchPhone =
    "SELECT contact_id FROM contact_phones WHERE account_id = ? AND e164 = ? ORDER BY contact_id "
    "LIMIT 100";
constexpr const char* kSelectSettings = "SELECT settings FROM accounts WHERE id = ?";
constexpr const char* kUpdateSettings = "UPDATE accounts SET settings = ? WHERE id = ?";
constexpr const char* kInsertContactTag =
    "INSERT INTO contact_tags (account_id, tag_key, contact_id) VALUES (?, ?, ?)";
constexpr const char* kCountTag =
    "INSERT INTO tags (account_id, tag_key, name, contacts) VALUES (?, ?, ?, 1) "
    "ON CONFLICT (account_id, tag_key) DO UPDATE SET contacts = contacts + 1";
constexpr const char* kDeleteContactTag =
    "DELETE FROM contact_tags WHERE account_id = ? AND tag_key = ? AND contact_id = ?";
constexpr const char* kUncountTag =
    "UPDATE tags SET contacts = contacts - 1 WHERE account_id = ? AND tag_key = ?";
constexpr const char* kDeleteUnusedTag =
    "DELETE FROM tags WHERE account_id = ? AND tag_key = ? AND contacts <= 0";
constexpr const char* kSelectTags =
    "SELECT name, contacts FROM tags WHERE account_id = ? ORDER BY tag_key LIMIT ? OFFSET ?";
constexpr const char* kCountTags = "SELECT count(*) FROM tags WHERE account_id = ?";
#define CONTACTD_CUSTOM_FIELD_COLUMNS \
  "id, account_id, key, name, data_type, options, rank, created_at, updated_at"
constexpr const char* kSelectCustomFields =
    "SELECT " CONTACTD_CUSTOM_FIELD_COLUMNS " FROM custom_fields WHERE account_id = ? "
    "ORDER BY rank, id";
constexpr const char* kSelectCustomField =
    "SELECT " CONTACTD_CUSTOM_FIELD_COLUMNS " FROM custom_fields WHERE account_id = ? AND id = ?";
constexpr const char* kCountCustomFields = "SELECT count(*) FROM custom_fields WHERE account_id = ?";
constexpr const char* kSelectCustomFieldKey =
    "SELECT 1 FROM custom_fields WHERE account_id = ? AND key = ?";
constexpr const char* kInsertCustomField =
    "INSERT INTO custom_fields (account_id, key, name, data_type, options, rank, created_at, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kDeleteCustomField =
    "DELETE FROM custom_fields WHERE account_id = ? AND id = ?";
constexpr const char* kInsertFieldValue =
    "INSERT OR IGNORE INTO contact_field_values (account_id, field_id, value, contact_id) "
    "VALUES (?, ?, ?, ?)";
constexpr const char* kDeleteFieldValue =
    "DELETE FROM contact_field_values "
    "WHERE account_id = ? AND field_id = ? AND value = ? AND contact_id = ?";
// Deleting a definition: its values leave the contacts that hold them (found through the lookup
// table), the lookup table, and the restorable snapshots (whose columns are JSON text).
constexpr const char* kRemoveFieldFromContacts =
    "UPDATE contacts SET version = version + 1, "
    "custom_fields = nullif(json_remove(custom_fields, ?), '{}'), updated_at = ? "
    "WHERE account_id = ? AND id IN (SELECT contact_id FROM contact_field_values "
    "WHERE account_id = ? AND field_id = ?)";
constexpr const char* kSetCustomValues =
    "UPDATE contacts SET version = version + 1, custom_fields = ? WHERE account_id = ? AND id = ?";
constexpr const char* kDeleteFieldValues =
    "DELETE FROM contact_field_values WHERE account_id = ? AND field_id = ?";
constexpr const char* kRemoveFieldFromSnapshots =
    "UPDATE deleted_contacts SET data = json_set(data, '$.custom_fields', "
    "nullif(json_remove(json_extract(data, '$.custom_fields'), ?), '{}')) "
    "WHERE account_id = ? AND data IS NOT NULL AND json_extract(data, '$.custom_fields') IS NOT NULL";
constexpr const char* kSelectSources =
    "SELECT id, account_id, name, created_at, updated_at FROM sources WHERE account_id = ? "
    "ORDER BY name_key, id";
constexpr const char* kSelectSource =
    "SELECT id, account_id, name, created_at, updated_at FROM sources "
    "WHERE account_id = ? AND id = ?";
constexpr const char* kSelectSourceIdNamed =
    "SELECT id FROM sources WHERE account_id = ? AND name_key = ?";
constexpr const char* kCountSources = "SELECT count(*) FROM sources WHERE account_id = ?";
constexpr const char* kInsertSource =
    "INSERT INTO sources (account_id, name, name_key, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr const char* kRenameSource =
    "UPDATE sources SET name = ?, name_key = ?, updated_at = ? WHERE account_id = ? AND id = ?";
constexpr const char* kRenameSourceOnContacts =
    "UPDATE contacts SET version = version + 1, source = ?, updated_at = ? "
    "WHERE account_id = ? AND source_id = ?";
constexpr const char* kUnlinkSource =
    "UPDATE contacts SET version = version + 1, source_id = NULL, updated_at = ? "
    "WHERE account_id = ? AND source_id = ?";
constexpr const char* kDeleteSource = "DELETE FROM sources WHERE account_id = ? AND id = ?";
// Deleted contacts show no stale list entries either.
constexpr const char* kUnlinkSourceInSnapshots =
    "UPDATE deleted_contacts SET data = json_set(data, '$.source_id', NULL) "
    "WHERE account_id = ? AND data IS NOT NULL AND json_extract(data, '$.source_id') = ?";
constexpr const char* kUnlinkLevelInSnapshots =
    "UPDATE deleted_contacts SET data = json_set(data, '$.hotness_id', NULL, '$.hotness', NULL) "
    "WHERE account_id = ? AND data IS NOT NULL AND json_extract(data, '$.hotness_id') = ?";
#define CONTACTD_LEVEL_COLUMNS "id, account_id, name, rank, color, created_at, updated_at"
constexpr const char* kSelectLevels =
    "SELECT " CONTACTD_LEVEL_COLUMNS " FROM hotness_levels WHERE account_id = ? ORDER BY rank, id";
constexpr const char* kSelectLevel =
    "SELECT " CONTACTD_LEVEL_COLUMNS " FROM hotness_levels WHERE account_id = ? AND id = ?";
constexpr const char* kCountLevels = "SELECT count(*) FROM hotness_levels WHERE account_id = ?";
constexpr const char* kInsertLevel =
    "INSERT INTO hotness_levels (account_id, name, name_key, rank, color, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kDeleteLevel = "DELETE FROM hotness_levels WHERE account_id = ? AND id = ?";
// A level's details as a contact row keeps them (the `hotness` column).
#define CONTACTD_LEVEL_JSON "json_object('name', name, 'rank', rank, 'color', color)"
constexpr const char* kSelectLevelJson =
    "SELECT " CONTACTD_LEVEL_JSON " FROM hotness_levels WHERE account_id = ? AND id = ?";
constexpr const char* kRefreshLevelOnContacts =
    "UPDATE contacts SET version = version + 1, hotness = (SELECT " CONTACTD_LEVEL_JSON
    " FROM hotness_levels WHERE hotness_levels.id = contacts.hotness_id), updated_at = ? "
    "WHERE account_id = ? AND hotness_id = ?";
constexpr const char* kUnlinkLevel =
    "UPDATE contacts SET version = version + 1, hotness_id = NULL, hotness = NULL, updated_at = ? "
    "WHERE account_id = ? AND hotness_id = ?";
constexpr const char* kSourceNameTaken =
    "SELECT 1 FROM sources WHERE account_id = ? AND name_key = ? AND id <> ?";
constexpr const char* kLevelNameTaken =
    "SELECT 1 FROM hotness_levels WHERE account_id = ? AND name_key = ? AND id <> ?";
// A restored contact keeps only the list entries that still exist, as they are now.
constexpr const char* kRefreshRestoredLinks =
    "UPDATE contacts SET version = version + 1, "
    "source = coalesce((SELECT name FROM sources WHERE sources.account_id = contacts.account_id "
    "AND sources.id = contacts.source_id), source), "
    "source_id = (SELECT id FROM sources WHERE sources.account_id = contacts.account_id "
    "AND sources.id = contacts.source_id), "
    "hotness = (SELECT " CONTACTD_LEVEL_JSON " FROM hotness_levels WHERE "
    "hotness_levels.account_id = contacts.account_id AND hotness_levels.id = contacts.hotness_id), "
    "hotness_id = (SELECT id FROM hotness_levels WHERE "
    "hotness_levels.account_id = contacts.account_id AND hotness_levels.id = contacts.hotness_id), "
    "reports_to = (SELECT manager.id FROM contacts AS manager WHERE "
    "manager.account_id = contacts.account_id AND manager.id = contacts.reports_to) "
    "WHERE account_id = ? AND id = ? AND "
    "(source_id IS NOT NULL OR hotness_id IS NOT NULL OR reports_to IS NOT NULL)";
static_assert(domain::kTextFields[kKeyedTextFields - 1].name == "full_name");
static_assert(domain::kTextFieldCount == 24);

std::string EncodePhones(const std::vector<domain::Phone>& phones) {
  boost::json::array array;
  array.reserve(phones.size());
  for (const domain::Phone& phone : phones) {
    array.push_back(boost::json::object{{"type", phone.type},
                                        {"raw", phone.raw},
                                        {"country", phone.country},
                                        {"e164", phone.e164},
                                        {"extension", phone.extension}});
  }
  return boost::json::serialize(array);
}

std::string StringMember(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return {};
  return std::string(value->get_string());
}

// Memory for parsing one JSON column, on the stack: a row's columns are parsed and dropped at
// once, so a monotonic buffer spares a heap allocation per JSON node (most of a parse's cost).
class ColumnArena {
 public:
  boost::json::storage_ptr storage() { return boost::json::storage_ptr(&resource_); }

 private:
  alignas(16) unsigned char buffer_[4096];
  boost::json::monotonic_resource resource_{buffer_, sizeof buffer_};
};

// REQUIRES: `arena` outlives the value.
boost::json::value ParseColumn(const std::string& text, const char* column, ColumnArena& arena) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec, arena.storage());
  if (ec) throw SqliteError(0, std::string("corrupt ") + column + " column");
  return value;
}

std::vector<domain::Phone> DecodePhones(const std::string& text) {
  std::vector<domain::Phone> phones;
  if (text == "[]") return phones;  // no parse
  ColumnArena arena;
  boost::json::value value = ParseColumn(text, "phones", arena);
  if (!value.is_array()) throw SqliteError(0, "corrupt phones column");
  for (const boost::json::value& item : value.get_array()) {
    if (!item.is_object()) continue;
    const boost::json::object& object = item.get_object();
    phones.push_back({StringMember(object, "type"), StringMember(object, "raw"),
                      StringMember(object, "country"), StringMember(object, "e164"),
                      StringMember(object, "extension")});
  }
  return phones;
}

std::optional<std::string> EncodeSpouse(const std::optional<domain::Spouse>& spouse) {
  if (!spouse) return std::nullopt;
  auto member = [](const std::optional<std::string>& value) {
    return value ? boost::json::value(*value) : boost::json::value(nullptr);
  };
  return boost::json::serialize(boost::json::object{{"name", member(spouse->name)},
                                                    {"email", member(spouse->email)},
                                                    {"phone", member(spouse->phone)},
                                                    {"birthday", member(spouse->birthday)},
                                                    {"phone_raw", member(spouse->phone_raw)}});
}

std::optional<std::string> OptionalMember(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->get_string());
}


std::optional<domain::Spouse> DecodeSpouse(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  ColumnArena arena;
  boost::json::value value = ParseColumn(*text, "spouse", arena);
  if (!value.is_object()) throw SqliteError(0, "corrupt spouse column");
  const boost::json::object& object = value.get_object();
  return domain::Spouse{OptionalMember(object, "name"), OptionalMember(object, "email"),
                        OptionalMember(object, "phone"), OptionalMember(object, "birthday"),
                        OptionalMember(object, "phone_raw")};
}

std::optional<std::string> EncodeDndSettings(const std::vector<domain::DndChannel>& settings) {
  if (settings.empty()) return std::nullopt;
  boost::json::object object;
  for (const domain::DndChannel& channel : settings) {
    boost::json::object entry{{"status", channel.status}};
    if (channel.message) entry["message"] = *channel.message;
    if (channel.code) entry["code"] = *channel.code;
    object[channel.channel] = std::move(entry);
  }
  return boost::json::serialize(object);
}

std::vector<domain::DndChannel> DecodeDndSettings(const std::optional<std::string>& text) {
  std::vector<domain::DndChannel> settings;
  if (!text) return settings;
  ColumnArena arena;
  boost::json::value value = ParseColumn(*text, "dnd_settings", arena);
  if (!value.is_object()) throw SqliteError(0, "corrupt dnd_settings column");
  // Channels in kDndChannels order, whatever order the JSON kept.
  for (std::string_view name : domain::kDndChannels) {
    const boost::json::value* entry = value.get_object().if_contains(name);
    if (entry == nullptr || !entry->is_object()) continue;
    const boost::json::object& object = entry->get_object();
    settings.push_back({std::string(name), StringMember(object, "status"),
                        OptionalMember(object, "message"), OptionalMember(object, "code")});
  }
  return settings;
}

std::string EncodeTags(const std::vector<std::string>& tags) {
  boost::json::array array;
  for (const std::string& tag : tags) array.emplace_back(tag);
  return boost::json::serialize(array);
}

std::vector<std::string> DecodeTags(const std::string& text) {
  if (text == "[]") return {};  // most contacts: no parse
  ColumnArena arena;
  boost::json::value value = ParseColumn(text, "tags", arena);
  if (!value.is_array()) throw SqliteError(0, "corrupt tags column");
  std::vector<std::string> tags;
  for (const boost::json::value& tag : value.get_array()) {
    if (tag.is_string()) tags.emplace_back(tag.get_string());
  }
  return tags;
}

// Custom field values as one JSON object by key; NULL when there are none (most contacts).
std::optional<std::string> EncodeCustomValues(const domain::CustomValues& values) {
  if (values.empty()) return std::nullopt;
  boost::json::object object;
  for (const auto& [key, value] : values) {
    object[key] = std::visit(
        [](const auto& v) -> boost::json::value {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::vector<std::string>>) {
            boost::json::array array;
            for (const std::string& item : v) array.emplace_back(item);
            return array;
          } else {
            return boost::json::value(v);
          }
        },
        value);
  }
  return boost::json::serialize(object);
}

domain::CustomValues DecodeCustomValues(const std::optional<std::string>& text) {
  domain::CustomValues values;
  if (!text) return values;
  ColumnArena arena;
  boost::json::value value = ParseColumn(*text, "custom_fields", arena);
  if (!value.is_object()) throw SqliteError(0, "corrupt custom_fields column");
  for (const auto& member : value.get_object()) {
    std::string key(member.key());
    const boost::json::value& v = member.value();
    if (v.is_string()) {
      values.emplace(std::move(key), std::string(v.get_string()));
    } else if (v.is_bool()) {
      values.emplace(std::move(key), v.get_bool());
    } else if (v.is_number()) {
      values.emplace(std::move(key), v.to_number<double>());
    } else if (v.is_array()) {
      std::vector<std::string> items;
      for (const boost::json::value& item : v.get_array()) {
        if (item.is_string()) items.emplace_back(item.get_string());
      }
      values.emplace(std::move(key), std::move(items));
    }
  }
  return values;
}

constexpr std::array<std::pair<std::string_view, std::optional<std::string> domain::Address::*>, 11>
    kAddressMembers = {{
        {"type", &domain::Address::type},
        {"line1", &domain::Address::line1},
        {"line2", &domain::Address::line2},
        {"city", &domain::Address::city},
        {"state", &domain::Address::state},
        {"postal_code", &domain::Address::postal_code},
        {"country_code", &domain::Address::country_code},
        {"addressee", &domain::Address::addressee},
        {"company_name", &domain::Address::company_name},
        {"attention", &domain::Address::attention},
        {"phone", &domain::Address::phone},
    }};

// Addresses as a JSON array of objects holding their id and their members that are set.
std::string EncodeAddresses(const std::vector<domain::Address>& addresses) {
  boost::json::array array;
  for (const domain::Address& address : addresses) {
    boost::json::object object{{"id", address.id}};
    for (const auto& [name, member] : kAddressMembers) {
      if (address.*member) object[name] = *(address.*member);
    }
    array.push_back(std::move(object));
  }
  return boost::json::serialize(array);
}

std::vector<domain::Address> DecodeAddresses(const std::string& text) {
  std::vector<domain::Address> addresses;
  if (text == "[]") return addresses;
  ColumnArena arena;
  boost::json::value value = ParseColumn(text, "addresses", arena);
  if (!value.is_array()) throw SqliteError(0, "corrupt addresses column");
  for (const boost::json::value& item : value.get_array()) {
    if (!item.is_object()) continue;
    const boost::json::object& object = item.get_object();
    domain::Address address;
    if (const boost::json::value* id = object.if_contains("id"); id && id->is_int64()) {
      address.id = id->get_int64();
    }
    for (const auto& [name, member] : kAddressMembers) {
      address.*member = OptionalMember(object, name);
    }
    addresses.push_back(std::move(address));
  }
  return addresses;
}

// The distinct E.164 numbers of `phones` that `other` does not hold (numbers kept unparsed have
// none and are not looked up).
std::vector<std::string> PhonesMissing(const std::vector<domain::Phone>& phones,
                                       const std::vector<domain::Phone>& other) {
  std::vector<std::string> missing;
  for (const domain::Phone& phone : phones) {
    if (phone.e164.empty()) continue;
    bool in_other = std::any_of(other.begin(), other.end(),
                                [&](const domain::Phone& o) { return o.e164 == phone.e164; });
    if (!in_other && std::find(missing.begin(), missing.end(), phone.e164) == missing.end()) {
      missing.push_back(phone.e164);
    }
  }
  return missing;
}

std::optional<std::string> CompanyName(Connection& c, AccountId account,
                                       const std::optional<CompanyId>& company) {
  if (!company) return std::nullopt;
  Statement stmt = c.Prepare(kSelectCompanyName);
  stmt.Bind(1, account.value).Bind(2, company->value);
  if (!stmt.Step()) return std::nullopt;
  return stmt.Text(0);
}

// Adds (`add`) or removes the (account, key, contact) entries of a lookup table: contact_words,
// contact_phones. `insert` and `remove` bind the three in that order.
void IndexKeys(Connection& c, const char* insert, const char* remove, AccountId account,
               ContactId id, const std::vector<std::string>& keys, bool add) {
  for (const std::string& key : keys) {
    c.Prepare(add ? insert : remove).Bind(1, account.value).Bind(2, key).Bind(3, id.value).Run();
  }
}

// Records in contact_words that the contact is (`add`) or no longer is found by each word.
void IndexWords(Connection& c, AccountId account, ContactId id,
                const std::vector<std::string>& words, bool add) {
  IndexKeys(c, kInsertContactWord, kDeleteContactWord, account, id, words, add);
}

// The members of sorted `a` that sorted `b` lacks.
std::vector<std::string> SortedMinus(const std::vector<std::string>& a,
                                     const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// Brings a contact's search words from those of `before` (nullopt: none) to those of `after`
// (nullopt: none), with the company names each had.
void ReindexWords(Connection& c, AccountId account, ContactId id,
                  const std::optional<domain::Contact>& before,
                  const std::optional<std::string>& company_before,
                  const std::optional<domain::Contact>& after,
                  const std::optional<std::string>& company_after) {
  std::vector<std::string> old_words =
      before ? domain::ContactSearchWords(*before, company_before) : std::vector<std::string>();
  std::vector<std::string> new_words =
      after ? domain::ContactSearchWords(*after, company_after) : std::vector<std::string>();
  IndexWords(c, account, id, SortedMinus(old_words, new_words), /*add=*/false);
  IndexWords(c, account, id, SortedMinus(new_words, old_words), /*add=*/true);
}

// Records in contact_phones that the contact has (`add`) or no longer has each number.
void IndexPhones(Connection& c, AccountId account, ContactId id,
                 const std::vector<std::string>& numbers, bool add) {
  IndexKeys(c, kInsertContactPhone, kDeleteContactPhone, account, id, numbers, add);
}

bool Sees(Connection& c, const domain::ContactScope& scope, ContactId id);

// The contacts of the account that have the email (case-insensitively) or one of the numbers of
// `contact`, by id, each once; at most 100 per key; each says whether the scope sees it.
std::vector<Match> FindMatches(Connection& c, const domain::NewContact& contact,
                               const domain::ContactScope& scope, bool on_email, bool on_phone) {
  std::vector<Match> matches;
  auto add = [&](std::int64_t id, std::string_view on) {
    bool seen = std::any_of(matches.begin(), matches.end(),
                            [&](const Match& m) { return m.id.value == id; });
    if (!seen) matches.push_back({ContactId{id}, std::string(on)});
  };
  const auto& email = contact.text[static_cast<std::size_t>(domain::TextField::kEmail)];
  if (on_email && email) {
    Statement stmt = c.Prepare(kMatchEmail);
    stmt.Bind(1, contact.account.value).Bind(2, domain::FoldCase(*email));
    while (stmt.Step()) add(stmt.Int(0), "email");
  }
  if (on_phone) {
    for (const std::string& e164 : PhonesMissing(contact.phones, {})) {
      Statement stmt = c.Prepare(kMatchPhone);
      stmt.Bind(1, contact.account.value).Bind(2, e164);
      while (stmt.Step()) add(stmt.Int(0), "phone");
    }
  }
  std::sort(matches.begin(), matches.end(),
            [](const Match& a, const Match& b) { return a.id.value < b.id.value; });
  for (Match& match : matches) match.visible = Sees(c, scope, match.id);
  return matches;
}

domain::AccountSettings ReadSettings(Connection& c, AccountId account) {
  Statement stmt = c.Prepare(kSelectSettings);
  stmt.Bind(1, account.value);
  domain::AccountSettings settings;
  if (!stmt.Step()) return settings;
  ColumnArena arena;
  boost::json::value value = ParseColumn(stmt.Text(0), "settings", arena);
  if (!value.is_object()) throw SqliteError(0, "corrupt settings column");
  const boost::json::object& object = value.get_object();
  if (auto duplicates = OptionalMember(object, "duplicate_contacts")) {
    settings.reject_duplicates = *duplicates == "reject";
  }
  if (auto country = OptionalMember(object, "default_country")) {
    settings.default_country = *country;
  }
  return settings;
}

domain::HotnessLevel DecodeHotness(std::int64_t id, const std::string& text) {
  ColumnArena arena;
  boost::json::value value = ParseColumn(text, "hotness", arena);
  if (!value.is_object()) throw SqliteError(0, "corrupt hotness column");
  const boost::json::object& object = value.get_object();
  domain::HotnessLevel level;
  level.id = id;
  level.name = StringMember(object, "name");
  if (const boost::json::value* rank = object.if_contains("rank"); rank && rank->is_int64()) {
    level.rank = rank->get_int64();
  }
  level.color = OptionalMember(object, "color");
  return level;
}

void BindValue(Statement& stmt, int index, const SqlValue& value) {
  std::visit(
      [&](const auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
          stmt.Bind(index, std::string_view(v));
        } else {
          stmt.Bind(index, v);
        }
      },
      value);
}

domain::CustomField ReadCustomField(const Statement& row) {
  domain::CustomField field;
  field.id = domain::CustomFieldId{row.Int(0)};
  field.account = AccountId{row.Int(1)};
  field.key = row.Text(2);
  field.name = row.Text(3);
  auto type = domain::ParseCustomFieldType(row.Text(4));
  if (!type) throw SqliteError(0, "corrupt custom_fields.data_type");
  field.type = *type;
  field.options = DecodeTags(row.Text(5));  // a JSON array of strings, as tags are
  field.rank = row.Int(6);
  field.created_at = row.Int(7);
  field.updated_at = row.Int(8);
  return field;
}

std::vector<domain::CustomField> SelectCustomFields(Connection& c, AccountId account) {
  std::vector<domain::CustomField> fields;
  Statement stmt = c.Prepare(kSelectCustomFields);
  stmt.Bind(1, account.value);
  while (stmt.Step()) fields.push_back(ReadCustomField(stmt));
  return fields;
}

// The account's custom field definitions, read at most once per write (or load batch) that
// needs them.
class FieldDefinitions {
 public:
  explicit FieldDefinitions(Connection& c) : c_(c) {}
  const std::vector<domain::CustomField>& Of(AccountId account) {
    if (!fields_ || account_ != account) {
      fields_ = SelectCustomFields(c_, account);
      account_ = account;
    }
    return *fields_;
  }

 private:
  Connection& c_;
  AccountId account_;
  std::optional<std::vector<domain::CustomField>> fields_;
};

// Records (`add`) or removes the contact's custom field values in contact_field_values, keyed by
// their field's definition. Returns the values that have a definition they fit: a value written
// while its field was deleted (or, restored, whose field is gone) has none.
domain::CustomValues IndexCustomValues(Connection& c, FieldDefinitions& definitions,
                                       AccountId account, ContactId id,
                                       const domain::CustomValues& values, bool add) {
  domain::CustomValues indexed;
  if (values.empty()) return indexed;
  const std::vector<domain::CustomField>& fields = definitions.Of(account);
  for (const auto& [key, value] : values) {
    const domain::CustomField* field = domain::FindCustomField(fields, key);
    if (field == nullptr) continue;
    auto keys = domain::CustomIndexKeys(*field, value);
    if (!keys) continue;
    for (const domain::FilterValue& index_key : *keys) {
      Statement stmt = c.Prepare(add ? kInsertFieldValue : kDeleteFieldValue);
      stmt.Bind(1, account.value).Bind(2, field->id.value);
      BindValue(stmt, 3, index_key);
      stmt.Bind(4, id.value).Run();
    }
    indexed.emplace(key, value);
  }
  return indexed;
}

// The name of the account's source `id`; refuses the write when there is none.
std::string ListedSourceName(Connection& c, AccountId account, std::int64_t id) {
  Statement stmt = c.Prepare(kSelectSource);
  stmt.Bind(1, account.value).Bind(2, id);
  if (!stmt.Step()) {
    throw RefusedWrite{Error::Validation(
        {{"source_id", "source_id must be the id of a source of your account"}})};
  }
  return stmt.Text(2);
}

// The id of the account's source named `name` (case-insensitively), if any.
std::optional<std::int64_t> SourceIdNamed(Connection& c, AccountId account,
                                          const std::optional<std::string>& name) {
  if (!name) return std::nullopt;
  Statement stmt = c.Prepare(kSelectSourceIdNamed);
  stmt.Bind(1, account.value).Bind(2, domain::FoldCase(*name));
  if (!stmt.Step()) return std::nullopt;
  return stmt.Int(0);
}

// The details of the account's hotness level `id` as a row keeps them; refuses the write when
// there is no such level.
std::string LevelJson(Connection& c, AccountId account, std::int64_t id) {
  Statement stmt = c.Prepare(kSelectLevelJson);
  stmt.Bind(1, account.value).Bind(2, id);
  if (!stmt.Step()) {
    throw RefusedWrite{Error::Validation(
        {{"hotness_id", "hotness_id must be the id of a hotness level of your account"}})};
  }
  return stmt.Text(0);
}

// Refuses the write unless `manager` is a contact of the account that does not report, through
// any chain, to `self` (the contact being written; none for a new one) and is not `self`.
void CheckManager(Connection& c, AccountId account, ContactId manager,
                  std::optional<ContactId> self) {
  auto refuse = [](std::string message) {
    throw RefusedWrite{Error::Validation({{"reports_to", std::move(message)}})};
  };
  if (self && manager == *self) refuse("reports_to must be another contact than the contact itself");
  std::optional<ContactId> next = manager;
  for (int depth = 0; next; ++depth) {
    if (depth == domain::kMaxHierarchyDepth) {
      refuse("reports_to would make a reporting chain deeper than " +
             std::to_string(domain::kMaxHierarchyDepth));
    }
    Statement stmt = c.Prepare(kSelectManager);
    stmt.Bind(1, account.value).Bind(2, next->value);
    if (!stmt.Step()) {
      if (depth == 0) refuse("reports_to must be the id of a contact of your account");
      break;  // a dangling link ends the chain
    }
    if (depth > 0 && self && *next == *self) {
      refuse("reports_to would make a cycle: contact " + std::to_string(manager.value) +
             " reports, through its managers, to this contact");
    }
    next = stmt.IsNull(0) ? std::nullopt : std::optional(ContactId{stmt.Int(0)});
  }
}

// Indexes the values a write sets; refuses the write if one lost its definition meanwhile.
void IndexNewCustomValues(Connection& c, FieldDefinitions& definitions, AccountId account,
                          ContactId id, const domain::CustomValues& values) {
  if (IndexCustomValues(c, definitions, account, id, values, /*add=*/true).size() !=
      values.size()) {
    throw RefusedWrite{Error::Conflict(
        "A custom field of this contact was deleted or changed meanwhile; send the request "
        "again")};
  }
}

// Records that the contact carries (`add`) or no longer carries each of `tags`, in contact_tags
// and in the account's tag counts.
void IndexTags(Connection& c, AccountId account, ContactId id,
               const std::vector<std::string>& tags, bool add) {
  for (const std::string& tag : tags) {
    std::string key = domain::TagKey(tag);
    if (add) {
      c.Prepare(kInsertContactTag).Bind(1, account.value).Bind(2, key).Bind(3, id.value).Run();
      c.Prepare(kCountTag).Bind(1, account.value).Bind(2, key).Bind(3, tag).Run();
    } else {
      c.Prepare(kDeleteContactTag).Bind(1, account.value).Bind(2, key).Bind(3, id.value).Run();
      c.Prepare(kUncountTag).Bind(1, account.value).Bind(2, key).Run();
      c.Prepare(kDeleteUnusedTag).Bind(1, account.value).Bind(2, key).Run();
    }
  }
}

std::string JoinTypes(const std::vector<std::string>& types) {
  std::string joined;
  for (const std::string& type : types) {
    if (!joined.empty()) joined += ',';
    joined += type;
  }
  return joined;
}

std::int64_t TypeMask(const std::vector<std::string>& types) {
  std::int64_t mask = 0;
  for (const std::string& type : types) mask |= domain::ContactTypeBit(type);
  return mask;
}

// The key a text column's filters and sorts compare (see domain::FoldCase).
std::optional<std::string> FoldKey(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return domain::FoldCase(*text);
}

std::vector<std::string> SplitTypes(const std::string& joined) {
  std::vector<std::string> types;
  std::size_t start = 0;
  while (start < joined.size()) {
    std::size_t comma = joined.find(',', start);
    if (comma == std::string::npos) comma = joined.size();
    types.push_back(joined.substr(start, comma - start));
    start = comma + 1;
  }
  return types;
}

}  // namespace

domain::Contact ReadContact(const Statement& row) {
  domain::Contact contact;
  contact.id = ContactId{row.Int(0)};
  contact.uid = row.Text(1);
  contact.account = AccountId{row.Int(2)};
  if (!row.IsNull(3)) contact.company = CompanyId{row.Int(3)};
  contact.contact_types = SplitTypes(row.Text(4));
  for (std::size_t i = 0; i < domain::kTextFieldCount; ++i) {
    contact.text[i] = row.OptionalText(kFirstTextColumn + static_cast<int>(i));
  }
  int column = kAfterTextColumns;
  contact.full_name_given = row.Int(column++) != 0;
  contact.phones = DecodePhones(row.Text(column++));
  contact.spouse = DecodeSpouse(row.OptionalText(column++));
  contact.dnd = row.Int(column++) != 0;
  contact.dnd_settings = DecodeDndSettings(row.OptionalText(column++));
  contact.tags = DecodeTags(row.Text(column++));
  contact.addresses = DecodeAddresses(row.Text(column++));
  contact.is_primary = row.Int(column++) != 0;
  contact.is_connected = row.Int(column++) != 0;
  if (!row.IsNull(column)) contact.owner_user = domain::UserId{row.Int(column)};
  ++column;
  contact.created_at = row.Int(column++);
  contact.updated_at = row.Int(column++);
  contact.custom_fields = DecodeCustomValues(row.OptionalText(column++));
  if (!row.IsNull(column)) contact.source_id = row.Int(column);
  ++column;
  if (!row.IsNull(column) && !row.IsNull(column + 1)) {
    contact.hotness = DecodeHotness(row.Int(column), row.Text(column + 1));
  }
  column += 2;
  if (!row.IsNull(column)) contact.reports_to = ContactId{row.Int(column)};
  ++column;
  if (!row.IsNull(column)) contact.assigned_user = domain::UserId{row.Int(column)};
  ++column;
  contact.version = row.Int(column++);
  return contact;
}

domain::Company ReadCompany(const Statement& row) {
  domain::Company company;
  company.id = CompanyId{row.Int(0)};
  company.uid = row.Text(1);
  company.account = AccountId{row.Int(2)};
  company.name = row.Text(3);
  company.company_type = row.OptionalText(4);
  if (!row.IsNull(5)) company.primary_contact = ContactId{row.Int(5)};
  company.created_at = row.Int(6);
  company.updated_at = row.Int(7);
  company.website = row.OptionalText(8);
  company.phone = row.OptionalText(9);
  if (auto address = row.OptionalText(10)) {
    std::vector<domain::Address> addresses = DecodeAddresses(*address);
    if (!addresses.empty()) company.address = std::move(addresses.front());
  }
  company.tags = DecodeTags(row.Text(11));
  company.status = row.Text(12);
  company.version = row.Int(13);
  return company;
}

namespace {

std::optional<std::string> EncodeAddress(const std::optional<domain::Address>& address) {
  if (!address) return std::nullopt;
  return EncodeAddresses({*address});
}

void BindAll(Statement& stmt, const std::vector<SqlValue>& params, int first = 1) {
  int index = first;
  for (const SqlValue& param : params) BindValue(stmt, index++, param);
}

std::optional<domain::Contact> SelectContact(Connection& connection, AccountId account,
                                             ContactId id) {
  Statement stmt = connection.Prepare(kSelectContact);
  stmt.Bind(1, account.value).Bind(2, id.value);
  if (!stmt.Step()) return std::nullopt;
  return ReadContact(stmt);
}

bool SharedWith(Connection& c, ContactId id, domain::UserId user) {
  Statement stmt = c.Prepare(kSharedWith);
  stmt.Bind(1, id.value).Bind(2, user.value);
  return stmt.Step();
}

// The contact, if the scope sees it.
std::optional<domain::Contact> SelectVisibleContact(Connection& c,
                                                    const domain::ContactScope& scope,
                                                    ContactId id) {
  std::optional<domain::Contact> contact = SelectContact(c, scope.account, id);
  if (!contact || !scope.user) return contact;
  if (contact->owner_user == scope.user || contact->assigned_user == scope.user ||
      SharedWith(c, id, *scope.user)) {
    return contact;
  }
  return std::nullopt;
}

// Whether the scope sees the contact `id` (of its account).
bool Sees(Connection& c, const domain::ContactScope& scope, ContactId id) {
  if (!scope.user) return true;
  Statement stmt = c.Prepare(kSeesContact);
  stmt.Bind(1, scope.account.value).Bind(2, id.value).Bind(3, scope.user->value);
  return stmt.Step();
}

// A manager the scope does not see is refused as one that does not exist (CheckManager refuses
// those).
void CheckManagerVisible(Connection& c, const domain::ContactScope& scope,
                         const std::optional<ContactId>& manager) {
  if (manager && !Sees(c, scope, *manager)) {
    throw RefusedWrite{Error::Validation(
        {{"reports_to", "reports_to must be the id of a contact of your account"}})};
  }
}

std::optional<domain::Company> SelectCompany(Connection& connection, AccountId account,
                                             CompanyId id) {
  Statement stmt = connection.Prepare(kSelectCompany);
  stmt.Bind(1, account.value).Bind(2, id.value);
  if (!stmt.Step()) return std::nullopt;
  return ReadCompany(stmt);
}

// Counts the rows of `table` matching `sql`. An exact count reads every matching index entry,
// so totals are kept per connection until the next commit to the database (see
// Connection::CachedTotal). REQUIRES: inside a read transaction.
std::int64_t CountWhere(Connection& c, const char* table, const ListSql& sql) {
  std::string text = "SELECT count(*) FROM " + (sql.from.empty() ? std::string(table) : sql.from) +
                     " WHERE " + sql.where;
  std::string key = text;
  for (const SqlValue& value : sql.params) {
    // A type tag and a length prefix keep distinct parameter lists distinct.
    if (const auto* number = std::get_if<std::int64_t>(&value)) {
      key += "\x1fi" + std::to_string(*number);
    } else if (const auto* real = std::get_if<double>(&value)) {
      char buffer[32];
      auto end = std::to_chars(buffer, buffer + sizeof buffer, *real).ptr;
      key += "\x1f" "d" + std::string(buffer, end);
    } else {
      const std::string& string = std::get<std::string>(value);
      key += "\x1fs" + std::to_string(string.size()) + ":" + string;
    }
  }
  if (auto cached = c.CachedTotal(key)) return *cached;
  Statement stmt = c.Prepare(text);
  BindAll(stmt, sql.params);
  stmt.Step();
  std::int64_t total = stmt.Int(0);
  c.CacheTotal(std::move(key), total);
  return total;
}

// The total of an unfiltered contact list, from the counts the triggers keep: O(1).
std::int64_t CountContacts(Connection& c, AccountId account, domain::Connected connected) {
  Statement stmt = c.Prepare(kCountContacts);
  stmt.Bind(1, account.value);
  stmt.Bind(2, std::int64_t{connected == domain::Connected::kOnlyConnected ? 1 : 0});
  stmt.Bind(3, std::int64_t{connected == domain::Connected::kOnlyUnconnected ? 0 : 1});
  stmt.Step();
  return stmt.Int(0);
}

// The page's ids (LIMIT ? OFFSET ? left to bind) as a merge of the unconnected and connected
// halves, each read in its index's order (SQLite merges a compound SELECT's ordered arms):
// a deep page walks offset + limit index entries instead of sorting every contact.
std::string SplitConnectedIds(const std::string& from, const ListSql& sql) {
  std::string keys;
  std::string order;
  for (std::size_t i = 0; i < sql.order_terms.size(); ++i) {
    const auto& [expression, descending] = sql.order_terms[i];
    std::string name = "k" + std::to_string(i);
    keys += expression + " AS " + name + ", ";
    order += (i > 0 ? ", " : "") + name + (descending ? " DESC" : "");
  }
  auto half = [&](int connected) {
    return "SELECT " + keys + "id AS page_id FROM " + from + " WHERE " + sql.where +
           " AND is_connected = " + std::to_string(connected);
  };
  return "SELECT page_id FROM (" + half(0) + " UNION ALL " + half(1) + " ORDER BY " + order +
         " LIMIT ? OFFSET ?)";
}

// Reads one page (limit + 1 rows, to learn whether more follow) and, through `count`, the total
// of the match, in one read transaction so that both see the same snapshot. The page's ids are
// found first, from the indexes alone, and only its rows are read: when the filter's index is
// not in the page's order, what gets sorted is the matching ids, not every matching row.
template <class T, class Count>
Page<T> SelectPage(Connection& c, const char* columns, const char* table, const ListSql& page_sql,
                   const domain::ListQuery& query, T (*read)(const Statement&), Count count) {
  Transaction transaction(c, Transaction::Mode::kRead);
  Page<T> page;
  {
    std::string from = page_sql.from.empty() ? std::string(table) : page_sql.from;
    std::string ids = "SELECT id FROM " + from + " WHERE " + page_sql.where + " ORDER BY " +
                      page_sql.order_by + " LIMIT ? OFFSET ?";
    if (page_sql.split_connected) ids = SplitConnectedIds(from, page_sql);
    Statement stmt = c.Prepare(std::string("SELECT ") + columns + " FROM " + table +
                               " WHERE id IN (" + ids + ") ORDER BY " + page_sql.order_by);
    BindAll(stmt, page_sql.params);
    int next = static_cast<int>(page_sql.params.size()) + 1;
    if (page_sql.split_connected) {
      // The second half binds the same values again.
      for (const SqlValue& value : page_sql.params) BindValue(stmt, next++, value);
    }
    stmt.Bind(next, std::int64_t{query.limit} + 1);
    stmt.Bind(next + 1, query.offset);
    while (stmt.Step()) page.items.push_back(read(stmt));
  }
  if (query.count_total) page.total = count();
  if (page.items.size() > static_cast<std::size_t>(query.limit)) {
    page.items.pop_back();
    page.has_more = true;
  }
  transaction.Commit();
  return page;
}

// Inserts one company inside the caller's write transaction; returns it.
Result<domain::Company> InsertCompany(Connection& c, const domain::NewCompany& company) {
  c.Prepare(kInsertCompany)
      .Bind(1, company.account.value)
      .Bind(2, company.uid)
      .Bind(3, company.name)
      .BindOptional(4, company.company_type)
      .Bind(5, company.now)
      .Bind(6, company.now)
      .BindOptional(7, company.website)
      .BindOptional(8, company.phone)
      .BindOptional(9, EncodeAddress(company.address))
      .Bind(10, EncodeTags(company.tags))
      .Bind(11, company.status)
      .Bind(12, domain::FoldCase(company.name))
      .Run();
  auto created = SelectCompany(c, company.account, CompanyId{c.LastInsertId()});
  if (!created) return std::unexpected(Error::Internal("inserted company not found"));
  return *created;
}

// Inserts one contact inside the caller's write transaction; returns its id.
ContactId InsertContact(Connection& c, const domain::NewContact& contact,
                        FieldDefinitions& definitions) {
  bool primary = contact.is_primary && contact.company.has_value();
  if (primary) {
    c.Prepare(kDemotePrimary)
        .Bind(1, contact.now)
        .Bind(2, contact.account.value)
        .Bind(3, contact.company->value)
        .Run();
  }
  // The listed source and level, as they are inside this write.
  constexpr auto kSource = static_cast<std::size_t>(domain::TextField::kSource);
  domain::TextValues text = contact.text;
  std::optional<std::int64_t> source_id;
  if (contact.source_id) {
    text[kSource] = ListedSourceName(c, contact.account, *contact.source_id);
    source_id = contact.source_id;
  } else {
    source_id = SourceIdNamed(c, contact.account, text[kSource]);
  }
  std::optional<std::string> hotness;
  if (contact.hotness_id) hotness = LevelJson(c, contact.account, *contact.hotness_id);
  if (contact.reports_to) CheckManager(c, contact.account, *contact.reports_to, std::nullopt);
  Statement insert = c.Prepare(kInsertContact);
  int index = 1;
  insert.Bind(index++, contact.account.value);
  insert.Bind(index++, contact.uid);
  if (contact.company) {
    insert.Bind(index++, contact.company->value);
  } else {
    insert.BindNull(index++);
  }
  insert.Bind(index++,
              contact.contact_types.empty() ? std::string() : contact.contact_types.front());
  insert.Bind(index++, JoinTypes(contact.contact_types));
  insert.Bind(index++, TypeMask(contact.contact_types));
  for (const auto& value : text) insert.BindOptional(index++, value);
  for (std::size_t i = 0; i < kKeyedTextFields; ++i) {
    insert.BindOptional(index++, FoldKey(text[i]));
  }
  insert.Bind(index++, std::int64_t{contact.full_name_given});
  insert.Bind(index++, EncodePhones(contact.phones));
  insert.BindOptional(index++, EncodeSpouse(contact.spouse));
  insert.Bind(index++, std::int64_t{contact.dnd});
  insert.BindOptional(index++, EncodeDndSettings(contact.dnd_settings));
  insert.Bind(index++, EncodeTags(contact.tags));
  insert.Bind(index++, EncodeAddresses(contact.addresses));
  insert.Bind(index++, std::int64_t{primary});
  insert.Bind(index++, std::int64_t{contact.is_connected});
  if (contact.owner) {
    insert.Bind(index++, contact.owner->value);
  } else {
    insert.BindNull(index++);
  }
  insert.Bind(index++, contact.created_at.value_or(contact.now));
  insert.Bind(index++, contact.updated_at.value_or(contact.now));
  insert.BindOptional(index++, EncodeCustomValues(contact.custom_fields));
  auto bind_optional_int = [&](const std::optional<std::int64_t>& value) {
    if (value) {
      insert.Bind(index++, *value);
    } else {
      insert.BindNull(index++);
    }
  };
  bind_optional_int(source_id);
  bind_optional_int(contact.hotness_id);
  insert.BindOptional(index++, hotness);
  bind_optional_int(contact.reports_to ? std::optional(contact.reports_to->value) : std::nullopt);
  bind_optional_int(contact.assigned ? std::optional(contact.assigned->value) : std::nullopt);
  insert.Run();
  ContactId id{c.LastInsertId()};
  IndexTags(c, contact.account, id, contact.tags, /*add=*/true);
  IndexNewCustomValues(c, definitions, contact.account, id, contact.custom_fields);
  IndexPhones(c, contact.account, id, PhonesMissing(contact.phones, {}), /*add=*/true);
  {
    domain::Contact indexed;
    indexed.text = contact.text;
    indexed.phones = contact.phones;
    indexed.spouse = contact.spouse;
    ReindexWords(c, contact.account, id, std::nullopt, std::nullopt, indexed,
                 CompanyName(c, contact.account, contact.company));
  }
  if (primary) {
    c.Prepare(kSetCompanyPrimary)
        .Bind(1, id.value)
        .Bind(2, contact.now)
        .Bind(3, contact.account.value)
        .Bind(4, contact.company->value)
        .Run();
  }
  return id;
}

// Moves the search words of the company's contacts from its name `before` to `after`.
void ReindexCompanyContacts(Connection& c, AccountId account, CompanyId company,
                            const std::optional<std::string>& before,
                            const std::optional<std::string>& after) {
  std::vector<ContactId> ids;
  {
    Statement stmt = c.Prepare(kSelectCompanyContactIds);
    stmt.Bind(1, account.value).Bind(2, company.value);
    while (stmt.Step()) ids.push_back(ContactId{stmt.Int(0)});
  }
  for (ContactId id : ids) {
    std::optional<domain::Contact> contact = SelectContact(c, account, id);
    ReindexWords(c, account, id, contact, before, contact, after);
  }
}

// Writes `changes` to the stored `current` contact (and its side tables) inside the caller's
// write transaction; returns the contact as it now is, and the delta of the columns it wrote.
std::optional<domain::Contact> ApplyContactChanges(Connection& c, AccountId account, ContactId id,
                                                   const domain::Contact& current,
                                                   const domain::ContactChanges& changes,
                                                   ContactDelta* delta = nullptr) {
  std::string sql = "UPDATE contacts SET version = version + 1, updated_at = ?";
  std::vector<SqlValue> params{changes.now};
  std::vector<std::size_t> null_params;  // positions in params to bind as NULL
  std::string written;  // json_object arguments of the columns written, derived keys aside
  auto note = [&](std::string_view column) {
    if (column.ends_with("_key")) return;
    if (!written.empty()) written += ", ";
    written += "'" + std::string(column) + "', " + std::string(column);
  };
  auto set = [&](std::string_view column, const std::optional<std::string>& value) {
    sql += ", ";
    sql += column;
    sql += " = ?";
    note(column);
    if (!value) null_params.push_back(params.size());
    params.emplace_back(value.value_or(std::string()));
  };
  for (std::size_t i = 0; i < domain::kTextFieldCount; ++i) {
    if (!changes.text[i]) continue;
    std::string column(domain::kTextFields[i].name);
    set(column, *changes.text[i]);
    if (i < kKeyedTextFields) set(column + "_key", FoldKey(*changes.text[i]));
  }
  auto set_int = [&](std::string_view column, std::int64_t value) {
    sql += ", ";
    sql += column;
    sql += " = ?";
    note(column);
    params.emplace_back(value);
  };
  if (changes.full_name_given) set_int("full_name_given", *changes.full_name_given);
  if (changes.phones) set("phones", EncodePhones(*changes.phones));
  if (changes.spouse) set("spouse", EncodeSpouse(*changes.spouse));
  if (changes.dnd) set_int("dnd", *changes.dnd);
  if (changes.dnd_settings) set("dnd_settings", EncodeDndSettings(*changes.dnd_settings));
  if (changes.addresses) set("addresses", EncodeAddresses(*changes.addresses));
  if (changes.tags) {
    set("tags", EncodeTags(*changes.tags));
    IndexTags(c, account, id, domain::WithoutTags(current.tags, *changes.tags), /*add=*/false);
    IndexTags(c, account, id, domain::WithoutTags(*changes.tags, current.tags), /*add=*/true);
  }
  if (changes.custom_fields) {
    set("custom_fields", EncodeCustomValues(*changes.custom_fields));
    // Only the values that change move in the lookup table.
    domain::CustomValues removed;
    domain::CustomValues added;
    for (const auto& [key, value] : current.custom_fields) {
      auto next = changes.custom_fields->find(key);
      if (next == changes.custom_fields->end() || next->second != value) removed.emplace(key, value);
    }
    for (const auto& [key, value] : *changes.custom_fields) {
      auto before = current.custom_fields.find(key);
      if (before == current.custom_fields.end() || before->second != value) added.emplace(key, value);
    }
    FieldDefinitions definitions(c);
    IndexCustomValues(c, definitions, account, id, removed, /*add=*/false);
    IndexNewCustomValues(c, definitions, account, id, added);
  }
  auto set_optional_int = [&](std::string_view column, const std::optional<std::int64_t>& value) {
    sql += ", ";
    sql += column;
    sql += " = ?";
    note(column);
    if (!value) null_params.push_back(params.size());
    params.emplace_back(value.value_or(0));
  };
  constexpr auto kSource = static_cast<std::size_t>(domain::TextField::kSource);
  if (changes.source_id) {
    // A listed source sets the text too; none clears both.
    const std::optional<std::int64_t>& source_id = *changes.source_id;
    set("source", source_id ? std::optional(ListedSourceName(c, account, *source_id))
                            : std::nullopt);
    set_optional_int("source_id", source_id);
  } else if (changes.text[kSource]) {
    set_optional_int("source_id", SourceIdNamed(c, account, *changes.text[kSource]));
  }
  if (changes.hotness_id) {
    const std::optional<std::int64_t>& hotness_id = *changes.hotness_id;
    set_optional_int("hotness_id", hotness_id);
    set("hotness", hotness_id ? std::optional(LevelJson(c, account, *hotness_id))
                              : std::nullopt);
  }
  if (changes.reports_to) {
    const std::optional<ContactId>& manager = *changes.reports_to;
    if (manager) CheckManager(c, account, *manager, id);
    set_optional_int("reports_to", manager ? std::optional(manager->value) : std::nullopt);
  }
  if (changes.company) {
    const std::optional<CompanyId>& company = *changes.company;
    if (company && !SelectCompany(c, account, *company)) {
      throw RefusedWrite{Error::Validation(
          {{"company_id", "company_id must be the id of a company in your account"}})};
    }
    set_optional_int("company_id", company ? std::optional(company->value) : std::nullopt);
    // The primary contact of one company is no one's at another (SqliteStore::UpdateContact
    // leaves the former company without one).
    if (current.is_primary) set_int("is_primary", 0);
  }
  if (changes.is_connected) set_int("is_connected", *changes.is_connected);
  if (changes.owner) set_int("owner_user_id", changes.owner->value);
  if (changes.assigned) {
    set_optional_int("assigned_user_id",
                     *changes.assigned ? std::optional((*changes.assigned)->value) : std::nullopt);
  }
  std::string written_json = "json_object(" + written + ")";
  if (delta != nullptr) {
    Statement before = c.Prepare("SELECT " + written_json +
                                 " FROM contacts WHERE account_id = ? AND id = ?");
    before.Bind(1, account.value).Bind(2, id.value);
    if (before.Step()) delta->before = before.Text(0);
  }
  // The row as it now is comes back from the UPDATE itself: no second lookup.
  sql += " WHERE account_id = ? AND id = ? RETURNING " CONTACTD_CONTACT_COLUMNS ", " +
         written_json;
  params.emplace_back(account.value);
  params.emplace_back(id.value);
  std::optional<domain::Contact> updated;
  {
    Statement stmt = c.Prepare(sql);
    BindAll(stmt, params);
    for (std::size_t position : null_params) stmt.BindNull(static_cast<int>(position) + 1);
    if (stmt.Step()) {
      updated = ReadContact(stmt);
      if (delta != nullptr) delta->after = stmt.Text(kContactColumnCount);
    }
  }
  if (changes.phones) {
    IndexPhones(c, account, id, PhonesMissing(current.phones, *changes.phones), /*add=*/false);
    IndexPhones(c, account, id, PhonesMissing(*changes.phones, current.phones), /*add=*/true);
  }
  // Only what a contact is found by needs its words computed again (a title change does not).
  using domain::TextField;
  bool searched_text_changed = false;
  for (TextField field : {TextField::kFirstName, TextField::kLastName, TextField::kFullName,
                          TextField::kDisplayName, TextField::kEmail}) {
    if (changes.text[static_cast<std::size_t>(field)]) searched_text_changed = true;
  }
  if (searched_text_changed || changes.phones || changes.spouse || changes.company) {
    // A contact is found by its company's name too.
    std::optional<std::string> company = CompanyName(c, account, current.company);
    std::optional<std::string> company_after =
        changes.company ? CompanyName(c, account, *changes.company) : company;
    ReindexWords(c, account, id, current, company, updated, company_after);
  }
  return updated;
}

}  // namespace

Error FromSqlite(const SqliteError& e) {
  return e.busy() ? Error::Unavailable(e.what()) : Error::Internal(e.what());
}

SqliteStore::SqliteStore(SqliteOptions options) : options_(std::move(options)) {
  auto connection = Acquire();
  Migrate(*connection);
  BuildSnapshotSql(*connection);
  IndexPendingSearchWords(*connection);
  Release(std::move(connection));
}

void SqliteStore::IndexPendingSearchWords(Connection& c) {
  static constexpr const char* kPending =
      "SELECT 1 FROM settings WHERE key = 'search_words_pending'";
  static constexpr const char* kDone = "DELETE FROM settings WHERE key = 'search_words_pending'";
  static constexpr const char* kBatch =
      "SELECT " CONTACTD_CONTACT_COLUMNS " FROM contacts WHERE id > ? ORDER BY id LIMIT 1000";
  {
    Statement pending = c.Prepare(kPending);
    if (!pending.Step()) return;
  }
  // Contacts that predate migration 12, in batches of their own transactions.
  std::int64_t after = 0;
  while (true) {
    Transaction transaction(c, Transaction::Mode::kWrite);
    std::vector<domain::Contact> batch;
    {
      Statement stmt = c.Prepare(kBatch);
      stmt.Bind(1, after);
      while (stmt.Step()) batch.push_back(ReadContact(stmt));
    }
    for (const domain::Contact& contact : batch) {
      ReindexWords(c, contact.account, contact.id, std::nullopt, std::nullopt, contact,
                   CompanyName(c, contact.account, contact.company));
    }
    if (batch.empty()) {
      c.Exec(kDone);
      transaction.Commit();
      return;
    }
    after = batch.back().id.value;
    transaction.Commit();
  }
}

namespace {

// SQL over the rows of a table as JSON objects of every column: the snapshots deleted contacts
// keep and events carry. Built from the schema after migration, so that a column added later is
// kept without code changes, and read back with its default when a snapshot predates it.
class RowJson {
 public:
  RowJson(Connection& c, const char* table) {
    Statement info = c.Prepare(std::string("SELECT name, dflt_value FROM pragma_table_info('") +
                               table + "') ORDER BY cid");
    while (info.Step()) columns_.push_back({info.Text(0), info.OptionalText(1).value_or("NULL")});
  }

  // A JSON object of every column (or of those of `list`, "a, b, c"), nulls included:
  // json_object for the first columns, then json_set for the rest (a function takes at most 127
  // arguments).
  std::string Object(std::string_view list = {}) const {
    std::vector<std::string> names;
    for (const Column& column : columns_) names.push_back(column.name);
    if (!list.empty()) names = Split(list);
    constexpr std::size_t kChunk = 40;
    std::string json;
    for (std::size_t start = 0; start < names.size(); start += kChunk) {
      std::string chunk = start == 0 ? "json_object(" : "json_set(" + json + ", ";
      for (std::size_t i = start; i < std::min(names.size(), start + kChunk); ++i) {
        if (i > start) chunk += ", ";
        chunk += (start == 0 ? "'" : "'$.") + names[i] + "', " + names[i];
      }
      json = chunk + ")";
    }
    return json;
  }

  // The column `name` from the snapshot in `json` (an SQL expression), or its default when the
  // snapshot predates it.
  std::string Value(std::string_view json, std::string_view name) const {
    auto column = std::find_if(columns_.begin(), columns_.end(),
                               [&](const Column& c) { return c.name == name; });
    std::string fallback = column == columns_.end() ? "NULL" : column->default_sql;
    return "CASE WHEN json_type(" + std::string(json) + ", '$." + std::string(name) +
           "') IS NULL THEN " + fallback + " ELSE json_extract(" + std::string(json) + ", '$." +
           std::string(name) + "') END";
  }

  // The columns of `list` ("a, b, c") from the snapshot in `json`, comma-separated.
  std::string Values(std::string_view json, std::string_view list) const {
    std::string values;
    for (const std::string& column : Split(list)) {
      if (!values.empty()) values += ", ";
      values += Value(json, column);
    }
    return values;
  }

  // Every column's name, comma-separated.
  std::string Names() const {
    std::string names;
    for (const Column& column : columns_) names += (names.empty() ? "" : ", ") + column.name;
    return names;
  }

 private:
  struct Column {
    std::string name;
    std::string default_sql;  // "NULL" when the column has no default
  };
  static std::vector<std::string> Split(std::string_view list) {
    std::vector<std::string> names;
    while (!list.empty()) {
      std::size_t comma = list.find(',');
      std::string_view column = list.substr(0, comma);
      while (!column.empty() && column.front() == ' ') column.remove_prefix(1);
      names.emplace_back(column);
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
    return names;
  }

  std::vector<Column> columns_;
};

}  // namespace

void SqliteStore::BuildSnapshotSql(Connection& c) {
  RowJson contacts(c, "contacts");
  std::string json = contacts.Object();
  std::string names = contacts.Names();
  snapshot_sql_ = "INSERT INTO deleted_contacts (id, account_id, uid, deleted_at, data) "
                  "SELECT id, account_id, uid, ?, " + json +
                  " FROM contacts WHERE account_id = ? AND id = ?";
  restore_sql_ = "INSERT INTO contacts (" + names + ") SELECT " + contacts.Values("data", names) +
                 " FROM deleted_contacts WHERE account_id = ? AND id = ? AND data IS NOT NULL "
                 "AND deleted_at >= ?";
  // The columns ReadContact reads, in its order, then deleted_at.
  select_deleted_sql_ = "SELECT " + contacts.Values("data", kContactColumns) +
                        ", deleted_at FROM deleted_contacts "
                        "WHERE account_id = ? AND data IS NOT NULL AND deleted_at >= ? "
                        "AND id > ? ORDER BY id LIMIT ?";
  // Events: the columns ReadContact reads (not the derived keys) as they are now into the outbox,
  // and a snapshot back into those columns.
  json = contacts.Object(kContactColumns);
  contact_event_sql_ =
      "INSERT INTO events (account_id, type, created_at, subject_id, owner_user_id, "
      "assigned_user_id, data, previous) SELECT account_id, ?, ?, id, owner_user_id, "
      "assigned_user_id, " + json + ", ? FROM contacts WHERE account_id = ? AND id = ?";
  contact_events_sql_ =
      "INSERT INTO events (account_id, type, created_at, subject_id, owner_user_id, "
      "assigned_user_id, data) SELECT account_id, ?, ?, id, owner_user_id, assigned_user_id, " +
      json + " FROM contacts WHERE account_id = ? AND id BETWEEN ? AND ? ORDER BY id";
  contact_from_json_sql_ = "SELECT " + contacts.Values("?1", kContactColumns);
  RowJson companies(c, "companies");
  std::string company_json = companies.Object();
  company_json_sql_ = "SELECT " + company_json + " FROM companies WHERE account_id = ? AND id = ?";
  company_event_sql_ =
      "INSERT INTO events (account_id, type, created_at, subject_id, data, previous) "
      "SELECT account_id, ?, ?, id, " + company_json +
      ", ? FROM companies WHERE account_id = ? AND id = ?";
  company_from_json_sql_ = "SELECT " + companies.Values("?1", kCompanyColumns);
  company_unchanged_sql_ = "SELECT json_remove(?, '$.updated_at', '$.version') = json_remove(" +
                           company_json + ", '$.updated_at', '$.version') FROM companies "
                           "WHERE account_id = ? AND id = ?";
}

SqliteStore::PrimaryChange SqliteStore::BeforePrimary(Connection& c,
                                                     const domain::NewContact& contact) {
  PrimaryChange change;
  if (!contact.is_primary || !contact.company) return change;
  change.company = CompanyJson(c, contact.account, *contact.company);
  change.demoted = BulkBefore(c, contact.account, "'is_primary', is_primary",
                              "id = (SELECT primary_contact_id FROM companies WHERE "
                              "account_id = ? AND id = ?) AND is_primary = 1",
                              {contact.account.value, contact.company->value});
  return change;
}

void SqliteStore::AfterPrimary(Connection& c, const domain::NewContact& contact,
                               const PrimaryChange& change) {
  if (!contact.is_primary || !contact.company) return;
  RecordBulkUpdates(c, contact.account, change.demoted, contact.now);
  RecordCompanyEvent(c, "company.updated", contact.account, *contact.company, contact.now,
                     change.company);
}

std::vector<std::pair<std::int64_t, std::string>> SqliteStore::BulkBefore(
    Connection& c, AccountId account, std::string_view columns, std::string_view where,
    const std::vector<SqlValue>& params) {
  std::vector<std::pair<std::int64_t, std::string>> before;
  Statement stmt = c.Prepare("SELECT id, json_object(" + std::string(columns) +
                             ") FROM contacts WHERE account_id = ? AND " + std::string(where));
  stmt.Bind(1, account.value);
  BindAll(stmt, params, 2);
  while (stmt.Step()) before.emplace_back(stmt.Int(0), stmt.Text(1));
  return before;
}

void SqliteStore::RecordBulkUpdates(Connection& c, AccountId account,
                                    const std::vector<std::pair<std::int64_t, std::string>>& before,
                                    std::int64_t now) {
  for (const auto& [id, previous] : before) {
    RecordContactEvent(c, "contact.updated", account, ContactId{id}, now, previous);
  }
}

void SqliteStore::RecordCreated(Connection& c, const domain::NewContact& contact, ContactId id) {
  RecordContactEvent(c, "contact.created", contact.account, id, contact.now, std::nullopt);
  if (contact.is_primary && contact.company) {
    RecordContactEvent(c, "contact.primary_set", contact.account, id, contact.now, std::nullopt);
  }
}

void SqliteStore::RecordContactEvent(Connection& c, std::string_view type, AccountId account,
                                     ContactId id, std::int64_t now,
                                     const std::optional<std::string>& previous) {
  Statement stmt = c.Prepare(contact_event_sql_);
  stmt.Bind(1, type).Bind(2, now).BindOptional(3, previous).Bind(4, account.value);
  stmt.Bind(5, id.value).Run();
}

void SqliteStore::RecordErasedContact(Connection& c, const domain::Contact& erased,
                                      std::int64_t now) {
  c.Prepare(kEraseEventData).Bind(1, erased.account.value).Bind(2, erased.id.value).Run();
  if (!erased.uid.empty()) ForgetAnswersShowing(c, erased.account, erased.uid);
  Statement stmt = c.Prepare(kInsertBareEvent);
  stmt.Bind(1, erased.account.value).Bind(2, "contact.deleted").Bind(3, now);
  stmt.Bind(4, erased.id.value);
  if (erased.owner_user) {
    stmt.Bind(5, erased.owner_user->value);
  } else {
    stmt.BindNull(5);
  }
  if (erased.assigned_user) {
    stmt.Bind(6, erased.assigned_user->value);
  } else {
    stmt.BindNull(6);
  }
  stmt.Run();
}

void SqliteStore::RecordContactUpdate(Connection& c, const domain::Contact& before,
                                      const domain::Contact& after, std::int64_t now,
                                      const ContactDelta& delta) {
  // A write of the values a contact holds already is no change: no event.
  if (delta.before == delta.after) return;
  std::optional<std::string> previous = delta.before;
  RecordContactEvent(c, "contact.updated", after.account, after.id, now, previous);
  if (before.Text(domain::TextField::kStatus) != after.Text(domain::TextField::kStatus)) {
    RecordContactEvent(c, "contact.status_changed", after.account, after.id, now, previous);
  }
}

std::optional<std::string> SqliteStore::CompanyJson(Connection& c, AccountId account,
                                                    CompanyId id) {
  Statement stmt = c.Prepare(company_json_sql_);
  stmt.Bind(1, account.value).Bind(2, id.value);
  if (!stmt.Step()) return std::nullopt;
  return stmt.Text(0);
}

void SqliteStore::RecordCompanyEvent(Connection& c, std::string_view type, AccountId account,
                                     CompanyId id, std::int64_t now,
                                     const std::optional<std::string>& previous) {
  if (previous) {
    // A write of the values the company holds already is no change: no event.
    Statement same = c.Prepare(company_unchanged_sql_);
    same.Bind(1, *previous).Bind(2, account.value).Bind(3, id.value);
    if (same.Step() && same.Int(0) == 1) return;
  }
  Statement stmt = c.Prepare(company_event_sql_);
  stmt.Bind(1, type).Bind(2, now).BindOptional(3, previous).Bind(4, account.value);
  stmt.Bind(5, id.value).Run();
}

SqliteStore::~SqliteStore() = default;

std::unique_ptr<Connection> SqliteStore::Acquire() {
  Stats().connections_acquired.Add();
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  Stats().connections_opened.Add();
  return std::make_unique<Connection>(Connection::Options{
      options_.path, options_.busy_timeout_ms, options_.cache_kib, /*read_only=*/false,
      options_.create_if_missing});
}

void SqliteStore::Release(std::unique_ptr<Connection> connection) {
  if (connection->InTransaction()) {
    // Left in a transaction (a failed rollback): never handed out again.
    try {
      connection->Exec("ROLLBACK");
    } catch (const SqliteError&) {
      return;
    }
  }
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(connection));
}

void SqliteStore::JoinGroup(PendingWrite& write) {
  // Bounds a group, so that the first writers of a long queue are not kept waiting.
  constexpr std::size_t kMaxGroup = 256;
  std::unique_lock lock(write_mu_);
  write.joined = std::chrono::steady_clock::now();
  writers_.push_back(&write);
  write.cv.wait(lock, [&] { return write.done || writers_.front() == &write; });
  if (write.done) return;
  if (write.unit) return;  // a unit's turn: it writes alone until EndTurn
  // The writers queued behind, up to the next unit's turn.
  std::vector<PendingWrite*> group;
  for (PendingWrite* next : writers_) {
    if (next->unit || group.size() == kMaxGroup) break;
    group.push_back(next);
  }
  lock.unlock();
  auto begins = std::chrono::steady_clock::now();
  for (const PendingWrite* member : group) {
    Stats().write_wait_seconds.Observe(
        std::chrono::duration<double>(begins - member->joined).count());
  }
  Stats().commit_group_writes.Observe(static_cast<double>(group.size()));
  CommitGroup(group);
  lock.lock();
  for (PendingWrite* member : group) {
    writers_.pop_front();
    member->done = true;
    if (member != &write) member->cv.notify_one();
  }
  if (!writers_.empty()) writers_.front()->cv.notify_one();
}

void SqliteStore::EndTurn(PendingWrite& turn) {
  std::lock_guard lock(write_mu_);
  if (writers_.empty() || writers_.front() != &turn) return;
  writers_.pop_front();
  if (!writers_.empty()) writers_.front()->cv.notify_one();
}

thread_local SqliteStore::Unit* SqliteStore::current_unit_ = nullptr;

SqliteStore::Unit* SqliteStore::CurrentUnit() {
  return current_unit_ != nullptr && &current_unit_->store() == this ? current_unit_ : nullptr;
}

SqliteStore::Unit::Unit(SqliteStore& store)
    : store_(store), lease_(store), outer_(current_unit_) {
  turn_.unit = true;
  current_unit_ = this;
}

SqliteStore::Unit::~Unit() {
  transaction_.reset();  // rolls back what was not committed
  lease_.connection().set_in_unit(false);
  if (has_turn_) store_.EndTurn(turn_);
  current_unit_ = outer_;
}

Connection& SqliteStore::Unit::Begin() {
  if (!has_turn_) {
    store_.JoinGroup(turn_);
    has_turn_ = true;
  }
  if (!transaction_) {
    transaction_.emplace(lease_.connection(), Transaction::Mode::kWrite);
    lease_.connection().set_in_unit(true);
  }
  return lease_.connection();
}

Result<void> SqliteStore::Unit::Commit() {
  if (broken_) return std::unexpected(Error::Internal("a write of the unit failed"));
  if (!transaction_) return {};
  // SQLite may have rolled the transaction back by itself (a full disk, an I/O error): then
  // nothing of it may look committed.
  if (!lease_.connection().InTransaction()) {
    return std::unexpected(Error::Internal("the unit's transaction was rolled back"));
  }
  try {
    transaction_->Commit();
  } catch (const SqliteError& e) {
    return std::unexpected(FromSqlite(e));
  }
  transaction_.reset();
  return {};
}

Result<std::unique_ptr<WriteUnit>> SqliteStore::BeginWriteUnit() {
  try {
    return std::unique_ptr<WriteUnit>(std::make_unique<Unit>(*this));
  } catch (const SqliteError& e) {
    return std::unexpected(FromSqlite(e));
  }
}

void SqliteStore::CommitGroup(const std::vector<PendingWrite*>& group) {
  try {
    Lease lease(*this);
    Connection& c = lease.connection();
    Transaction transaction(c, Transaction::Mode::kWrite);
    for (PendingWrite* write : group) {
      static constexpr const char* kSavepoint = "SAVEPOINT group_write";
      c.Exec(kSavepoint);
      bool ok = false;
      try {
        ok = write->apply(c);
      } catch (const RefusedWrite& refused) {
        write->fail(refused.error);
      } catch (const SqliteError& e) {
        write->fail(FromSqlite(e));
      } catch (const std::exception& e) {
        write->fail(Error::Internal(e.what()));
      }
      if (!ok) c.Exec("ROLLBACK TO group_write");
      c.Exec("RELEASE group_write");
    }
    auto committing = std::chrono::steady_clock::now();
    transaction.Commit();
    Stats().commit_seconds.Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - committing).count());
  } catch (const SqliteError& e) {
    for (PendingWrite* write : group) write->fail(FromSqlite(e));
  } catch (const std::exception& e) {
    // Nothing may escape: the group's other writers wait for this one to finish it.
    for (PendingWrite* write : group) write->fail(Error::Internal(e.what()));
  }
}

SqliteStats& Stats() {
  static SqliteStats stats;
  return stats;
}

Result<void> SqliteStore::Ping() {
  return Run([](Connection& c) -> Result<void> {
    static constexpr const char* kSelectOne = "SELECT 1";
    Statement stmt = c.Prepare(kSelectOne);
    stmt.Step();
    return {};
  });
}

Result<std::string> SqliteStore::CursorSecret() {
  return Run([](Connection& c) -> Result<std::string> {
    Statement stmt = c.Prepare(kSelectCursorSecret);
    if (!stmt.Step()) return std::unexpected(Error::Internal("cursor secret missing"));
    return stmt.Text(0);
  });
}

Result<domain::Account> SqliteStore::CreateAccount(const domain::Account& account) {
  return Run([&](Connection& c) -> Result<domain::Account> {
    Transaction transaction(c, Transaction::Mode::kWrite);
    if (c.Prepare(kSelectAccountUid).Bind(1, account.uid).Step()) {
      return std::unexpected(Error::Conflict("Another account has the uid " + account.uid));
    }
    c.Prepare(kInsertAccount).Bind(1, account.uid).Bind(2, account.name).Bind(3, account.created_at).Run();
    domain::Account created = account;
    created.id = AccountId{c.LastInsertId()};
    transaction.Commit();
    return created;
  });
}

Result<std::optional<domain::Account>> SqliteStore::FindAccount(AccountId id) {
  return Run([&](Connection& c) -> Result<std::optional<domain::Account>> {
    Statement stmt = c.Prepare(kSelectAccount);
    stmt.Bind(1, id.value);
    if (!stmt.Step()) return std::nullopt;
    return domain::Account{AccountId{stmt.Int(0)}, stmt.Text(1), stmt.Text(2), stmt.Int(3),
                           ReadRateOverride(stmt, 4)};
  });
}

Result<bool> SqliteStore::SetAccountRates(AccountId id,
                                          const std::optional<domain::RateSetting>& sustained,
                                          const std::optional<domain::RateSetting>& burst) {
  // Stored as written: NULL for the server's default, "unlimited", or the rate.
  auto text = [](const std::optional<domain::RateSetting>& setting) -> std::optional<std::string> {
    if (!setting || setting->kind == domain::RateSetting::Kind::kDefault) return std::nullopt;
    return domain::FormatRateSetting(*setting);
  };
  return Write([&](Connection& c) -> Result<bool> {
    Statement stmt = c.Prepare(kSetAccountRates);
    stmt.Bind(1, std::int64_t{sustained.has_value()})
        .BindOptional(2, text(sustained))
        .Bind(3, std::int64_t{burst.has_value()})
        .BindOptional(4, text(burst))
        .Bind(5, id.value)
        .Run();
    return c.Changes() > 0;
  });
}

Result<domain::RateDecision> SqliteStore::TakeRate(std::string_view key,
                                                   const domain::RatePolicy& policy,
                                                   std::int64_t now_ms, bool consume) {
  // One process serves a SQLite file: its memory is every node's.
  MemoryRateBuckets& table = key.starts_with("account:") ? account_buckets_ : address_buckets_;
  return table.Take(key, policy, now_ms, consume);
}

domain::RateOverride ReadRateOverride(const Statement& row, int first) {
  auto read = [&](int column) -> domain::RateSetting {
    if (row.IsNull(column)) return {};
    auto setting = domain::ParseRateSetting(row.Text(column));
    return setting ? *setting : domain::RateSetting{};
  };
  return {read(first), read(first + 1)};
}

Result<std::int64_t> SqliteStore::CountAccounts() {
  return Run([](Connection& c) -> Result<std::int64_t> {
    Statement stmt = c.Prepare(kCountAccounts);
    stmt.Step();
    return stmt.Int(0);
  });
}

Result<domain::Company> SqliteStore::InsertCompanyRecorded(Connection& c,
                                                          const domain::NewCompany& company) {
  auto created = InsertCompany(c, company);
  if (created) {
    RecordCompanyEvent(c, "company.created", company.account, created->id, company.now,
                       std::nullopt);
  }
  return created;
}

Result<domain::Company> SqliteStore::CreateCompany(const domain::NewCompany& company) {
  return Write([&](Connection& c) -> Result<domain::Company> {
    return InsertCompanyRecorded(c, company);
  });
}

namespace {

// The id of the row of `table` (contacts or companies) with this uid in the account.
std::optional<std::int64_t> IdByUid(Connection& c, const char* sql, AccountId account,
                                    std::string_view uid) {
  Statement stmt = c.Prepare(sql);
  stmt.Bind(1, std::string(uid)).Bind(2, account.value);
  if (!stmt.Step()) return std::nullopt;
  return stmt.Int(0);
}

// Fills `out` with the uids of `ids` in the account; `sql` takes the account and the ids as a
// JSON array.
template <class Id>
void UidsByIds(Connection& c, const char* sql, AccountId account, std::span<const Id> ids,
               std::unordered_map<std::int64_t, std::string>& out) {
  if (ids.empty()) return;
  boost::json::array list;
  for (const Id& id : ids) list.emplace_back(id.value);
  Statement stmt = c.Prepare(sql);
  stmt.Bind(1, account.value).Bind(2, boost::json::serialize(list));
  while (stmt.Step()) out.emplace(stmt.Int(0), stmt.Text(1));
}

}  // namespace

Result<std::optional<ContactId>> SqliteStore::FindContactIdByUid(
    const domain::ContactScope& scope, std::string_view uid) {
  return Run([&](Connection& c) -> Result<std::optional<ContactId>> {
    Transaction transaction(c, Transaction::Mode::kRead);
    auto id = IdByUid(c, kSelectContactIdByUid, scope.account, uid);
    if (!id || !Sees(c, scope, ContactId{*id})) return std::nullopt;
    return ContactId{*id};
  });
}

Result<std::optional<CompanyId>> SqliteStore::FindCompanyIdByUid(AccountId account,
                                                                 std::string_view uid) {
  return Run([&](Connection& c) -> Result<std::optional<CompanyId>> {
    auto id = IdByUid(c, kSelectCompanyIdByUid, account, uid);
    return id ? std::optional(CompanyId{*id}) : std::nullopt;
  });
}

Result<std::unordered_map<std::int64_t, std::string>> SqliteStore::CompanyNames(
    AccountId account, std::span<const CompanyId> ids) {
  std::unordered_map<std::int64_t, std::string> names;
  if (ids.empty()) return names;
  return Run([&](Connection& c) -> Result<std::unordered_map<std::int64_t, std::string>> {
    UidsByIds(c, kSelectCompanyNames, account, ids, names);
    return names;
  });
}

Result<Uids> SqliteStore::UidsOf(AccountId account, std::span<const ContactId> contacts,
                                 std::span<const CompanyId> companies) {
  if (contacts.empty() && companies.empty()) return Uids{};  // no connection taken
  return Run([&](Connection& c) -> Result<Uids> {
    Uids uids;
    UidsByIds(c, kSelectContactUids, account, contacts, uids.contacts);
    UidsByIds(c, kSelectCompanyUids, account, companies, uids.companies);
    return uids;
  });
}

Result<std::optional<domain::Company>> SqliteStore::FindCompany(AccountId account, CompanyId id) {
  return Run([&](Connection& c) -> Result<std::optional<domain::Company>> {
    return SelectCompany(c, account, id);
  });
}

Result<Page<domain::Company>> SqliteStore::ListCompanies(AccountId account,
                                                         const domain::ListQuery& query) {
  return Run([&](Connection& c) -> Result<Page<domain::Company>> {
    ListSql count_sql{"account_id = ?", "id", {account.value}, {}, {{"id", false}}, false};
    ListSql page_sql = count_sql;
    if (query.after_id) {
      page_sql.where += " AND id > ?";
      page_sql.params.emplace_back(*query.after_id);
    }
    return SelectPage(c, kCompanyColumns, "companies", page_sql, query, ReadCompany,
                      [&] { return CountWhere(c, "companies", count_sql); });
  });
}

CompanyId SqliteStore::CompanyNamed(Connection& c, AccountId account,
                                    const domain::NamedCompany& named, std::int64_t now) {
  for (auto [sql, key] : {std::pair{kSelectCompanyNamed, named.name},
                          std::pair{kSelectCompanyFolded, domain::FoldCase(named.name)}}) {
    Statement stmt = c.Prepare(sql);
    stmt.Bind(1, account.value).Bind(2, key);
    if (stmt.Step()) return CompanyId{stmt.Int(0)};
  }
  if (!named.may_create) {
    throw RefusedWrite{Error::Forbidden("No company of the account is named '" + named.name +
                                        "', and this token may not create companies")};
  }
  auto created =
      InsertCompanyRecorded(c, domain::NewCompany::Named(account, named.uid, named.name, now));
  if (!created) throw RefusedWrite{created.error()};
  return created->id;
}

const domain::NewContact& SqliteStore::WithNamedCompany(
    Connection& c, const domain::NewContact& contact, std::optional<domain::NewContact>& resolved) {
  if (!contact.named_company) return contact;
  resolved = contact;
  resolved->company = CompanyNamed(c, contact.account, *contact.named_company, contact.now);
  resolved->named_company.reset();
  return *resolved;
}

void SqliteStore::ResolveNamedCompany(Connection& c, const domain::Contact& current,
                                      domain::ContactChanges& changes) {
  if (!changes.named_company) return;
  // The contact's own company when it bears the name, though another may bear it too (a record
  // read and written back stays where it is).
  std::optional<std::string> name = CompanyName(c, current.account, current.company);
  if (name && domain::FoldCase(*name) == domain::FoldCase(changes.named_company->name)) {
    changes.named_company.reset();
    return;
  }
  CompanyId company = CompanyNamed(c, current.account, *changes.named_company, changes.now);
  if (company != current.company) changes.company = company;
  changes.named_company.reset();
}

Result<domain::Contact> SqliteStore::CreateContact(const domain::NewContact& sent,
                                                   const domain::ContactScope& scope,
                                                   const MatchCheck& check) {
  return Write([&](Connection& c) -> Result<domain::Contact> {
    std::optional<domain::NewContact> resolved;
    const domain::NewContact& contact = WithNamedCompany(c, sent, resolved);
    if (check) {
      if (auto allowed = check(FindMatches(c, contact, scope, true, true)); !allowed) {
        return std::unexpected(allowed.error());
      }
    }
    CheckManagerVisible(c, scope, contact.reports_to);
    FieldDefinitions definitions(c);
    PrimaryChange primary = BeforePrimary(c, contact);
    ContactId id = InsertContact(c, contact, definitions);
    RecordCreated(c, contact, id);
    AfterPrimary(c, contact, primary);
    auto created = SelectContact(c, contact.account, id);
    if (!created) return std::unexpected(Error::Internal("inserted contact not found"));
    return *created;
  });
}

// A bulk load on one leased connection. In kRebuildIndexes mode it holds one write transaction
// from construction to Commit, with the contact indexes dropped meanwhile: readers on other
// connections keep seeing the committed schema and rows, indexes included.
class SqliteStore::Load final : public ContactLoad {
 public:
  Load(SqliteStore& store, LoadMode mode) : store_(store), lease_(store) {
    if (mode != LoadMode::kRebuildIndexes) return;
    Connection& c = lease_.connection();
    transaction_.emplace(c, Transaction::Mode::kWrite);
    Statement indexes = c.Prepare(kSelectContactIndexes);
    while (indexes.Step()) dropped_.push_back({indexes.Text(0), indexes.Text(1)});
    for (const IndexDefinition& index : dropped_) c.Exec(("DROP INDEX " + index.name).c_str());
  }

  Result<domain::Company> CreateCompany(const domain::NewCompany& company) override {
    return Guard([&](Connection& c) -> Result<domain::Company> {
      std::optional<Transaction> transaction;
      if (!transaction_) transaction.emplace(c, Transaction::Mode::kWrite);
      auto created = store_.InsertCompanyRecorded(c, company);
      if (!created) return created;
      if (transaction) transaction->Commit();
      return created;
    });
  }

  Result<void> Add(std::span<const domain::NewContact> contacts) override {
    return Guard([&](Connection& c) -> Result<void> {
      std::optional<Transaction> batch;
      if (!transaction_) batch.emplace(c, Transaction::Mode::kWrite);
      FieldDefinitions definitions(c);  // one read per batch: a load holds the write lock
      std::optional<ContactId> first;
      ContactId last;
      // The primary contact each company ends the batch with (the last one wins), and what its
      // first one changes: the company, and the primary it had before the batch.
      std::map<std::int64_t, ContactId> primaries;
      std::map<std::int64_t, PrimaryChange> changes;
      for (const domain::NewContact& contact : contacts) {
        if (contact.is_primary && contact.company && !changes.contains(contact.company->value)) {
          changes[contact.company->value] = store_.BeforePrimary(c, contact);
        }
      }
      for (const domain::NewContact& contact : contacts) {
        last = InsertContact(c, contact, definitions);
        if (!first) first = last;
        if (contact.is_primary && contact.company) primaries[contact.company->value] = last;
      }
      // Events carry when they were written (a row's created_at may keep an older time).
      std::int64_t now = domain::NowSeconds();
      // One statement writes the batch's contact.created events (its ids are consecutive: the
      // load holds the write lock).
      if (first) {
        c.Prepare(store_.contact_events_sql_)
            .Bind(1, "contact.created")
            .Bind(2, now)
            .Bind(3, contacts.front().account.value)
            .Bind(4, first->value)
            .Bind(5, last.value)
            .Run();
      }
      AccountId account = contacts.empty() ? AccountId{} : contacts.front().account;
      for (const auto& [company, id] : primaries) {
        store_.RecordContactEvent(c, "contact.primary_set", account, id, now, std::nullopt);
      }
      for (const auto& [company, change] : changes) {
        store_.RecordBulkUpdates(c, account, change.demoted, now);
        store_.RecordCompanyEvent(c, "company.updated", account, CompanyId{company}, now,
                                  change.company);
      }
      if (batch) batch->Commit();
      return {};
    });
  }

  Result<void> Commit() override {
    return Guard([&](Connection& c) -> Result<void> {
      if (!transaction_) return {};
      for (const IndexDefinition& index : dropped_) c.Exec(index.sql.c_str());
      transaction_->Commit();
      transaction_.reset();
      return {};
    });
  }

 private:
  struct IndexDefinition {
    std::string name;
    std::string sql;
  };

  template <class Body>
  auto Guard(Body&& body) -> decltype(body(std::declval<Connection&>())) {
    try {
      return body(lease_.connection());
    } catch (const RefusedWrite& refused) {
      return std::unexpected(refused.error);
    } catch (const SqliteError& e) {
      return std::unexpected(FromSqlite(e));
    }
  }

  SqliteStore& store_;
  Lease lease_;
  std::optional<Transaction> transaction_;  // kRebuildIndexes only, until Commit
  std::vector<IndexDefinition> dropped_;
};

Result<std::unique_ptr<ContactLoad>> SqliteStore::BeginContactLoad(LoadMode mode) {
  try {
    return std::make_unique<Load>(*this, mode);
  } catch (const SqliteError& e) {
    return std::unexpected(FromSqlite(e));
  }
}

Result<std::int64_t> SqliteStore::CountAllContacts() {
  return Run([](Connection& c) -> Result<std::int64_t> {
    Statement stmt = c.Prepare(kCountAllContacts);
    stmt.Step();
    return stmt.Int(0);
  });
}

Result<std::vector<domain::Company>> SqliteStore::AllCompanies(AccountId account) {
  return Run([&](Connection& c) -> Result<std::vector<domain::Company>> {
    Statement stmt = c.Prepare(kSelectAllCompanies);
    stmt.Bind(1, account.value);
    std::vector<domain::Company> companies;
    while (stmt.Step()) companies.push_back(ReadCompany(stmt));
    return companies;
  });
}

Result<std::optional<domain::Contact>> SqliteStore::FindContact(const domain::ContactScope& scope,
                                                                ContactId id) {
  return Run([&](Connection& c) -> Result<std::optional<domain::Contact>> {
    return SelectVisibleContact(c, scope, id);
  });
}

Result<Page<domain::Contact>> SqliteStore::ListContacts(const domain::ContactScope& scope,
                                                        const domain::ListQuery& query) {
  return Run([&](Connection& c) -> Result<Page<domain::Contact>> {
    return SelectPage(c, kContactColumns, "contacts",
                      ContactListSql(scope, query, /*with_cursor=*/true), query, ReadContact, [&] {
                        // The kept counts are the account's: a restricted scope counts its own.
                        if (query.filters.empty() && query.any_of.empty() && !query.search &&
                            !scope.user) {
                          return CountContacts(c, scope.account, query.connected);
                        }
                        return CountWhere(c, "contacts",
                                          ContactListSql(scope, query, /*with_cursor=*/false));
                      });
  });
}

Result<std::optional<domain::Contact>> SqliteStore::UpdateContact(
    const domain::ContactScope& scope, ContactId id, const ContactPlan& plan) {
  return Write([&](Connection& c) -> Result<std::optional<domain::Contact>> {
    std::optional<domain::Contact> current = SelectVisibleContact(c, scope, id);
    if (!current) return std::nullopt;
    Result<domain::ContactChanges> planned = plan(*current);
    if (!planned) return std::unexpected(planned.error());
    ResolveNamedCompany(c, *current, *planned);
    const domain::ContactChanges& changes = *planned;
    if (changes.empty()) return current;
    if (changes.reports_to) CheckManagerVisible(c, scope, *changes.reports_to);
    ContactDelta delta;
    auto updated = ApplyContactChanges(c, scope.account, id, *current, changes, &delta);
    if (!updated) return updated;
    RecordContactUpdate(c, *current, *updated, changes.now, delta);
    if (changes.company && current->is_primary && current->company) {
      // It moved: its former company has no primary contact any more.
      std::optional<std::string> company = CompanyJson(c, scope.account, *current->company);
      c.Prepare(kClearCompanyPrimary)
          .Bind(1, changes.now)
          .Bind(2, scope.account.value)
          .Bind(3, current->company->value)
          .Bind(4, id.value)
          .Run();
      RecordCompanyEvent(c, "company.updated", scope.account, *current->company, changes.now,
                         company);
    }
    return updated;
  });
}

Result<std::optional<std::vector<domain::Share>>> SqliteStore::ListShares(
    const domain::ContactScope& scope, ContactId contact) {
  return Run([&](Connection& c) -> Result<std::optional<std::vector<domain::Share>>> {
    Transaction transaction(c, Transaction::Mode::kRead);
    if (!SelectVisibleContact(c, scope, contact)) return std::nullopt;
    std::vector<domain::Share> shares;
    Statement stmt = c.Prepare(kSelectShares);
    stmt.Bind(1, contact.value);
    while (stmt.Step()) shares.push_back({domain::UserId{stmt.Int(0)}, stmt.Int(1)});
    transaction.Commit();
    return shares;
  });
}

Result<std::optional<ShareResult>> SqliteStore::ShareContact(const domain::ContactScope& scope,
                                                             ContactId contact,
                                                             domain::UserId user,
                                                             std::int64_t now, std::size_t max,
                                                             const DeleteCheck& check) {
  return Write([&](Connection& c) -> Result<std::optional<ShareResult>> {
    std::optional<domain::Contact> current = SelectVisibleContact(c, scope, contact);
    if (!current) return std::nullopt;
    if (auto allowed = check(*current); !allowed) return std::unexpected(allowed.error());
    Statement existing = c.Prepare(kSelectShares);
    existing.Bind(1, contact.value);
    while (existing.Step()) {
      if (existing.Int(0) == user.value) {
        return ShareResult{{user, existing.Int(1)}, false};
      }
    }
    Statement count = c.Prepare(kCountShares);
    count.Bind(1, contact.value);
    count.Step();
    if (count.Int(0) >= static_cast<std::int64_t>(max)) {
      return std::unexpected(Error::Validation(
          {{"user_id", "a contact is shared with at most " + std::to_string(max) + " users"}}));
    }
    c.Prepare(kInsertShare)
        .Bind(1, contact.value)
        .Bind(2, user.value)
        .Bind(3, scope.account.value)
        .Bind(4, now)
        .Run();
    return ShareResult{{user, now}, true};
  });
}

Result<std::optional<bool>> SqliteStore::UnshareContact(const domain::ContactScope& scope,
                                                        ContactId contact, domain::UserId user,
                                                        const DeleteCheck& check) {
  return Write([&](Connection& c) -> Result<std::optional<bool>> {
    std::optional<domain::Contact> current = SelectVisibleContact(c, scope, contact);
    if (!current) return std::nullopt;
    if (auto allowed = check(*current); !allowed) return std::unexpected(allowed.error());
    c.Prepare(kDeleteShare).Bind(1, contact.value).Bind(2, user.value).Run();
    return c.Changes() > 0;
  });
}

Result<Page<domain::TagCount>> SqliteStore::ListTags(const domain::ContactScope& scope,
                                                     const domain::ListQuery& query) {
  return Run([&](Connection& c) -> Result<Page<domain::TagCount>> {
    std::string select = kSelectTags;
    std::string count = kCountTags;
    std::vector<SqlValue> count_params{scope.account.value};
    std::vector<SqlValue> select_params = count_params;
    if (scope.user) {
      // The kept counts are the account's: a restricted scope counts the tags of the contacts it
      // sees, read from their rows.
      ListSql visible;
      visible.from = ContactsFrom(scope, visible.params);
      visible.params.emplace_back(scope.account.value);
      std::string counted =
          "SELECT contactd_fold(j.value) AS tag_key, count(*) AS contacts FROM " + visible.from +
          ", json_each(contacts.tags) j WHERE account_id = ? GROUP BY 1";
      select = "SELECT t.name, v.contacts FROM (" + counted +
               ") v JOIN tags t ON t.account_id = ? AND t.tag_key = v.tag_key "
               "ORDER BY v.tag_key LIMIT ? OFFSET ?";
      count = "SELECT count(*) FROM (" + counted + ")";
      count_params = visible.params;
      select_params = std::move(visible.params);
      select_params.emplace_back(scope.account.value);
    }
    Transaction transaction(c, Transaction::Mode::kRead);
    Page<domain::TagCount> page;
    {
      Statement stmt = c.Prepare(select);
      BindAll(stmt, select_params);
      int next = static_cast<int>(select_params.size()) + 1;
      stmt.Bind(next, std::int64_t{query.limit} + 1).Bind(next + 1, query.offset);
      while (stmt.Step()) page.items.push_back({stmt.Text(0), stmt.Int(1)});
    }
    if (page.items.size() > static_cast<std::size_t>(query.limit)) {
      page.items.pop_back();
      page.has_more = true;
    }
    Statement total = c.Prepare(count);
    BindAll(total, count_params);
    total.Step();
    page.total = total.Int(0);
    transaction.Commit();
    return page;
  });
}

Result<bool> SqliteStore::DeleteContact(const domain::ContactScope& scope, ContactId id,
                                        const DeleteCheck& check, bool permanent,
                                        std::int64_t now) {
  AccountId account = scope.account;
  auto deleted = Write([&](Connection& c) -> Result<bool> {
    std::optional<domain::Contact> current = SelectVisibleContact(c, scope, id);
    if (!current) {
      if (!permanent || scope.user) return false;
      // Erasing a contact deleted earlier: its snapshot and its shares go.
      domain::Contact gone;  // who its event is shown to (an `own` user's feed)
      gone.account = account;
      gone.id = id;
      {
        Statement people = c.Prepare(kSnapshotPeople);
        people.Bind(1, account.value).Bind(2, id.value);
        if (!people.Step()) return false;
        if (!people.IsNull(0)) gone.owner_user = domain::UserId{people.Int(0)};
        if (!people.IsNull(1)) gone.assigned_user = domain::UserId{people.Int(1)};
      }
      c.Prepare(kEraseSnapshot).Bind(1, account.value).Bind(2, id.value).Run();
      c.Prepare(kDeleteShares).Bind(1, account.value).Bind(2, id.value).Run();
      RecordErasedContact(c, gone, now);
      return true;
    }
    if (auto allowed = check(*current); !allowed) return std::unexpected(allowed.error());
    IndexTags(c, account, id, current->tags, /*add=*/false);
    FieldDefinitions definitions(c);
    IndexCustomValues(c, definitions, account, id, current->custom_fields, /*add=*/false);
    IndexPhones(c, account, id, PhonesMissing(current->phones, {}), /*add=*/false);
    ReindexWords(c, account, id, current, CompanyName(c, account, current->company), std::nullopt,
                 std::nullopt);
    auto reports = BulkBefore(c, account, "'reports_to', reports_to", "reports_to = ?", {id.value});
    c.Prepare(kDetachReports).Bind(1, now).Bind(2, account.value).Bind(3, id.value).Run();
    RecordBulkUpdates(c, account, reports, now);
    if (current->is_primary && current->company) {
      std::optional<std::string> company = CompanyJson(c, account, *current->company);
      c.Prepare(kClearCompanyPrimary)
          .Bind(1, now)
          .Bind(2, account.value)
          .Bind(3, current->company->value)
          .Bind(4, id.value)
          .Run();
      RecordCompanyEvent(c, "company.updated", account, *current->company, now, company);
    }
    if (permanent) {
      RecordErasedContact(c, *current, now);
      c.Prepare(kDeleteShares).Bind(1, account.value).Bind(2, id.value).Run();
      c.Prepare(kInsertTombstone)
          .Bind(1, id.value)
          .Bind(2, account.value)
          .Bind(3, current->uid)
          .Bind(4, now)
          .Run();
    } else {
      RecordContactEvent(c, "contact.deleted", account, id, now, std::nullopt);
      c.Prepare(snapshot_sql_).Bind(1, now).Bind(2, account.value).Bind(3, id.value).Run();
    }
    c.Prepare(kDeleteContactRow).Bind(1, account.value).Bind(2, id.value).Run();
    return true;
  });
  if (deleted && *deleted && permanent) EmptyWal();
  return deleted;
}

Result<std::optional<domain::Contact>> SqliteStore::RestoreContact(AccountId account,
                                                                   ContactId id,
                                                                   std::int64_t deleted_since,
                                                                   std::int64_t now) {
  return Write([&](Connection& c) -> Result<std::optional<domain::Contact>> {
    Statement restore = c.Prepare(restore_sql_);
    restore.Bind(1, account.value).Bind(2, id.value).Bind(3, deleted_since);
    restore.Run();
    if (c.Changes() == 0) return std::nullopt;
    c.Prepare(kRefreshRestoredLinks).Bind(1, account.value).Bind(2, id.value).Run();
    c.Prepare(kDropSnapshot).Bind(1, account.value).Bind(2, id.value).Run();
    std::optional<domain::Contact> restored = SelectContact(c, account, id);
    if (!restored) return std::unexpected(Error::Internal("restored contact not found"));
    IndexTags(c, account, id, restored->tags, /*add=*/true);
    // Deleting a definition removes its values from snapshots too; this keeps a restore
    // consistent should one still hold a value no definition fits.
    FieldDefinitions definitions(c);
    if (auto kept = IndexCustomValues(c, definitions, account, id, restored->custom_fields,
                                      /*add=*/true);
        kept != restored->custom_fields) {
      restored->custom_fields = std::move(kept);
      c.Prepare(kSetCustomValues)
          .BindOptional(1, EncodeCustomValues(restored->custom_fields))
          .Bind(2, account.value)
          .Bind(3, id.value)
          .Run();
    }
    IndexPhones(c, account, id, PhonesMissing(restored->phones, {}), /*add=*/true);
    ReindexWords(c, account, id, std::nullopt, std::nullopt, restored,
                 CompanyName(c, account, restored->company));
    // Primary again only where its company has found no other since.
    bool primary = false;
    std::optional<std::string> restored_company_before;
    if (restored->is_primary && restored->company) {
      Statement company = c.Prepare(kSelectCompanyPrimary);
      company.Bind(1, account.value).Bind(2, restored->company->value);
      if (company.Step() && company.IsNull(0)) {
        primary = true;
        restored_company_before = CompanyJson(c, account, *restored->company);
        c.Prepare(kSetCompanyPrimary)
            .Bind(1, id.value)
            .Bind(2, now)
            .Bind(3, account.value)
            .Bind(4, restored->company->value)
            .Run();
      }
    }
    c.Prepare(kRestoredContact)
        .Bind(1, now)
        .Bind(2, std::int64_t{primary})
        .Bind(3, account.value)
        .Bind(4, id.value)
        .Run();
    RecordContactEvent(c, "contact.restored", account, id, now, std::nullopt);
    if (primary) {
      RecordCompanyEvent(c, "company.updated", account, *restored->company, now,
                         restored_company_before);
    }
    return SelectContact(c, account, id);
  });
}

Result<Page<domain::Contact>> SqliteStore::ListDeletedContacts(AccountId account,
                                                               const domain::ListQuery& query,
                                                               std::int64_t deleted_since) {
  return Run([&](Connection& c) -> Result<Page<domain::Contact>> {
    Transaction transaction(c, Transaction::Mode::kRead);
    Page<domain::Contact> page;
    Statement stmt = c.Prepare(select_deleted_sql_);
    stmt.Bind(1, account.value)
        .Bind(2, deleted_since)
        .Bind(3, query.after_id.value_or(0))
        .Bind(4, std::int64_t{query.limit} + 1);
    while (stmt.Step()) {
      page.items.push_back(ReadContact(stmt));
      page.items.back().deleted_at = stmt.Int(kContactColumnCount);
    }
    if (page.items.size() > static_cast<std::size_t>(query.limit)) {
      page.items.pop_back();
      page.has_more = true;
    }
    Statement count = c.Prepare(kCountDeleted);
    count.Bind(1, account.value).Bind(2, deleted_since);
    count.Step();
    page.total = count.Int(0);
    transaction.Commit();
    return page;
  });
}

Result<std::int64_t> SqliteStore::PurgeDeletedContacts(std::int64_t deleted_before) {
  auto purged = Write([&](Connection& c) -> Result<std::int64_t> {
    c.Prepare(kPurgeShares).Bind(1, deleted_before).Run();
    c.Prepare(kPurgeEventData).Bind(1, deleted_before).Run();
    c.Prepare(kPurgeSnapshots).Bind(1, deleted_before).Run();
    return c.Changes();
  });
  if (purged && *purged > 0) EmptyWal();
  return purged;
}

void SqliteStore::EmptyWal() {
  // Old page images of erased rows may still be in the WAL: fold it into the database and
  // truncate it. Best effort (writers wait meanwhile; a long reader can keep frames until the
  // next checkpoint); erasing is rare, so its cost is too.
  Run([](Connection& c) -> Result<void> {
    c.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return {};
  });
}

Result<std::optional<domain::Company>> SqliteStore::SetCompanyPrimary(
    const domain::ContactScope& scope, CompanyId company, std::optional<ContactId> contact,
    std::int64_t now, const domain::VersionCheck& expected) {
  AccountId account = scope.account;
  return Write([&](Connection& c) -> Result<std::optional<domain::Company>> {
    std::optional<domain::Company> current = SelectCompany(c, account, company);
    if (!current) return std::nullopt;
    if (auto fresh = expected.Check(current->version, "company"); !fresh) {
      return std::unexpected(fresh.error());
    }
    if (contact) {
      Statement member = c.Prepare(kSelectContactCompany);
      member.Bind(1, account.value).Bind(2, contact->value);
      if (!member.Step() || member.IsNull(0) || member.Int(0) != company.value ||
          !Sees(c, scope, *contact)) {
        return std::unexpected(Error::Validation(
            {{"contact_id", "contact_id must be the id of a contact of this company"}}));
      }
    }
    std::optional<std::string> previous = CompanyJson(c, account, company);
    std::optional<std::int64_t> was_primary;
    {
      Statement primary = c.Prepare(kSelectCompanyPrimary);
      primary.Bind(1, account.value).Bind(2, company.value);
      if (primary.Step() && !primary.IsNull(0)) was_primary = primary.Int(0);
    }
    auto demoted = BulkBefore(c, account, "'is_primary', is_primary",
                              "company_id = ? AND is_primary = 1 AND id IS NOT ?",
                              {company.value, contact ? contact->value : std::int64_t{0}});
    c.Prepare(kDemotePrimary).Bind(1, now).Bind(2, account.value).Bind(3, company.value).Run();
    RecordBulkUpdates(c, account, demoted, now);
    Statement set = c.Prepare(kSetCompanyPrimary);
    if (contact) {
      c.Prepare(kPromoteContact).Bind(1, now).Bind(2, account.value).Bind(3, contact->value).Run();
      set.Bind(1, contact->value);
    } else {
      set.BindNull(1);
    }
    set.Bind(2, now).Bind(3, account.value).Bind(4, company.value).Run();
    if (contact && was_primary != contact->value) {
      RecordContactEvent(c, "contact.primary_set", account, *contact, now, std::nullopt);
    }
    RecordCompanyEvent(c, "company.updated", account, company, now, previous);
    return SelectCompany(c, account, company);
  });
}

Result<std::optional<domain::Company>> SqliteStore::UpdateCompany(
    AccountId account, CompanyId id, const domain::CompanyChanges& changes) {
  return Write([&](Connection& c) -> Result<std::optional<domain::Company>> {
    std::string sql = "UPDATE companies SET version = version + 1, updated_at = ?";
    std::vector<SqlValue> params{changes.now};
    std::vector<std::size_t> null_params;
    auto set = [&](std::string_view column, const std::optional<std::string>& value) {
      sql += ", ";
      sql += column;
      sql += " = ?";
      if (!value) null_params.push_back(params.size());
      params.emplace_back(value.value_or(std::string()));
    };
    if (changes.name) {
      set("name", *changes.name);
      set("name_key", domain::FoldCase(*changes.name));
    }
    if (changes.company_type) set("company_type", *changes.company_type);
    if (changes.website) set("website", *changes.website);
    if (changes.phone) set("phone", *changes.phone);
    if (changes.address) set("address", EncodeAddress(*changes.address));
    if (changes.tags) set("tags", EncodeTags(*changes.tags));
    if (changes.status) set("status", *changes.status);
    sql += " WHERE account_id = ? AND id = ?";
    params.emplace_back(account.value);
    params.emplace_back(id.value);
    std::optional<domain::Company> current = SelectCompany(c, account, id);
    if (!current) return std::nullopt;
    if (auto fresh = changes.expected.Check(current->version, "company"); !fresh) {
      return std::unexpected(fresh.error());
    }
    std::optional<std::string> old_name = CompanyName(c, account, id);
    std::optional<std::string> previous = CompanyJson(c, account, id);
    Statement stmt = c.Prepare(sql);
    BindAll(stmt, params);
    for (std::size_t position : null_params) stmt.BindNull(static_cast<int>(position) + 1);
    stmt.Run();
    if (c.Changes() == 0) return std::nullopt;
    RecordCompanyEvent(c, "company.updated", account, id, changes.now, previous);
    if (changes.name && *changes.name != old_name) {
      // Its contacts are found by the company's name: they move to the new one.
      ReindexCompanyContacts(c, account, id, old_name, changes.name);
    }
    return SelectCompany(c, account, id);
  });
}

Result<std::optional<std::int64_t>> SqliteStore::DeleteCompany(
    AccountId account, CompanyId id, bool detach, std::int64_t now,
    const domain::VersionCheck& expected) {
  return Write([&](Connection& c) -> Result<std::optional<std::int64_t>> {
    std::optional<domain::Company> current = SelectCompany(c, account, id);
    if (!current) return std::nullopt;
    if (auto fresh = expected.Check(current->version, "company"); !fresh) {
      return std::unexpected(fresh.error());
    }
    Statement count = c.Prepare(kCountCompanyContacts);
    count.Bind(1, account.value).Bind(2, id.value);
    count.Step();
    std::int64_t contacts = count.Int(0);
    if (contacts > 0) {
      if (!detach) return contacts;
      ReindexCompanyContacts(c, account, id, CompanyName(c, account, id), std::nullopt);
      auto detached = BulkBefore(c, account, "'company_id', company_id, 'is_primary', is_primary",
                                 "company_id = ?", {id.value});
      c.Prepare(kDetachCompanyContacts).Bind(1, now).Bind(2, account.value).Bind(3, id.value).Run();
      RecordBulkUpdates(c, account, detached, now);
    }
    c.Prepare(kDetachCompanySnapshots).Bind(1, account.value).Bind(2, id.value).Run();
    c.Prepare(kDeleteCompanyRow).Bind(1, account.value).Bind(2, id.value).Run();
    c.Prepare(kInsertCompanyTombstone).Bind(1, id.value).Bind(2, account.value).Bind(3, now).Run();
    c.Prepare(kInsertBareEvent)
        .Bind(1, account.value)
        .Bind(2, "company.deleted")
        .Bind(3, now)
        .Bind(4, id.value)
        .BindNull(5)
        .BindNull(6)
        .Run();
    return contacts;
  });
}

Result<UpsertResult> SqliteStore::UpsertContact(const domain::NewContact& contact,
                                                const domain::ContactScope& scope, bool on_email,
                                                bool on_phone, const MatchPick& pick,
                                                const MatchCheck& create_check,
                                                const ContactPlan& plan) {
  return Write([&](Connection& c) -> Result<UpsertResult> {
    // Only contacts the scope sees are updated; one it does not see is no match (a create that
    // duplicates it still obeys the account's setting, through create_check).
    std::vector<Match> matches = FindMatches(c, contact, scope, on_email, on_phone);
    std::erase_if(matches, [](const Match& match) { return !match.visible; });
    if (matches.empty() && create_check) {
      if (auto allowed = create_check(FindMatches(c, contact, scope, true, true)); !allowed) {
        return std::unexpected(allowed.error());
      }
    }
    if (matches.empty()) {
      CheckManagerVisible(c, scope, contact.reports_to);
      std::optional<domain::NewContact> resolved;
      const domain::NewContact& row = WithNamedCompany(c, contact, resolved);
      FieldDefinitions definitions(c);
      PrimaryChange primary = BeforePrimary(c, row);
      ContactId id = InsertContact(c, row, definitions);
      RecordCreated(c, row, id);
      AfterPrimary(c, row, primary);
      auto created = SelectContact(c, contact.account, id);
      if (!created) return std::unexpected(Error::Internal("inserted contact not found"));
      return UpsertResult{std::move(*created), true};
    }
    Result<std::size_t> picked = pick(matches);
    if (!picked) return std::unexpected(picked.error());
    if (*picked >= matches.size()) {
      return std::unexpected(Error::Internal("upsert picked no match"));
    }
    ContactId id = matches[*picked].id;
    std::optional<domain::Contact> current = SelectContact(c, contact.account, id);
    if (!current) return std::unexpected(Error::Internal("matched contact not found"));
    Result<domain::ContactChanges> planned = plan(*current);
    if (!planned) return std::unexpected(planned.error());
    ResolveNamedCompany(c, *current, *planned);
    if (planned->empty()) return UpsertResult{std::move(*current), false};
    if (planned->reports_to) CheckManagerVisible(c, scope, *planned->reports_to);
    ContactDelta delta;
    auto updated = ApplyContactChanges(c, contact.account, id, *current, *planned, &delta);
    if (!updated) return std::unexpected(Error::Internal("updated contact not found"));
    RecordContactUpdate(c, *current, *updated, planned->now, delta);
    return UpsertResult{std::move(*updated), false};
  });
}

Result<domain::AccountSettings> SqliteStore::GetSettings(AccountId account) {
  return Run([&](Connection& c) -> Result<domain::AccountSettings> {
    return ReadSettings(c, account);
  });
}

Result<domain::AccountSettings> SqliteStore::UpdateSettings(AccountId account,
                                                             const SettingsChange& change) {
  return Write([&](Connection& c) -> Result<domain::AccountSettings> {
    domain::AccountSettings settings = ReadSettings(c, account);
    if (auto changed = change(settings); !changed) return std::unexpected(changed.error());
    std::string text = boost::json::serialize(boost::json::object{
        {"duplicate_contacts", settings.reject_duplicates ? "reject" : "allow"},
        {"default_country", settings.default_country}});
    c.Prepare(kUpdateSettings).Bind(1, text).Bind(2, account.value).Run();
    return settings;
  });
}

Result<std::vector<domain::CustomField>> SqliteStore::ListCustomFields(AccountId account) {
  return Run([&](Connection& c) -> Result<std::vector<domain::CustomField>> {
    return SelectCustomFields(c, account);
  });
}

Result<domain::CustomField> SqliteStore::CreateCustomField(const domain::CustomField& field,
                                                          std::size_t max_per_account) {
  return Write([&](Connection& c) -> Result<domain::CustomField> {
    {
      Statement taken = c.Prepare(kSelectCustomFieldKey);
      taken.Bind(1, field.account.value).Bind(2, field.key);
      if (taken.Step()) {
        return std::unexpected(Error{domain::ErrorCode::kConflict,
                                     "A custom field with the key '" + field.key + "' exists",
                                     {{"key", "key '" + field.key + "' is taken"}}});
      }
    }
    {
      Statement count = c.Prepare(kCountCustomFields);
      count.Bind(1, field.account.value);
      count.Step();
      if (count.Int(0) >= static_cast<std::int64_t>(max_per_account)) {
        return std::unexpected(Error::Validation(
            {{"key", "an account holds at most " + std::to_string(max_per_account) +
                         " custom fields"}}));
      }
    }
    c.Prepare(kInsertCustomField)
        .Bind(1, field.account.value)
        .Bind(2, field.key)
        .Bind(3, field.name)
        .Bind(4, domain::CustomFieldTypeName(field.type))
        .Bind(5, EncodeTags(field.options))
        .Bind(6, field.rank)
        .Bind(7, field.created_at)
        .Bind(8, field.updated_at)
        .Run();
    domain::CustomField created = field;
    created.id = domain::CustomFieldId{c.LastInsertId()};
    return created;
  });
}

Result<std::optional<domain::CustomField>> SqliteStore::UpdateCustomField(
    AccountId account, domain::CustomFieldId id, const domain::CustomFieldChanges& changes) {
  return Write([&](Connection& c) -> Result<std::optional<domain::CustomField>> {
    std::string sql = "UPDATE custom_fields SET updated_at = ?";
    std::vector<SqlValue> params{changes.now};
    if (changes.name) {
      sql += ", name = ?";
      params.emplace_back(*changes.name);
    }
    if (changes.options) {
      sql += ", options = ?";
      params.emplace_back(EncodeTags(*changes.options));
    }
    if (changes.rank) {
      sql += ", rank = ?";
      params.emplace_back(*changes.rank);
    }
    sql += " WHERE account_id = ? AND id = ?";
    params.emplace_back(account.value);
    params.emplace_back(id.value);
    Statement update = c.Prepare(sql);
    BindAll(update, params);
    update.Run();
    if (c.Changes() == 0) return std::nullopt;
    Statement select = c.Prepare(kSelectCustomField);
    select.Bind(1, account.value).Bind(2, id.value);
    if (!select.Step()) return std::unexpected(Error::Internal("updated custom field not found"));
    return ReadCustomField(select);
  });
}

Result<bool> SqliteStore::DeleteCustomField(AccountId account, domain::CustomFieldId id,
                                           std::int64_t now) {
  return Write([&](Connection& c) -> Result<bool> {
    std::string key;
    {
      Statement select = c.Prepare(kSelectCustomField);
      select.Bind(1, account.value).Bind(2, id.value);
      if (!select.Step()) return false;
      key = select.Text(2);
    }
    // Keys hold no quote (domain::IsCustomFieldKey), so the path needs no escaping.
    std::string path = "$.\"" + key + "\"";
    auto holders = BulkBefore(c, account, "'custom_fields', custom_fields",
                              "id IN (SELECT contact_id FROM contact_field_values WHERE "
                              "account_id = ? AND field_id = ?)",
                              {account.value, id.value});
    c.Prepare(kRemoveFieldFromContacts)
        .Bind(1, path)
        .Bind(2, now)
        .Bind(3, account.value)
        .Bind(4, account.value)
        .Bind(5, id.value)
        .Run();
    RecordBulkUpdates(c, account, holders, now);
    c.Prepare(kDeleteFieldValues).Bind(1, account.value).Bind(2, id.value).Run();
    c.Prepare(kRemoveFieldFromSnapshots).Bind(1, path).Bind(2, account.value).Run();
    c.Prepare(kDeleteCustomField).Bind(1, account.value).Bind(2, id.value).Run();
    return true;
  });
}

namespace {

domain::Source ReadSource(const Statement& row) {
  return {row.Int(0), AccountId{row.Int(1)}, row.Text(2), row.Int(3), row.Int(4)};
}

domain::StoredHotnessLevel ReadLevel(const Statement& row) {
  domain::StoredHotnessLevel level;
  level.level = {row.Int(0), row.Text(2), row.Int(3), row.OptionalText(4)};
  level.account = AccountId{row.Int(1)};
  level.created_at = row.Int(5);
  level.updated_at = row.Int(6);
  return level;
}

// kConflict when another item of the list (`taken_sql`) has the name's key.
Result<void> CheckNameFree(Connection& c, const char* taken_sql, AccountId account,
                           const std::string& name, std::int64_t id, std::string_view what) {
  Statement taken = c.Prepare(taken_sql);
  taken.Bind(1, account.value).Bind(2, domain::FoldCase(name)).Bind(3, id);
  if (!taken.Step()) return {};
  return std::unexpected(Error{domain::ErrorCode::kConflict,
                               std::string(what) + " named '" + name + "' exists",
                               {{"name", "name '" + name + "' is taken"}}});
}

// kValidation when the account's list (`count_sql`) holds `max` items already.
Result<void> CheckRoom(Connection& c, const char* count_sql, AccountId account, std::size_t max,
                       std::string_view what) {
  Statement count = c.Prepare(count_sql);
  count.Bind(1, account.value);
  count.Step();
  if (count.Int(0) < static_cast<std::int64_t>(max)) return {};
  return std::unexpected(Error::Validation(
      {{"name", "an account holds at most " + std::to_string(max) + " " + std::string(what)}}));
}

}  // namespace

Result<std::vector<domain::Source>> SqliteStore::ListSources(AccountId account) {
  return Run([&](Connection& c) -> Result<std::vector<domain::Source>> {
    std::vector<domain::Source> sources;
    Statement stmt = c.Prepare(kSelectSources);
    stmt.Bind(1, account.value);
    while (stmt.Step()) sources.push_back(ReadSource(stmt));
    return sources;
  });
}

Result<domain::Source> SqliteStore::CreateSource(const domain::Source& source, std::size_t max) {
  return Write([&](Connection& c) -> Result<domain::Source> {
    if (auto free = CheckNameFree(c, kSourceNameTaken, source.account, source.name, 0, "A source");
        !free) {
      return std::unexpected(free.error());
    }
    if (auto room = CheckRoom(c, kCountSources, source.account, max, "sources"); !room) {
      return std::unexpected(room.error());
    }
    c.Prepare(kInsertSource)
        .Bind(1, source.account.value)
        .Bind(2, source.name)
        .Bind(3, domain::FoldCase(source.name))
        .Bind(4, source.created_at)
        .Bind(5, source.updated_at)
        .Run();
    domain::Source created = source;
    created.id = c.LastInsertId();
    return created;
  });
}

Result<std::optional<domain::Source>> SqliteStore::UpdateSource(
    AccountId account, std::int64_t id, const domain::ListItemChanges& changes) {
  return Write([&](Connection& c) -> Result<std::optional<domain::Source>> {
    if (changes.name) {
      if (auto free = CheckNameFree(c, kSourceNameTaken, account, *changes.name, id, "A source");
          !free) {
        return std::unexpected(free.error());
      }
      c.Prepare(kRenameSource)
          .Bind(1, *changes.name)
          .Bind(2, domain::FoldCase(*changes.name))
          .Bind(3, changes.now)
          .Bind(4, account.value)
          .Bind(5, id)
          .Run();
      if (c.Changes() == 0) return std::nullopt;
      auto named = BulkBefore(c, account, "'source', source", "source_id = ? AND source IS NOT ?",
                              {id, *changes.name});
      c.Prepare(kRenameSourceOnContacts)
          .Bind(1, *changes.name)
          .Bind(2, changes.now)
          .Bind(3, account.value)
          .Bind(4, id)
          .Run();
      RecordBulkUpdates(c, account, named, changes.now);
    }
    Statement select = c.Prepare(kSelectSource);
    select.Bind(1, account.value).Bind(2, id);
    if (!select.Step()) return std::nullopt;
    return ReadSource(select);
  });
}

Result<bool> SqliteStore::DeleteSource(AccountId account, std::int64_t id, std::int64_t now) {
  return Write([&](Connection& c) -> Result<bool> {
    c.Prepare(kDeleteSource).Bind(1, account.value).Bind(2, id).Run();
    if (c.Changes() == 0) return false;
    auto linked = BulkBefore(c, account, "'source_id', source_id", "source_id = ?", {id});
    c.Prepare(kUnlinkSource).Bind(1, now).Bind(2, account.value).Bind(3, id).Run();
    RecordBulkUpdates(c, account, linked, now);
    c.Prepare(kUnlinkSourceInSnapshots).Bind(1, account.value).Bind(2, id).Run();
    return true;
  });
}

Result<std::vector<domain::StoredHotnessLevel>> SqliteStore::ListHotnessLevels(AccountId account) {
  return Run([&](Connection& c) -> Result<std::vector<domain::StoredHotnessLevel>> {
    std::vector<domain::StoredHotnessLevel> levels;
    Statement stmt = c.Prepare(kSelectLevels);
    stmt.Bind(1, account.value);
    while (stmt.Step()) levels.push_back(ReadLevel(stmt));
    return levels;
  });
}

Result<domain::StoredHotnessLevel> SqliteStore::CreateHotnessLevel(
    const domain::StoredHotnessLevel& level, std::size_t max) {
  return Write([&](Connection& c) -> Result<domain::StoredHotnessLevel> {
    if (auto free = CheckNameFree(c, kLevelNameTaken, level.account, level.level.name, 0,
                                  "A hotness level");
        !free) {
      return std::unexpected(free.error());
    }
    if (auto room = CheckRoom(c, kCountLevels, level.account, max, "hotness levels"); !room) {
      return std::unexpected(room.error());
    }
    c.Prepare(kInsertLevel)
        .Bind(1, level.account.value)
        .Bind(2, level.level.name)
        .Bind(3, domain::FoldCase(level.level.name))
        .Bind(4, level.level.rank)
        .BindOptional(5, level.level.color)
        .Bind(6, level.created_at)
        .Bind(7, level.updated_at)
        .Run();
    domain::StoredHotnessLevel created = level;
    created.level.id = c.LastInsertId();
    return created;
  });
}

Result<std::optional<domain::StoredHotnessLevel>> SqliteStore::UpdateHotnessLevel(
    AccountId account, std::int64_t id, const domain::ListItemChanges& changes) {
  return Write([&](Connection& c) -> Result<std::optional<domain::StoredHotnessLevel>> {
    if (changes.name) {
      if (auto free = CheckNameFree(c, kLevelNameTaken, account, *changes.name, id,
                                    "A hotness level");
          !free) {
        return std::unexpected(free.error());
      }
    }
    std::string sql = "UPDATE hotness_levels SET updated_at = ?";
    std::vector<SqlValue> params{changes.now};
    std::optional<std::size_t> null_param;
    if (changes.name) {
      sql += ", name = ?, name_key = ?";
      params.emplace_back(*changes.name);
      params.emplace_back(domain::FoldCase(*changes.name));
    }
    if (changes.rank) {
      sql += ", rank = ?";
      params.emplace_back(*changes.rank);
    }
    if (changes.color) {
      sql += ", color = ?";
      if (!*changes.color) null_param = params.size();
      params.emplace_back(changes.color->value_or(""));
    }
    sql += " WHERE account_id = ? AND id = ?";
    params.emplace_back(account.value);
    params.emplace_back(id);
    Statement update = c.Prepare(sql);
    BindAll(update, params);
    if (null_param) update.BindNull(static_cast<int>(*null_param) + 1);
    update.Run();
    if (c.Changes() == 0) return std::nullopt;
    if (changes.name || changes.rank || changes.color) {
      // The contacts whose copy of the level changes (the level holds its new values already).
      auto leveled = BulkBefore(c, account, "'hotness', hotness",
                                "hotness_id = ?2 AND hotness IS NOT (SELECT " CONTACTD_LEVEL_JSON
                                " FROM hotness_levels WHERE id = ?2)",
                                {id});
      c.Prepare(kRefreshLevelOnContacts)
          .Bind(1, changes.now)
          .Bind(2, account.value)
          .Bind(3, id)
          .Run();
      RecordBulkUpdates(c, account, leveled, changes.now);
    }
    Statement select = c.Prepare(kSelectLevel);
    select.Bind(1, account.value).Bind(2, id);
    if (!select.Step()) return std::unexpected(Error::Internal("updated level not found"));
    return ReadLevel(select);
  });
}

Result<bool> SqliteStore::DeleteHotnessLevel(AccountId account, std::int64_t id,
                                            std::int64_t now) {
  return Write([&](Connection& c) -> Result<bool> {
    c.Prepare(kDeleteLevel).Bind(1, account.value).Bind(2, id).Run();
    if (c.Changes() == 0) return false;
    auto leveled = BulkBefore(c, account, "'hotness_id', hotness_id, 'hotness', hotness",
                              "hotness_id = ?", {id});
    c.Prepare(kUnlinkLevel).Bind(1, now).Bind(2, account.value).Bind(3, id).Run();
    RecordBulkUpdates(c, account, leveled, now);
    c.Prepare(kUnlinkLevelInSnapshots).Bind(1, account.value).Bind(2, id).Run();
    return true;
  });
}

namespace {

ReportLink ReadReportLink(const Statement& row) {
  return {ContactId{row.Int(0)}, ContactId{row.Int(1)}, static_cast<int>(row.Int(2)),
          row.OptionalText(3),   row.OptionalText(4),   row.OptionalText(5),
          row.OptionalText(6)};
}

// The report tree of a restricted scope, through the contacts it sees only: their links are read
// once (from the ids it sees, as its lists are: the cost of what it sees, however many reports
// it does not see the tree has), walked breadth-first in memory, and what the chart shows is
// read for the links kept.
std::vector<ReportLink> VisibleReportTree(Connection& c, const domain::ContactScope& scope,
                                          ContactId root, int max_depth, std::size_t limit) {
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> reports;
  {
    std::vector<SqlValue> params;
    std::string from = ContactsFrom(scope, params);
    params.emplace_back(scope.account.value);
    Statement stmt = c.Prepare("SELECT reports_to, id FROM " + from +
                               " WHERE account_id = ? AND reports_to IS NOT NULL "
                               "ORDER BY reports_to, id");
    BindAll(stmt, params);
    while (stmt.Step()) reports[stmt.Int(0)].push_back(stmt.Int(1));
  }
  std::vector<ReportLink> links;
  std::vector<std::int64_t> managers{root.value};
  for (int depth = 1; depth <= max_depth && links.size() < limit && !managers.empty(); ++depth) {
    std::vector<std::int64_t> next;
    for (std::int64_t manager : managers) {
      auto found = reports.find(manager);
      if (found == reports.end()) continue;
      for (std::int64_t id : found->second) {
        if (links.size() == limit) break;
        ReportLink link;
        link.manager = ContactId{manager};
        link.id = ContactId{id};
        link.depth = depth;
        links.push_back(std::move(link));
        next.push_back(id);
      }
    }
    managers = std::move(next);
  }
  std::string ids = "[";
  std::unordered_map<std::int64_t, std::size_t> position;
  for (std::size_t i = 0; i < links.size(); ++i) {
    if (i > 0) ids += ',';
    ids += std::to_string(links[i].id.value);
    position.emplace(links[i].id.value, i);
  }
  ids += ']';
  Statement stmt = c.Prepare(kSelectChartEntries);
  stmt.Bind(1, scope.account.value).Bind(2, ids);
  while (stmt.Step()) {
    ReportLink& link = links[position.at(stmt.Int(1))];
    ReportLink entry = ReadReportLink(stmt);
    entry.depth = link.depth;
    link = std::move(entry);
  }
  return links;
}

}  // namespace

Result<std::optional<std::vector<ReportLink>>> SqliteStore::ReportTree(
    const domain::ContactScope& scope, ContactId root, int max_depth, std::size_t limit) {
  return Run([&](Connection& c) -> Result<std::optional<std::vector<ReportLink>>> {
    Transaction transaction(c, Transaction::Mode::kRead);
    if (!SelectVisibleContact(c, scope, root)) return std::nullopt;
    if (scope.user) return VisibleReportTree(c, scope, root, max_depth, limit);
    // Level by level (one query each), so that the links come breadth-first and no level reads
    // more than what is left of `limit`.
    std::vector<ReportLink> links;
    std::string managers = "[" + std::to_string(root.value) + "]";
    for (int depth = 1; depth <= max_depth && links.size() < limit; ++depth) {
      std::size_t level_start = links.size();
      Statement stmt = c.Prepare(kSelectReportLevel);
      stmt.Bind(1, scope.account.value)
          .Bind(2, managers)
          .Bind(3, static_cast<std::int64_t>(limit - links.size()));
      while (stmt.Step()) {
        links.push_back(ReadReportLink(stmt));
        links.back().depth = depth;
      }
      if (links.size() == level_start) break;
      managers = "[";
      for (std::size_t i = level_start; i < links.size(); ++i) {
        if (i > level_start) managers += ',';
        managers += std::to_string(links[i].id.value);
      }
      managers += ']';
    }
    return links;
  });
}

Result<std::vector<ReportLink>> SqliteStore::ReportingLinks(const domain::ContactScope& scope,
                                                            std::size_t limit) {
  return Run([&](Connection& c) -> Result<std::vector<ReportLink>> {
    ListSql sql;
    sql.from = ContactsFrom(scope, sql.params);
    sql.where = "account_id = ? AND reports_to IS NOT NULL";
    sql.params.emplace_back(scope.account.value);
    Statement stmt = c.Prepare("SELECT reports_to, id, 1, full_name, display_name, title, "
                               "department FROM " + sql.from + " WHERE " + sql.where +
                               " ORDER BY reports_to, id LIMIT ?");
    BindAll(stmt, sql.params);
    stmt.Bind(static_cast<int>(sql.params.size()) + 1, static_cast<std::int64_t>(limit));
    std::vector<ReportLink> links;
    while (stmt.Step()) links.push_back(ReadReportLink(stmt));
    return links;
  });
}

}  // namespace contactd::store::sqlite

#include "store/sqlite/sqlite_store.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "domain/crypto.hpp"
#include "domain/cursor.hpp"
#include "store/sqlite/filter_sql.hpp"
#include "store/sqlite/schema.hpp"
#include "store/sqlite/statement.hpp"

namespace contactd::store::sqlite {
namespace {

using domain::AccountId;

// A plan that makes the same changes whatever the contact holds.
ContactPlan Always(const domain::ContactChanges& changes) {
  return [changes](const domain::Contact&) -> domain::Result<domain::ContactChanges> {
    return changes;
  };
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("contactd-test-" + domain::NewUuidV4());
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "test.db").string();
    store_ = std::make_unique<SqliteStore>(SqliteOptions{.path = path_});
    a_ = Account("A");
    b_ = Account("B");
    company_a_ = Company(a_, "Meridian");
    owner_ = User(a_, domain::Role::kAdmin);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  domain::UserId User(AccountId account, domain::Role role) {
    domain::User user;
    user.account = account;
    user.role = role;
    return store_->CreateUser(user, 100)->id;
  }
  AccountId Account(const std::string& name) {
    return store_->CreateAccount({{}, domain::NewUuidV4(), name, 1, {}})->id;
  }
  domain::CompanyId Company(AccountId account, const std::string& name) {
    return store_->CreateCompany(domain::NewCompany::Named(account, domain::NewUuidV4(), name, 1))
        ->id;
  }
  domain::Contact Contact(AccountId account, std::optional<domain::CompanyId> company,
                          std::string last_name, bool connected = true, bool primary = false) {
    domain::NewContact contact;
    contact.account = account;
    contact.company = company;
    contact.owner = owner_;
    contact.uid = domain::NewUuidV4();
    contact.contact_types = {"lender_contact"};
    if (!last_name.empty()) {
      contact.text[static_cast<std::size_t>(domain::TextField::kLastName)] = std::move(last_name);
    }
    contact.phones = {{"office", "(212) 555-0184", "US", "+12125550184", ""}};
    contact.is_connected = connected;
    contact.is_primary = primary;
    contact.now = 100;
    auto created = store_->CreateContact(contact, domain::WholeAccount(contact.account), {});
    if (!created) throw std::runtime_error(created.error().message);
    return *created;
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<SqliteStore> store_;
  AccountId a_, b_;
  domain::CompanyId company_a_;
  domain::UserId owner_;
};

TEST_F(SqliteStoreTest, DatabaseIsInWalMode) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

// A database at schema version 5 (before the union contact) gets the new fields: full names
// derived from names (migration 6), the flat address fields as the first address (migration 9),
// search words (migration 12).
TEST(SqliteMigration, ExistingContactsGetDerivedFullNamesAndTheirFirstAddress) {
  auto dir = std::filesystem::temp_directory_path() / ("contactd-test-" + domain::NewUuidV4());
  std::filesystem::create_directories(dir);
  std::string path = (dir / "v5.db").string();
  {
    Connection c(Connection::Options{.path = path});
    Migrate(c, 5);
    c.Exec("INSERT INTO accounts (id, uid, name, created_at) VALUES (1, 'a', 'A', 1);"
           "INSERT INTO contacts (id, account_id, uid, contact_type, contact_types, last_name, "
           "city, zip, created_at, updated_at) VALUES (7, 1, 'u7', 'sponsor', 'sponsor', 'Chen', "
           "'Austin', '78702', 1, 1);"
           "INSERT INTO contacts (id, account_id, uid, contact_type, contact_types, created_at, "
           "updated_at) VALUES (8, 1, 'u8', 'sponsor', 'sponsor', 1, 1);");
  }
  {
    SqliteStore store(SqliteOptions{.path = path});
    auto named = *store.FindContact(domain::WholeAccount(AccountId{1}), domain::ContactId{7});
    ASSERT_TRUE(named.has_value());
    EXPECT_EQ(named->Text(domain::TextField::kFullName), "Chen");
    EXPECT_FALSE(named->full_name_given);
    EXPECT_EQ(named->Text(domain::TextField::kStatus), "active");
    ASSERT_EQ(named->addresses.size(), 1u);
    EXPECT_EQ(named->addresses[0].id, 1);
    EXPECT_EQ(named->addresses[0].city, "Austin");
    EXPECT_EQ(named->addresses[0].postal_code, "78702");
    EXPECT_EQ(named->addresses[0].line1, std::nullopt);
    auto unnamed = *store.FindContact(domain::WholeAccount(AccountId{1}), domain::ContactId{8});
    EXPECT_FALSE(unnamed->Text(domain::TextField::kFullName));
    EXPECT_TRUE(unnamed->addresses.empty());
    domain::ListQuery query;
    query.connected = domain::Connected::kAll;
    query.filters.push_back({&*std::find_if(domain::ContactQueryFields().begin(),
                                            domain::ContactQueryFields().end(),
                                            [](const auto& f) { return f.name == "full_name"; }),
                             domain::FilterOp::kEq, {std::string("chen")}, {}, 0});
    auto page = store.ListContacts(domain::WholeAccount(AccountId{1}), query);
    ASSERT_TRUE(page.has_value());
    ASSERT_EQ(page->items.size(), 1u);
    EXPECT_EQ(page->items[0].id.value, 7);
    // Indexed for search when the store opened the file (migration 12's pending flag).
    domain::ListQuery search;
    search.connected = domain::Connected::kAll;
    search.search = *domain::ParseSearch("che");
    auto found = store.ListContacts(domain::WholeAccount(AccountId{1}), search);
    ASSERT_TRUE(found.has_value());
    ASSERT_EQ(found->items.size(), 1u);
    EXPECT_EQ(found->items[0].id.value, 7);
  }
  std::filesystem::remove_all(dir);
}

// Users and tokens from before migration 17 keep working: the token gets an id and no scopes,
// the user the account visibility.
TEST(SqliteMigration, TokensFromBeforeIdsKeepWorking) {
  auto dir = std::filesystem::temp_directory_path() / ("contactd-test-" + domain::NewUuidV4());
  std::filesystem::create_directories(dir);
  std::string path = (dir / "v16.db").string();
  std::string hash = domain::Sha256Hex("old token");
  {
    Connection c(Connection::Options{.path = path});
    Migrate(c, 16);
    c.Exec(("INSERT INTO accounts (id, uid, name, created_at) VALUES (1, 'a', 'A', 1);"
            "INSERT INTO users (id, account_id, role, created_at) VALUES (3, 1, 'editor', 5);"
            "INSERT INTO tokens (hash, user_id, created_at) VALUES ('" + hash + "', 3, 5);")
               .c_str());
  }
  {
    SqliteStore store(SqliteOptions{.path = path});
    auto principal = store.FindPrincipal(hash);
    ASSERT_TRUE(principal.has_value() && principal->has_value());
    EXPECT_EQ((*principal)->user.value, 3);
    EXPECT_EQ((*principal)->role, domain::Role::kEditor);
    EXPECT_EQ((*principal)->visibility, domain::Visibility::kAccount);
    EXPECT_EQ((*principal)->scopes, domain::kAllScopes);
    auto tokens = store.ListTokens(AccountId{1}, domain::UserId{3});
    ASSERT_EQ(tokens->size(), 1u);
    EXPECT_EQ((*tokens)[0].id, (*principal)->token);
    EXPECT_TRUE((*tokens)[0].scopes.empty());
    EXPECT_EQ(store.FindUser(AccountId{1}, domain::UserId{3})->value().updated_at, 5);
  }
  std::filesystem::remove_all(dir);
}

// A webhook's failing streak from before migration 21 (seconds) keeps its moment, in milliseconds.
TEST(SqliteMigration, FailingStreaksMoveToMilliseconds) {
  auto dir = std::filesystem::temp_directory_path() / ("contactd-test-" + domain::NewUuidV4());
  std::filesystem::create_directories(dir);
  std::string path = (dir / "v20.db").string();
  {
    Connection c(Connection::Options{.path = path});
    Migrate(c, 20);
    c.Exec("INSERT INTO accounts (id, uid, name, created_at) VALUES (1, 'a', 'A', 1);"
           "INSERT INTO webhooks (id, account_id, url, events, secret, last_event_id, "
           "failing_since, last_failure_at, created_at, updated_at) VALUES (4, 1, "
           "'http://h.example/', '*', 'whsec_AAAA', 0, 1700000000, 1700000050, 1, 1);"
           "INSERT INTO deliveries (webhook_id, event_id, kind, next_attempt_at, created_at) "
           "VALUES (4, 0, 'ping', 5, 5);");
  }
  {
    SqliteStore store(SqliteOptions{.path = path});
    auto due = store.DueDeliveries(1000, 10, 8, {});
    ASSERT_TRUE(due.has_value());
    ASSERT_EQ(due->size(), 1u);
    EXPECT_EQ((*due)[0].failing_since_ms, 1700000000000);
  }
  std::filesystem::remove_all(dir);
}

// A contact deleted before migration 9 comes back with its flat address as its first address.
TEST(SqliteMigration, SnapshotsFromBeforeAddressesGetTheirFirstAddress) {
  auto dir = std::filesystem::temp_directory_path() / ("contactd-test-" + domain::NewUuidV4());
  std::filesystem::create_directories(dir);
  std::string path = (dir / "v8.db").string();
  {
    Connection c(Connection::Options{.path = path});
    Migrate(c, 8);
    // A snapshot as version 8 kept it: no addresses (columns it lacks read their defaults).
    c.Exec("INSERT INTO accounts (id, uid, name, created_at) VALUES (1, 'a', 'A', 1);"
           "INSERT INTO deleted_contacts (id, account_id, uid, deleted_at, data) VALUES "
           "(9, 1, 'u9', strftime('%s'), json_object('id', 9, 'account_id', 1, 'uid', 'u9', "
           "'contact_type', 'sponsor', 'contact_types', 'sponsor', 'city', 'Austin', "
           "'created_at', 1, 'updated_at', 1));");
  }
  SqliteStore store(SqliteOptions{.path = path});
  domain::ListQuery query;
  auto listed = store.ListDeletedContacts(AccountId{1}, query, 0);
  ASSERT_TRUE(listed.has_value()) << listed.error().message;
  ASSERT_EQ(listed->items.size(), 1u);
  ASSERT_EQ(listed->items[0].addresses.size(), 1u);
  EXPECT_EQ(listed->items[0].addresses[0].city, "Austin");
  std::filesystem::remove_all(dir);
}

TEST_F(SqliteStoreTest, ReopeningKeepsDataAndSchema) {
  auto created = Contact(a_, company_a_, "Chen");
  store_.reset();
  store_ = std::make_unique<SqliteStore>(SqliteOptions{.path = path_});
  auto found = store_->FindContact(domain::WholeAccount(a_), created.id);
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->phones, created.phones);
  EXPECT_EQ((*found)->Text(domain::TextField::kLastName), "Chen");
}

TEST_F(SqliteStoreTest, ContactsAreScopedToAccount) {
  auto contact = Contact(a_, company_a_, "Chen");
  EXPECT_FALSE(store_->FindContact(domain::WholeAccount(b_), contact.id)->has_value());
  domain::ListQuery query;
  auto page = store_->ListContacts(domain::WholeAccount(b_), query);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->total, 0);
  EXPECT_TRUE(page->items.empty());
  domain::ContactChanges changes;
  changes.is_connected = false;
  changes.now = 200;
  EXPECT_FALSE(store_->UpdateContact(domain::WholeAccount(b_), contact.id, Always(changes))->has_value());
  EXPECT_TRUE((*store_->FindContact(domain::WholeAccount(a_), contact.id))->is_connected);
  EXPECT_FALSE(store_->FindCompany(b_, company_a_)->has_value());
}

TEST_F(SqliteStoreTest, UpdatePlanSeesTheStoredContactAndItsErrorWritesNothing) {
  auto contact = Contact(a_, company_a_, "Chen");
  auto failing = [](const domain::Contact& current) -> domain::Result<domain::ContactChanges> {
    EXPECT_EQ(current.Text(domain::TextField::kLastName), "Chen");
    return std::unexpected(domain::Error::Conflict("no"));
  };
  auto result = store_->UpdateContact(domain::WholeAccount(a_), contact.id, failing);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, domain::ErrorCode::kConflict);
  EXPECT_EQ((*store_->FindContact(domain::WholeAccount(a_), contact.id))->updated_at, contact.updated_at);
}

TEST_F(SqliteStoreTest, NestedFieldsRoundTrip) {
  auto contact = Contact(a_, company_a_, "Chen");
  domain::ContactChanges changes;
  changes.spouse = domain::Spouse{"Melinda", std::nullopt, "+16045551124", "1964-08-15",
                                  "1 (604) 555-1124"};
  changes.dnd = true;
  changes.dnd_settings = std::vector<domain::DndChannel>{
      {"email", "active", std::nullopt, std::nullopt}, {"sms", "permanent", "STOP", "101"}};
  changes.full_name_given = true;
  changes.text[static_cast<std::size_t>(domain::TextField::kFullName)] = std::string("Dr. Chen");
  changes.now = 300;
  auto updated = store_->UpdateContact(domain::WholeAccount(a_), contact.id, Always(changes));
  ASSERT_TRUE(updated.has_value() && updated->has_value());
  auto found = *store_->FindContact(domain::WholeAccount(a_), contact.id);
  EXPECT_EQ(found->spouse, changes.spouse->value());
  EXPECT_TRUE(found->dnd);
  EXPECT_EQ(found->dnd_settings, *changes.dnd_settings);
  EXPECT_TRUE(found->full_name_given);
  EXPECT_EQ(found->Text(domain::TextField::kFullName), "Dr. Chen");
  EXPECT_EQ(found->Text(domain::TextField::kStatus), "active");  // NewContact's default
}

TEST_F(SqliteStoreTest, PurgeErasesOnlyExpiredSnapshotsAndKeepsTheirTombstones) {
  auto recent = Contact(a_, company_a_, "Recent");
  auto old_one = Contact(a_, company_a_, "Old");  // the highest id
  auto allow = [](const domain::Contact&) -> domain::Result<void> { return {}; };
  ASSERT_TRUE(*store_->DeleteContact(domain::WholeAccount(a_), old_one.id, allow, /*permanent=*/false, 1000));
  ASSERT_TRUE(*store_->DeleteContact(domain::WholeAccount(a_), recent.id, allow, /*permanent=*/false, 5000));
  EXPECT_EQ(*store_->PurgeDeletedContacts(2000), 1);
  domain::ListQuery query;
  auto deleted = store_->ListDeletedContacts(a_, query, 0);
  ASSERT_TRUE(deleted.has_value());
  ASSERT_EQ(deleted->items.size(), 1u);
  EXPECT_EQ(deleted->items[0].id, recent.id);
  EXPECT_EQ(deleted->items[0].deleted_at, 5000);
  EXPECT_FALSE(store_->RestoreContact(a_, old_one.id, 0, 6000)->has_value());
  // Restorable only within the window the caller gives.
  EXPECT_FALSE(store_->RestoreContact(a_, recent.id, 5001, 6000)->has_value());
  auto restored = store_->RestoreContact(a_, recent.id, 4000, 6000);
  ASSERT_TRUE(restored.has_value() && restored->has_value());
  EXPECT_EQ((*restored)->Text(domain::TextField::kLastName), "Recent");
  // The purged (highest) id is not given again.
  EXPECT_GT(Contact(a_, company_a_, "New").id.value, old_one.id.value);
}

// A snapshot taken before a migration added a NOT NULL column restores with the column's default.
TEST_F(SqliteStoreTest, RestoreFillsColumnsAddedAfterTheSnapshotWithTheirDefaults) {
  auto contact = Contact(a_, company_a_, "Chen");
  auto allow = [](const domain::Contact&) -> domain::Result<void> { return {}; };
  ASSERT_TRUE(*store_->DeleteContact(domain::WholeAccount(a_), contact.id, allow, /*permanent=*/false, 1000));
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "ALTER TABLE contacts ADD COLUMN later TEXT NOT NULL DEFAULT 'x'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  store_ = std::make_unique<SqliteStore>(SqliteOptions{.path = path_});
  // Listed too (a snapshot without a column reads its default: here also without addresses).
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE deleted_contacts SET data = json_remove(data, '$.addresses')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  domain::ListQuery query;
  auto listed = store_->ListDeletedContacts(a_, query, 0);
  ASSERT_TRUE(listed.has_value()) << listed.error().message;
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_TRUE(listed->items[0].addresses.empty());
  auto restored = store_->RestoreContact(a_, contact.id, 0, 2000);
  ASSERT_TRUE(restored.has_value()) << restored.error().message;
  ASSERT_TRUE(restored->has_value());
  EXPECT_EQ((*restored)->Text(domain::TextField::kLastName), "Chen");
  EXPECT_EQ((*restored)->spouse, std::nullopt);  // a NULL column stays NULL
}

TEST_F(SqliteStoreTest, PrimaryContactIsUniquePerCompany) {
  auto first = Contact(a_, company_a_, "One", true, true);
  auto second = Contact(a_, company_a_, "Two", true, true);
  EXPECT_FALSE((*store_->FindContact(domain::WholeAccount(a_), first.id))->is_primary);
  EXPECT_TRUE((*store_->FindContact(domain::WholeAccount(a_), second.id))->is_primary);
  EXPECT_EQ((*store_->FindCompany(a_, company_a_))->primary_contact, second.id);
}

TEST_F(SqliteStoreTest, UpdateChangesOnlyGivenFields) {
  auto contact = Contact(a_, company_a_, "Chen");
  domain::ContactChanges changes;
  changes.text[static_cast<std::size_t>(domain::TextField::kTitle)] = std::string("EVP");
  changes.text[static_cast<std::size_t>(domain::TextField::kLastName)] =
      std::optional<std::string>();  // null clears
  changes.phones = std::vector<domain::Phone>{};
  changes.now = 500;
  auto updated = store_->UpdateContact(domain::WholeAccount(a_), contact.id, Always(changes));
  ASSERT_TRUE(updated.has_value() && updated->has_value());
  EXPECT_EQ((*updated)->Text(domain::TextField::kTitle), "EVP");
  EXPECT_FALSE((*updated)->Text(domain::TextField::kLastName).has_value());
  EXPECT_TRUE((*updated)->phones.empty());
  EXPECT_EQ((*updated)->created_at, 100);
  EXPECT_EQ((*updated)->updated_at, 500);
  EXPECT_TRUE((*updated)->is_connected);
}

// Every field the domain lets lists filter and sort on has SQL that runs, on each query path:
// the account's list, its sorted merge of connected and unconnected contacts, a restricted
// user's list, and inside $or branches.
TEST_F(SqliteStoreTest, EveryQueryFieldFiltersAndSortsOnEveryPath) {
  Contact(a_, company_a_, "Chen");
  domain::UserId user = User(a_, domain::Role::kEditor);
  for (const domain::QueryField& field : domain::ContactQueryFields()) {
    if (field.kind == domain::FieldKind::kCustom) continue;  // needs a definition's id
    bool numeric = field.kind == domain::FieldKind::kInteger ||
                   field.kind == domain::FieldKind::kBool ||
                   field.kind == domain::FieldKind::kTimestamp ||
                   field.kind == domain::FieldKind::kTypeSet;
    domain::FilterValue value = numeric ? domain::FilterValue{std::int64_t{1}}
                                        : domain::FilterValue{std::string("x")};
    std::vector<domain::FilterOp> ops = {domain::FilterOp::kEq, domain::FilterOp::kNin,
                                         domain::FilterOp::kExists,
                                         domain::FilterOp::kNotExists};
    if (field.kind == domain::FieldKind::kText) {
      ops.insert(ops.end(), {domain::FilterOp::kContains, domain::FilterOp::kNotContains});
    }
    for (domain::FilterOp op : ops) {
      bool valueless = op == domain::FilterOp::kExists || op == domain::FilterOp::kNotExists;
      std::vector<domain::FilterValue> values;
      if (!valueless) values.push_back(value);
      domain::ListQuery query;
      query.filters.push_back({&field, op, values, "", 0});
      query.any_of = {{{&field, op, values, "", 0}}, {{&field, domain::FilterOp::kNe, {value},
                                                       "", 0}}};
      if (field.kind != domain::FieldKind::kPhone) query.sort.push_back({&field, true});
      for (domain::Connected connected :
           {domain::Connected::kOnlyConnected, domain::Connected::kAll}) {
        query.connected = connected;
        for (const domain::ContactScope& scope :
             {domain::WholeAccount(a_), domain::ContactScope{a_, user}}) {
          auto page = store_->ListContacts(scope, query);
          EXPECT_TRUE(page.has_value()) << field.name << ": " << page.error().message;
        }
      }
    }
  }
}

TEST_F(SqliteStoreTest, ExistsAndContainsMatchWhatTheContactsHold) {
  Contact(a_, company_a_, "Chen");
  Contact(a_, company_a_, "Gateschen");
  Contact(a_, std::nullopt, "");  // no last name, no company
  domain::CursorCodec codec("k");
  domain::UserId user = User(a_, domain::Role::kEditor);
  // The account's path, and the restricted one of a user who owns them all.
  for (const domain::ContactScope& scope :
       {domain::WholeAccount(a_), domain::ContactScope{a_, owner_}}) {
    auto total = [&](domain::QueryParams params) {
      static constexpr std::array<std::string_view, 1> kFields = {"id"};
      auto query = domain::ParseContactListQuery(params, codec, kFields);
      if (!query) throw std::runtime_error(query.error().message);
      return store_->ListContacts(scope, *query)->total;
    };
    EXPECT_EQ(total({{"last_name[$exists]", "true"}}), 2);
    EXPECT_EQ(total({{"last_name[$exists]", "false"}}), 1);
    EXPECT_EQ(total({{"company_name[$exists]", "true"}}), 2);
    EXPECT_EQ(total({{"phone[$exists]", "true"}}), 3);
    EXPECT_EQ(total({{"tags[$exists]", "true"}}), 0);
    EXPECT_EQ(total({{"tags[$exists]", "false"}}), 3);
    EXPECT_EQ(total({{"contact_type[$exists]", "true"}}), 3);
    EXPECT_EQ(total({{"last_name[$contains]", "CHEN"}}), 2);  // folded, anywhere in the text
    EXPECT_EQ(total({{"last_name[$contains]", "gates"}}), 1);
    // Not containing also matches a contact without the field.
    EXPECT_EQ(total({{"last_name[$ncontains]", "gates"}}), 2);
  }
  // An `own` user sees none of the owner's contacts: the same conditions match none.
  domain::ListQuery query;
  query.filters.push_back({&*std::find_if(domain::ContactQueryFields().begin(),
                                          domain::ContactQueryFields().end(),
                                          [](const auto& f) { return f.name == "tags"; }),
                           domain::FilterOp::kNotExists, {}, "", 0});
  EXPECT_EQ(store_->ListContacts({a_, user}, query)->total, 0);
}

TEST_F(SqliteStoreTest, ListFiltersCountsAndPagesByKeyset) {
  for (int i = 0; i < 5; ++i) Contact(a_, company_a_, i % 2 == 0 ? "Chen" : "Gates");
  Contact(a_, company_a_, "");  // no last name
  Contact(a_, company_a_, "Chen", /*connected=*/false);

  domain::CursorCodec codec("k");
  auto parse = [&](domain::QueryParams params) {
    static constexpr std::array<std::string_view, 1> kFields = {"id"};
    return *domain::ParseContactListQuery(params, codec, kFields);
  };
  auto chen = store_->ListContacts(domain::WholeAccount(a_), parse({{"last_name", "chen"}}));  // case-insensitive
  EXPECT_EQ(chen->total, 3);
  auto not_chen = store_->ListContacts(domain::WholeAccount(a_), parse({{"last_name[$ne]", "Chen"}}));
  EXPECT_EQ(not_chen->total, 3);  // two Gates and the one without a last name
  auto all = store_->ListContacts(domain::WholeAccount(a_), parse({{"is_connected", "all"}, {"last_name", "Chen"}}));
  EXPECT_EQ(all->total, 4);

  auto first = store_->ListContacts(domain::WholeAccount(a_), parse({{"limit", "4"}}));
  EXPECT_EQ(first->items.size(), 4u);
  EXPECT_TRUE(first->has_more);
  auto query = parse({{"limit", "4"}});
  query.after_id = first->items.back().id.value;
  auto second = store_->ListContacts(domain::WholeAccount(a_), query);
  EXPECT_EQ(second->items.size(), 2u);
  EXPECT_FALSE(second->has_more);
  EXPECT_EQ(second->total, 6);
  EXPECT_GT(second->items.front().id, first->items.back().id);
}

TEST_F(SqliteStoreTest, UnfilteredTotalsFollowInsertsAndConnectedChanges) {
  auto total = [&](AccountId account, domain::Connected connected) {
    domain::ListQuery query;
    query.connected = connected;
    return store_->ListContacts(domain::WholeAccount(account), query)->total;
  };
  auto one = Contact(a_, company_a_, "One", /*connected=*/true);
  Contact(a_, company_a_, "Two", /*connected=*/false);
  Contact(a_, company_a_, "Three", /*connected=*/false);
  Contact(b_, std::nullopt, "Other", /*connected=*/true);
  EXPECT_EQ(total(a_, domain::Connected::kOnlyConnected), 1);
  EXPECT_EQ(total(a_, domain::Connected::kOnlyUnconnected), 2);
  EXPECT_EQ(total(a_, domain::Connected::kAll), 3);
  EXPECT_EQ(total(b_, domain::Connected::kAll), 1);

  domain::ContactChanges changes;
  changes.is_connected = false;
  changes.now = 300;
  ASSERT_TRUE(store_->UpdateContact(domain::WholeAccount(a_), one.id, Always(changes))->has_value());
  EXPECT_EQ(total(a_, domain::Connected::kOnlyConnected), 0);
  EXPECT_EQ(total(a_, domain::Connected::kOnlyUnconnected), 3);
  // No change, no drift.
  ASSERT_TRUE(store_->UpdateContact(domain::WholeAccount(a_), one.id, Always(changes))->has_value());
  EXPECT_EQ(total(a_, domain::Connected::kOnlyUnconnected), 3);
  EXPECT_EQ(total(a_, domain::Connected::kAll), 3);
}

TEST_F(SqliteStoreTest, SortsWithOffset) {
  Contact(a_, company_a_, "Brown");
  Contact(a_, company_a_, "adams");
  Contact(a_, company_a_, "Clark");
  domain::CursorCodec codec("k");
  static constexpr std::array<std::string_view, 1> kFields = {"id"};
  auto query = *domain::ParseContactListQuery({{"sort", "-last_name"}, {"offset", "1"}}, codec,
                                              kFields);
  auto page = store_->ListContacts(domain::WholeAccount(a_), query);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].Text(domain::TextField::kLastName), "Brown");
  EXPECT_EQ(page->items[1].Text(domain::TextField::kLastName), "adams");
}

TEST_F(SqliteStoreTest, TokensResolveToPrincipalsUntilRevoked) {
  std::string hash = domain::Sha256Hex("token");
  domain::UserId user = User(a_, domain::Role::kEditor);
  domain::Token token;
  token.user = user;
  token.account = a_;
  token.scopes = {"contacts.readonly", "made.up"};
  auto created = store_->CreateToken(token, hash, 100);
  ASSERT_TRUE(created.has_value());
  auto principal = store_->FindPrincipal(hash);
  ASSERT_TRUE(principal.has_value() && principal->has_value());
  EXPECT_EQ((*principal)->account, a_);
  EXPECT_EQ((*principal)->user, user);
  EXPECT_EQ((*principal)->role, domain::Role::kEditor);
  EXPECT_EQ((*principal)->token, created->id);
  // An unknown scope name grants nothing.
  EXPECT_EQ((*principal)->scopes, std::uint32_t{domain::kContactsRead});
  EXPECT_FALSE(store_->FindPrincipal(domain::Sha256Hex("other"))->has_value());
  // Another account cannot revoke it; its own can, and it stops resolving.
  EXPECT_FALSE(*store_->RevokeToken(b_, created->id));
  EXPECT_TRUE(*store_->RevokeToken(a_, created->id));
  EXPECT_FALSE(store_->FindPrincipal(hash)->has_value());
}

TEST_F(SqliteStoreTest, AnAccountKeepsOneAdminAndEmailsAreUnique) {
  domain::User user;
  user.account = a_;
  user.email = "Ann@Example.com";
  ASSERT_TRUE(store_->CreateUser(user, 100).has_value());
  user.email = "ann@example.COM";
  auto taken = store_->CreateUser(user, 100);
  ASSERT_FALSE(taken.has_value());
  EXPECT_EQ(taken.error().code, domain::ErrorCode::kConflict);
  user.account = b_;
  EXPECT_TRUE(store_->CreateUser(user, 100).has_value());  // another account's is no conflict

  domain::UserChanges demote;
  demote.role = domain::Role::kEditor;
  auto accept = [](const domain::User&) -> domain::Result<void> { return {}; };
  auto refused = store_->UpdateUser(a_, owner_, demote, accept);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().fields.front().field, "role");
  EXPECT_EQ(store_->FindUser(a_, owner_)->value().role, domain::Role::kAdmin);
  User(a_, domain::Role::kAdmin);
  EXPECT_EQ(store_->UpdateUser(a_, owner_, demote, accept)->value().role, domain::Role::kEditor);
  EXPECT_FALSE(store_->UpdateUser(b_, owner_, demote, accept)->has_value());
}

TEST_F(SqliteStoreTest, ARestrictedScopeSeesWhatItsUserOwnsIsAssignedOrWasSharedOnly) {
  domain::UserId ann = User(a_, domain::Role::kEditor);
  domain::ContactScope scope{a_, ann};
  domain::Contact owned_by_other = Contact(a_, company_a_, "Other");
  domain::Contact shared = Contact(a_, company_a_, "Shared");
  domain::Contact assigned = Contact(a_, company_a_, "Assigned");
  auto allow = [](const domain::Contact&) -> domain::Result<void> { return {}; };
  ASSERT_TRUE(store_->ShareContact(domain::WholeAccount(a_), shared.id, ann, 5, 100, allow)
                  ->has_value());
  domain::ContactChanges assign;
  assign.assigned = std::optional<domain::UserId>(ann);
  assign.now = 5;
  ASSERT_TRUE(store_->UpdateContact(domain::WholeAccount(a_), assigned.id, Always(assign))
                  ->has_value());

  EXPECT_FALSE(store_->FindContact(scope, owned_by_other.id)->has_value());
  EXPECT_TRUE(store_->FindContact(scope, shared.id)->has_value());
  EXPECT_TRUE(store_->FindContact(scope, assigned.id)->has_value());
  domain::ListQuery query;
  auto page = store_->ListContacts(scope, query);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, shared.id);
  EXPECT_EQ(page->items[1].id, assigned.id);
  // Writes outside the scope find nothing and change nothing.
  domain::ContactChanges title;
  title.text[static_cast<std::size_t>(domain::TextField::kTitle)] =
      std::optional<std::string>("x");
  title.now = 6;
  EXPECT_FALSE(store_->UpdateContact(scope, owned_by_other.id, Always(title))->has_value());
  EXPECT_FALSE(*store_->DeleteContact(scope, owned_by_other.id, allow, false, 6));
  EXPECT_FALSE(store_->ListShares(scope, owned_by_other.id)->has_value());
  // Soft deletes keep shares (a restore brings them back); erasing drops them.
  ASSERT_TRUE(*store_->DeleteContact(domain::WholeAccount(a_), shared.id, allow, false, 7));
  ASSERT_TRUE(store_->RestoreContact(a_, shared.id, 0, 8)->has_value());
  EXPECT_TRUE(store_->FindContact(scope, shared.id)->has_value());
  ASSERT_TRUE(*store_->DeleteContact(domain::WholeAccount(a_), shared.id, allow, true, 9));
  EXPECT_EQ(store_->ListShares(domain::WholeAccount(a_), shared.id)->has_value(), false);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM contact_shares", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(stmt, 0), 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

// The SQL a restricted list runs starts from the user's contacts and looks up each one's tag
// entries, so that it costs what the user sees, not the account's match.
TEST_F(SqliteStoreTest, RestrictedListsStartFromTheUsersContacts) {
  domain::CursorCodec codec("secret");
  std::vector<std::string_view> fields{"id"};
  auto query = *domain::ParseContactListQuery(
      {{"tags", "vip"}, {"sort", "last_name"}, {"phone", "+12125550184"}}, codec, fields);
  ListSql sql = ContactListSql({a_, domain::UserId{5}}, query, /*with_cursor=*/true);
  Connection c(Connection::Options{.path = path_});
  Statement stmt = c.Prepare("EXPLAIN QUERY PLAN SELECT id FROM " + sql.from + " WHERE " +
                             sql.where + " ORDER BY " + sql.order_by + " LIMIT 51");
  for (std::size_t i = 0; i < sql.params.size(); ++i) {
    std::visit([&](const auto& v) { stmt.Bind(static_cast<int>(i) + 1, v); }, sql.params[i]);
  }
  std::string plan;
  while (stmt.Step()) plan += stmt.Text(3) + " | ";
  EXPECT_NE(plan.find("COVERING INDEX contacts_owner"), std::string::npos) << plan;
  EXPECT_NE(plan.find("SCAN visible"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SCAN contacts"), std::string::npos) << plan;
  EXPECT_NE(plan.find("contact_tags USING PRIMARY KEY (account_id=? AND tag_key=? AND "
                      "contact_id=?)"),
            std::string::npos)
      << plan;
  EXPECT_NE(plan.find("contact_phones USING PRIMARY KEY (account_id=? AND e164=? AND "
                      "contact_id=?)"),
            std::string::npos)
      << plan;
}



TEST_F(SqliteStoreTest, ConcurrentWritesShareCommitsAndFailAlone) {
  // Writers on many threads join commit groups; a write that fails inside a group (a company of
  // no account: foreign key violation) changes nothing and fails only itself.
  constexpr int kThreads = 16;
  constexpr int kPerThread = 40;
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        bool bad = i % 10 == 0;
        domain::NewContact contact;
        contact.account = a_;
        contact.company = bad ? domain::CompanyId{987654} : company_a_;
        contact.uid = domain::NewUuidV4();
        contact.contact_types = {"lender_contact"};
        contact.text[static_cast<std::size_t>(domain::TextField::kLastName)] =
            "T" + std::to_string(t);
        contact.is_connected = true;
        contact.now = 100;
        auto created = store_->CreateContact(contact, domain::WholeAccount(contact.account), {});
        if (bad) {
          EXPECT_FALSE(created.has_value());
          if (!created) ++failed;
        } else {
          ASSERT_TRUE(created.has_value()) << created.error().message;
          EXPECT_EQ(created->account, a_);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), kThreads * kPerThread / 10);
  domain::ListQuery query;
  auto page = store_->ListContacts(domain::WholeAccount(a_), query);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->total, kThreads * kPerThread * 9 / 10);
  // The total kept by triggers agrees with the rows: rolled-back writes left no trace.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM contacts WHERE account_id = ?", -1, &stmt, nullptr);
  sqlite3_bind_int64(stmt, 1, a_.value);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(stmt, 0), kThreads * kPerThread * 9 / 10);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, UpdateOfAMissingContactInAGroupChangesNothing) {
  domain::Contact kept = Contact(a_, company_a_, "Kept");
  domain::ContactChanges changes;
  changes.now = 200;
  changes.text[static_cast<std::size_t>(domain::TextField::kTitle)] = std::string("Partner");
  auto missing =
      store_->UpdateContact(domain::WholeAccount(a_), domain::ContactId{kept.id.value + 1000}, Always(changes));
  ASSERT_TRUE(missing.has_value());
  EXPECT_FALSE(missing->has_value());
  auto other_account = store_->UpdateContact(domain::WholeAccount(b_), kept.id, Always(changes));
  ASSERT_TRUE(other_account.has_value());
  EXPECT_FALSE(other_account->has_value());
  auto updated = store_->UpdateContact(domain::WholeAccount(a_), kept.id, Always(changes));
  ASSERT_TRUE(updated.has_value() && updated->has_value());
  EXPECT_EQ((*updated)->updated_at, 200);
}

TEST_F(SqliteStoreTest, FilteredTotalsFollowEveryCommitWhoeverMakesIt) {
  // Totals of filtered lists are kept per connection between commits: each kind of commit must
  // show in the next identical list.
  domain::CursorCodec codec("k");
  auto chens = [&] {
    static constexpr std::array<std::string_view, 1> kFields = {"id"};
    auto query = *domain::ParseContactListQuery({{"last_name", "Chen"}}, codec, kFields);
    return store_->ListContacts(domain::WholeAccount(a_), query)->total;
  };
  Contact(a_, company_a_, "Chen");
  EXPECT_EQ(chens(), 1);
  EXPECT_EQ(chens(), 1);
  Contact(a_, company_a_, "Chen");  // through the store (possibly the same connection)
  EXPECT_EQ(chens(), 2);

  // Another connection, as another process would write.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  std::string insert =
      "INSERT INTO contacts (account_id, uid, contact_type, contact_types, last_name, "
      "last_name_key, is_connected, created_at, updated_at) VALUES (" + std::to_string(a_.value) +
      ", 'outside-uid', 'sponsor', 'sponsor', 'Chen', 'chen', 1, 1, 1)";
  ASSERT_EQ(sqlite3_exec(db, insert.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_EQ(chens(), 3);
  ASSERT_EQ(sqlite3_exec(db, "DELETE FROM contacts WHERE uid = 'outside-uid'", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(chens(), 2);

  // An update that moves a contact out of the match.
  domain::Contact renamed = Contact(a_, company_a_, "Chen");
  EXPECT_EQ(chens(), 3);
  domain::ContactChanges changes;
  changes.now = 300;
  changes.text[static_cast<std::size_t>(domain::TextField::kLastName)] = std::string("Gates");
  ASSERT_TRUE(store_->UpdateContact(domain::WholeAccount(a_), renamed.id, Always(changes)).has_value());
  EXPECT_EQ(chens(), 2);
}

}  // namespace
}  // namespace contactd::store::sqlite

namespace contactd::store::sqlite {
namespace {

// A write unit's writes are one transaction: gone when it ends without Commit, all there after
// it; meanwhile a write of another thread waits for it, and reads of its own thread see them.
TEST_F(SqliteStoreTest, AWriteUnitCommitsAllOrNothingAndWritersWaitForIt) {
  std::optional<domain::ContactId> rolled_back;
  {
    auto unit = store_->BeginWriteUnit();
    ASSERT_TRUE(unit.has_value());
    rolled_back = Contact(a_, company_a_, "Gone").id;
    auto seen = store_->FindContact(domain::WholeAccount(a_), *rolled_back);
    ASSERT_TRUE(seen.has_value() && seen->has_value());  // its own reads see it
  }
  auto after = store_->FindContact(domain::WholeAccount(a_), *rolled_back);
  ASSERT_TRUE(after.has_value());
  EXPECT_FALSE(after->has_value());

  auto unit = store_->BeginWriteUnit();
  ASSERT_TRUE(unit.has_value());
  domain::ContactId kept = Contact(a_, company_a_, "Kept").id;
  std::atomic<bool> other_done{false};
  std::thread other([&] {
    Company(b_, "Waits");  // an ordinary write of another thread
    other_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(other_done.load());  // behind the unit in the writers' queue
  ASSERT_TRUE((*unit)->Commit().has_value());
  unit->reset();
  other.join();
  EXPECT_TRUE(other_done.load());
  auto found = store_->FindContact(domain::WholeAccount(a_), kept);
  ASSERT_TRUE(found.has_value() && found->has_value());
}

}  // namespace
}  // namespace contactd::store::sqlite

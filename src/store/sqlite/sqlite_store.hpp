#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/memory_rate_buckets.hpp"
#include "store/sqlite/filter_sql.hpp"
#include "store/store.hpp"

namespace contactd::store::sqlite {

class Connection;
struct ContactDelta;

struct SqliteOptions {
  // Database file; created with its schema when missing and `create_if_missing`.
  std::string path = "data/contactd.db";
  // Otherwise a missing file fails the store's construction and nothing is created.
  bool create_if_missing = true;
  // How long a statement waits for another connection's write lock before failing busy.
  int busy_timeout_ms = 5000;
  // Page cache of each connection, in KiB. Bulk imports want a large one: index pages stay in
  // memory instead of being re-read for every row.
  int cache_kib = 8 * 1024;
};

// The embedded store: one SQLite file in WAL mode (readers never block the writer), synchronous
// FULL (a committed write survives a crash of the process or the machine); concurrent writes
// share commits (see Write). Thread-safe: each call
// borrows a connection from a pool, so calls on different threads run in parallel.
class SqliteStore final : public Store {
 public:
  // Opens the file and migrates it. Throws std::runtime_error if it cannot.
  explicit SqliteStore(SqliteOptions options);
  ~SqliteStore() override;

  domain::Result<void> Ping() override;
  domain::Result<std::string> CursorSecret() override;

  domain::Result<domain::Account> CreateAccount(const domain::Account& account) override;
  domain::Result<std::optional<domain::Account>> FindAccount(domain::AccountId id) override;
  domain::Result<bool> SetAccountRates(domain::AccountId id,
                                       const std::optional<domain::RateSetting>& sustained,
                                       const std::optional<domain::RateSetting>& burst) override;
  domain::Result<domain::IdempotencyClaim> ClaimIdempotencyKey(
      const domain::IdempotentRequest& request, std::int64_t now_ms, std::int64_t lease_until_ms,
      std::int64_t kept_since_ms) override;
  domain::Result<void> SaveIdempotentAnswer(const domain::IdempotentRequest& request,
                                            const domain::StoredAnswer& answer) override;
  domain::Result<void> ReleaseIdempotencyKey(const domain::IdempotentRequest& request) override;
  domain::Result<std::int64_t> PurgeIdempotencyKeys(std::int64_t before_ms) override;
  domain::Result<std::unique_ptr<WriteUnit>> BeginWriteUnit() override;
  domain::Result<domain::RateDecision> TakeRate(std::string_view key,
                                                const domain::RatePolicy& policy,
                                                std::int64_t now_ms, bool consume) override;
  domain::Result<std::int64_t> CountAccounts() override;
  domain::Result<domain::User> CreateUser(const domain::User& user,
                                          std::size_t max_per_account) override;
  domain::Result<std::optional<domain::User>> FindUser(domain::AccountId account,
                                                       domain::UserId id) override;
  domain::Result<std::optional<domain::User>> FindUserById(domain::UserId id) override;
  domain::Result<Page<domain::User>> ListUsers(domain::AccountId account,
                                               const domain::ListQuery& query) override;
  domain::Result<std::optional<domain::User>> UpdateUser(domain::AccountId account,
                                                         domain::UserId id,
                                                         const domain::UserChanges& changes,
                                                         const UserCheck& check) override;
  domain::Result<domain::Token> CreateToken(const domain::Token& token, std::string_view hash,
                                            std::size_t max_per_user) override;
  domain::Result<std::vector<domain::Token>> ListTokens(domain::AccountId account,
                                                        domain::UserId user) override;
  domain::Result<std::optional<domain::Token>> FindToken(domain::TokenId id) override;
  domain::Result<bool> RevokeToken(domain::AccountId account, domain::TokenId id) override;
  domain::Result<std::optional<domain::Principal>> FindUserPrincipal(
      std::string_view account_uid, std::string_view user) override;
  domain::Result<std::optional<domain::Principal>> FindPrincipal(
      std::string_view token_hash) override;

  domain::Result<domain::Company> CreateCompany(const domain::NewCompany& company) override;
  domain::Result<std::optional<domain::ContactId>> FindContactIdByUid(
      const domain::ContactScope& scope, std::string_view uid) override;
  domain::Result<std::optional<domain::CompanyId>> FindCompanyIdByUid(
      domain::AccountId account, std::string_view uid) override;
  domain::Result<std::unordered_map<std::int64_t, std::string>> CompanyNames(
      domain::AccountId account, std::span<const domain::CompanyId> ids) override;
  domain::Result<Uids> UidsOf(domain::AccountId account,
                              std::span<const domain::ContactId> contacts,
                              std::span<const domain::CompanyId> companies) override;
  domain::Result<std::optional<domain::Company>> FindCompany(domain::AccountId account,
                                                             domain::CompanyId id) override;
  domain::Result<Page<domain::Company>> ListCompanies(domain::AccountId account,
                                                      const domain::ListQuery& query) override;

  domain::Result<std::optional<domain::Company>> UpdateCompany(
      domain::AccountId account, domain::CompanyId id,
      const domain::CompanyChanges& changes) override;
  domain::Result<std::optional<std::int64_t>> DeleteCompany(
      domain::AccountId account, domain::CompanyId id, bool detach, std::int64_t now,
      const domain::VersionCheck& expected) override;
  domain::Result<domain::Contact> CreateContact(const domain::NewContact& contact,
                                                const domain::ContactScope& scope,
                                                const MatchCheck& check) override;
  domain::Result<UpsertResult> UpsertContact(const domain::NewContact& contact,
                                             const domain::ContactScope& scope, bool on_email,
                                             bool on_phone, const MatchPick& pick,
                                             const MatchCheck& create_check,
                                             const ContactPlan& plan) override;
  domain::Result<domain::AccountSettings> GetSettings(domain::AccountId account) override;
  domain::Result<domain::AccountSettings> UpdateSettings(domain::AccountId account,
                                                        const SettingsChange& change) override;
  domain::Result<std::unique_ptr<ContactLoad>> BeginContactLoad(LoadMode mode) override;
  domain::Result<std::int64_t> CountAllContacts() override;
  domain::Result<std::vector<domain::Company>> AllCompanies(domain::AccountId account) override;
  domain::Result<std::optional<domain::Contact>> FindContact(const domain::ContactScope& scope,
                                                             domain::ContactId id) override;
  domain::Result<Page<domain::Contact>> ListContacts(const domain::ContactScope& scope,
                                                     const domain::ListQuery& query) override;
  domain::Result<std::optional<domain::Contact>> UpdateContact(
      const domain::ContactScope& scope, domain::ContactId id, const ContactPlan& plan) override;
  domain::Result<std::optional<std::vector<domain::Share>>> ListShares(
      const domain::ContactScope& scope, domain::ContactId contact) override;
  domain::Result<std::optional<ShareResult>> ShareContact(const domain::ContactScope& scope,
                                                          domain::ContactId contact,
                                                          domain::UserId user, std::int64_t now,
                                                          std::size_t max,
                                                          const DeleteCheck& check) override;
  domain::Result<std::optional<bool>> UnshareContact(const domain::ContactScope& scope,
                                                     domain::ContactId contact,
                                                     domain::UserId user,
                                                     const DeleteCheck& check) override;
  domain::Result<std::vector<domain::Webhook>> ListWebhooks(domain::AccountId account) override;
  domain::Result<std::optional<domain::Webhook>> FindWebhook(domain::AccountId account,
                                                             std::int64_t id) override;
  domain::Result<domain::Webhook> CreateWebhook(const domain::Webhook& webhook,
                                                std::string_view secret,
                                                std::size_t max) override;
  domain::Result<std::optional<domain::Webhook>> UpdateWebhook(
      domain::AccountId account, std::int64_t id, const domain::WebhookChanges& changes) override;
  domain::Result<bool> DeleteWebhook(domain::AccountId account, std::int64_t id,
                                     const domain::VersionCheck& expected) override;
  domain::Result<std::optional<domain::Webhook>> RotateWebhookSecret(
      domain::AccountId account, std::int64_t id, std::string_view secret, std::int64_t now,
      std::int64_t previous_until) override;
  domain::Result<std::size_t> FanOutEvents(std::size_t max_events, std::int64_t now) override;
  domain::Result<std::vector<domain::DueDelivery>> DueDeliveries(
      std::int64_t now_ms, std::size_t limit, std::size_t per_endpoint,
      const std::vector<domain::DeliveryInFlight>& in_flight) override;
  domain::Result<void> FinishAttempts(
      const std::vector<domain::AttemptOutcome>& outcomes) override;
  domain::Result<std::optional<std::vector<domain::DeliveryAttempt>>> ListDeliveryAttempts(
      domain::AccountId account, std::int64_t webhook, std::size_t limit) override;
  domain::Result<std::optional<std::int64_t>> QueuePing(domain::AccountId account,
                                                        std::int64_t webhook,
                                                        std::int64_t now) override;
  domain::Result<std::optional<std::int64_t>> Redeliver(domain::AccountId account,
                                                        std::int64_t event_id,
                                                        std::int64_t now) override;
  domain::Result<std::int64_t> DeliveryBacklog() override;
  domain::Result<domain::EventPage> ListEvents(const domain::ContactScope& scope,
                                               const domain::EventQuery& query,
                                               std::size_t max_scanned) override;
  domain::Result<std::int64_t> PurgeEvents(std::int64_t created_before) override;
  domain::Result<Page<domain::TagCount>> ListTags(const domain::ContactScope& scope,
                                                  const domain::ListQuery& query) override;
  domain::Result<std::optional<domain::Company>> SetCompanyPrimary(
      const domain::ContactScope& scope, domain::CompanyId company,
      std::optional<domain::ContactId> contact, std::int64_t now,
      const domain::VersionCheck& expected) override;
  domain::Result<std::optional<std::vector<ReportLink>>> ReportTree(
      const domain::ContactScope& scope, domain::ContactId root, int max_depth,
      std::size_t limit) override;
  domain::Result<std::vector<ReportLink>> ReportingLinks(const domain::ContactScope& scope,
                                                         std::size_t limit) override;
  domain::Result<std::vector<domain::CustomField>> ListCustomFields(
      domain::AccountId account) override;
  domain::Result<domain::CustomField> CreateCustomField(const domain::CustomField& field,
                                                        std::size_t max_per_account) override;
  domain::Result<std::optional<domain::CustomField>> UpdateCustomField(
      domain::AccountId account, domain::CustomFieldId id,
      const domain::CustomFieldChanges& changes) override;
  domain::Result<bool> DeleteCustomField(domain::AccountId account, domain::CustomFieldId id,
                                         std::int64_t now) override;
  domain::Result<std::vector<domain::Source>> ListSources(domain::AccountId account) override;
  domain::Result<domain::Source> CreateSource(const domain::Source& source,
                                              std::size_t max) override;
  domain::Result<std::optional<domain::Source>> UpdateSource(
      domain::AccountId account, std::int64_t id, const domain::ListItemChanges& changes) override;
  domain::Result<bool> DeleteSource(domain::AccountId account, std::int64_t id,
                                    std::int64_t now) override;
  domain::Result<std::vector<domain::StoredHotnessLevel>> ListHotnessLevels(
      domain::AccountId account) override;
  domain::Result<domain::StoredHotnessLevel> CreateHotnessLevel(
      const domain::StoredHotnessLevel& level, std::size_t max) override;
  domain::Result<std::optional<domain::StoredHotnessLevel>> UpdateHotnessLevel(
      domain::AccountId account, std::int64_t id, const domain::ListItemChanges& changes) override;
  domain::Result<bool> DeleteHotnessLevel(domain::AccountId account, std::int64_t id,
                                          std::int64_t now) override;
  domain::Result<bool> DeleteContact(const domain::ContactScope& scope, domain::ContactId id,
                                     const DeleteCheck& check, bool permanent,
                                     std::int64_t now) override;
  domain::Result<std::optional<domain::Contact>> RestoreContact(domain::AccountId account,
                                                                domain::ContactId id,
                                                                std::int64_t deleted_since,
                                                                std::int64_t now) override;
  domain::Result<Page<domain::Contact>> ListDeletedContacts(domain::AccountId account,
                                                            const domain::ListQuery& query,
                                                            std::int64_t deleted_since) override;
  domain::Result<std::int64_t> PurgeDeletedContacts(std::int64_t deleted_before) override;

 private:
  class Lease;
  class Load;
  class Unit;

  // Runs `body` on a pooled connection; turns SQLite failures into domain errors.
  template <class Body>
  auto Run(Body&& body) -> decltype(body(std::declval<Connection&>()));

  // A write waiting for its group; see Write.
  struct PendingWrite {
    std::function<bool(Connection&)> apply;        // runs the body; false: roll it back
    std::function<void(const domain::Error&)> fail;  // the body's result becomes this error
    bool done = false;                             // guarded by write_mu_
    bool unit = false;  // a write unit's turn: it writes alone, never in a group
    std::condition_variable cv;
    std::chrono::steady_clock::time_point joined;  // when it joined the writers' queue
  };

  // Runs `body` in a write transaction shared with the writes queued behind the one in progress
  // (group commit, as leveldb's writers queue): the first waiting writer commits the whole group
  // with one COMMIT and one fsync. Each body runs in a savepoint of its own, so a body that fails
  // or returns an error changes nothing; if the COMMIT fails, every write of the group fails.
  // Blocks until the group is durable.
  template <class Body>
  auto Write(Body&& body) -> decltype(body(std::declval<Connection&>()));
  void JoinGroup(PendingWrite& write);
  void CommitGroup(const std::vector<PendingWrite*>& group);
  // Ends a write unit's turn (JoinGroup returned it at the front): the writers behind go on.
  void EndTurn(PendingWrite& turn);
  // The write unit this thread began on this store, if any: its writes go there.
  Unit* CurrentUnit();
  static thread_local Unit* current_unit_;

  void BuildSnapshotSql(Connection& c);
  // The event of that id with its objects, or nullopt (events_store.cpp).
  std::optional<domain::Event> ReadEvent(Connection& c, std::int64_t id);

  // The outbox: each records an event in the caller's write transaction, with the object as it
  // now is (and `previous`: for a contact, the old values of the columns an update wrote; for a
  // company, its snapshot before the update).
  void RecordContactEvent(Connection& c, std::string_view type, domain::AccountId account,
                          domain::ContactId id, std::int64_t now,
                          const std::optional<std::string>& previous);
  // contact.created, and contact.primary_set when the new contact is its company's primary.
  void RecordCreated(Connection& c, const domain::NewContact& contact, domain::ContactId id);
  // contact.updated, and contact.status_changed when the status changed; nothing when the
  // columns written hold what they held. `previous` keeps the old values of those columns.
  void RecordContactUpdate(Connection& c, const domain::Contact& before,
                           const domain::Contact& after, std::int64_t now,
                           const ContactDelta& delta);
  // contact.deleted with the id only: the contact is erased.
  void RecordErasedContact(Connection& c, const domain::Contact& erased, std::int64_t now);
  void RecordCompanyEvent(Connection& c, std::string_view type, domain::AccountId account,
                          domain::CompanyId id, std::int64_t now,
                          const std::optional<std::string>& previous);
  // Before a write that changes many contacts as a side effect: their ids and the old values of
  // `columns` (json_object arguments), for the rows of the account `where` selects (its
  // parameters after the account's). RecordBulkUpdates writes their contact.updated after it.
  std::vector<std::pair<std::int64_t, std::string>> BulkBefore(
      Connection& c, domain::AccountId account, std::string_view columns, std::string_view where,
      const std::vector<SqlValue>& params);
  void RecordBulkUpdates(Connection& c, domain::AccountId account,
                         const std::vector<std::pair<std::int64_t, std::string>>& before,
                         std::int64_t now);
  // A new primary contact demotes its company's previous one and changes the company: what
  // their events need from before, and the events after.
  struct PrimaryChange {
    std::optional<std::string> company;
    std::vector<std::pair<std::int64_t, std::string>> demoted;
  };
  PrimaryChange BeforePrimary(Connection& c, const domain::NewContact& contact);
  void AfterPrimary(Connection& c, const domain::NewContact& contact, const PrimaryChange& change);
  // The account's company `named` names (see domain::NamedCompany), created (with its
  // company.created event) when there is none.
  domain::CompanyId CompanyNamed(Connection& c, domain::AccountId account,
                                 const domain::NamedCompany& named, std::int64_t now);
  // `contact` with its named company resolved into `company` (in `resolved`), or itself.
  const domain::NewContact& WithNamedCompany(Connection& c, const domain::NewContact& contact,
                                             std::optional<domain::NewContact>& resolved);
  // Inserts a company with its company.created event.
  domain::Result<domain::Company> InsertCompanyRecorded(Connection& c,
                                                        const domain::NewCompany& company);
  // Turns changes.named_company into a change of company (none when it is the contact's).
  void ResolveNamedCompany(Connection& c, const domain::Contact& current,
                           domain::ContactChanges& changes);
  // The company row's JSON snapshot, as events keep it.
  std::optional<std::string> CompanyJson(Connection& c, domain::AccountId account,
                                         domain::CompanyId id);
  // Indexes the search words of contacts written before the search index existed.
  void IndexPendingSearchWords(Connection& c);
  void EmptyWal();
  std::unique_ptr<Connection> Acquire();
  void Release(std::unique_ptr<Connection> connection);

  const SqliteOptions options_;  // Constant after construction
  // Statements over every column of contacts, built from the schema after migration (so that a
  // column added later is kept by delete and restore without code changes). Constant after
  // construction.
  std::string snapshot_sql_;       // contacts row -> deleted_contacts.data (JSON)
  std::string restore_sql_;        // deleted_contacts.data -> contacts row
  std::string select_deleted_sql_;  // deleted_contacts.data -> the contact columns ReadContact reads
  std::string contact_event_sql_;      // a contacts row -> an event (type, time, previous bound)
  std::string contact_events_sql_;     // a range of ids of contacts -> one event each
  std::string contact_from_json_sql_;  // a snapshot (?1) -> the columns ReadContact reads
  std::string company_json_sql_;
  std::string company_event_sql_;
  std::string company_from_json_sql_;
  std::string company_unchanged_sql_;  // 1 when a snapshot (?1) is the row as it is (updated_at aside)
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  std::mutex write_mu_;
  std::deque<PendingWrite*> writers_;  // guarded by write_mu_; the front one commits
  // Accounts' buckets are never forgotten (accounts are few); addresses' may be (they are many,
  // and an unauthenticated flood of them must not refill an account's).
  MemoryRateBuckets account_buckets_{std::numeric_limits<std::size_t>::max()};
  MemoryRateBuckets address_buckets_;
};

}  // namespace contactd::store::sqlite

#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <string_view>
#include <vector>

#include "domain/access.hpp"
#include "domain/account.hpp"
#include "domain/company.hpp"
#include "domain/account_lists.hpp"
#include "domain/contact.hpp"
#include "domain/custom_fields.hpp"
#include "domain/error.hpp"
#include "domain/events.hpp"
#include "domain/idempotency.hpp"
#include "domain/ids.hpp"
#include "domain/query.hpp"
#include "domain/rate_limit.hpp"
#include "domain/tags.hpp"
#include "domain/users.hpp"
#include "domain/webhooks.hpp"

namespace contactd::store {

// The changes an update makes, decided from the contact's current state.
using ContactPlan =
    std::function<domain::Result<domain::ContactChanges>(const domain::Contact& current)>;

// Whether the caller may delete (or share) this contact (checked on the stored row, inside the
// write).
using DeleteCheck = std::function<domain::Result<void>(const domain::Contact& current)>;

// A contact that matches a new one, and on what ("email" or "phone").
struct Match {
  domain::ContactId id;
  std::string on;
  bool visible = true;  // whether the write's scope sees it
};
// Decides, inside a write, whether a create may go ahead given the contacts it matches.
using MatchCheck = std::function<domain::Result<void>(const std::vector<Match>& matches)>;
// Decides, inside an upsert's write, which of the contacts it matches (at least one, by id) it
// updates: an index into `matches`, or an error that cancels the write.
using MatchPick = std::function<domain::Result<std::size_t>(const std::vector<Match>& matches)>;

// Whether a user's changes may be made, given the stored user (checked inside the write).
using UserCheck = std::function<domain::Result<void>(const domain::User& current)>;

using SettingsChange = std::function<domain::Result<void>(domain::AccountSettings& settings)>;

// A contact in a reporting hierarchy: who it reports to, how far below the asked-for root it
// is, and what a chart shows of it.
struct ReportLink {
  domain::ContactId manager;
  domain::ContactId id;
  int depth = 1;
  std::optional<std::string> full_name;
  std::optional<std::string> display_name;
  std::optional<std::string> title;
  std::optional<std::string> department;
};

// Uids by id (Store::UidsOf).
struct Uids {
  std::unordered_map<std::int64_t, std::string> contacts;
  std::unordered_map<std::int64_t, std::string> companies;
};

struct ShareResult {
  domain::Share share;
  bool created = false;
};

struct UpsertResult {
  domain::Contact contact;
  bool created = false;
};

// One page of a list and the size of the whole match.
template <class T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;
  bool has_more = false;
};

// How a bulk load writes.
enum class LoadMode {
  // Each Add and CreateCompany commits on its own: a failure later keeps what was committed, and
  // other writers (a running server) get their turn between batches.
  kBatches,
  // One transaction for the whole load, all or nothing: the contact indexes are dropped at the
  // start and built again at Commit. Sorting once beats one B-tree insert per index per row when
  // the load is large next to the table; other writers wait (or fail busy) until Commit.
  kRebuildIndexes,
};

// A bulk load of contacts into the store, from one thread. Destroying a load that was not
// committed rolls back what it has not committed. After a failed call, only destroy it.
class ContactLoad {
 public:
  virtual ~ContactLoad() = default;
  virtual domain::Result<domain::Company> CreateCompany(const domain::NewCompany& company) = 0;
  // Inserts the contacts. Primary contacts as in Store::CreateContact, the last of
  // a company winning. REQUIRES: each contact's company, if set, is a company of its account.
  virtual domain::Result<void> Add(std::span<const domain::NewContact> contacts) = 0;
  // Makes everything added durable (and, in kRebuildIndexes mode, indexed again).
  virtual domain::Result<void> Commit() = 0;
};

// Everything the thread that began it writes through the store, until Commit, as one
// transaction: the writes of a request and the answer kept for its idempotency key. Other
// writers wait for it from its first write to its end. Destroying it without Commit rolls it
// back. Must end on the thread that began it.
class WriteUnit {
 public:
  virtual ~WriteUnit() = default;
  // Makes every write of the unit durable, or none (the error says why).
  virtual domain::Result<void> Commit() = 0;
};

// Persistent state of contactd, in domain types. Every method that reads or writes tenant data
// takes the account and touches nothing outside it. One that serves a user's reads or writes of
// contacts takes a ContactScope instead and treats a contact outside it as one that does not
// exist (a create's matches say whether the scope sees them); what only admins do (restores,
// deleted lists, company deletes, definitions' changes) and imports take the account. Each
// method is atomic: it commits all of its writes durably before returning success, or none of
// them. Failures are kInternal or
// kUnavailable errors whose message is for the log, not for clients.
// Implementations are thread-safe.
class Store {
 public:
  virtual ~Store() = default;

  // Succeeds when the database can answer a query.
  virtual domain::Result<void> Ping() = 0;

  // A secret generated with the database, used to sign cursors.
  virtual domain::Result<std::string> CursorSecret() = 0;

  virtual domain::Result<domain::Account> CreateAccount(const domain::Account& account) = 0;
  virtual domain::Result<std::optional<domain::Account>> FindAccount(domain::AccountId id) = 0;
  // Sets the account's own request limits (each left as it is when unset); false when there is
  // no such account.
  virtual domain::Result<bool> SetAccountRates(
      domain::AccountId id, const std::optional<domain::RateSetting>& sustained,
      const std::optional<domain::RateSetting>& burst) = 0;

  // Idempotency keys. Claims the request's key in its own write: a live claim of the key is in
  // flight; an answer kept since `kept_since_ms` is replayed (or, for another fingerprint, a
  // mismatch); else the key is claimed until `lease_until_ms` (older answers and lapsed claims
  // are forgotten).
  virtual domain::Result<domain::IdempotencyClaim> ClaimIdempotencyKey(
      const domain::IdempotentRequest& request, std::int64_t now_ms, std::int64_t lease_until_ms,
      std::int64_t kept_since_ms) = 0;
  // Keeps the answer of a claimed key (inside the request's write unit, with its change).
  virtual domain::Result<void> SaveIdempotentAnswer(const domain::IdempotentRequest& request,
                                                    const domain::StoredAnswer& answer) = 0;
  // Drops the claim of a key whose request failed.
  virtual domain::Result<void> ReleaseIdempotencyKey(
      const domain::IdempotentRequest& request) = 0;
  virtual domain::Result<std::int64_t> PurgeIdempotencyKeys(std::int64_t before_ms) = 0;
  virtual domain::Result<std::unique_ptr<WriteUnit>> BeginWriteUnit() = 0;

  // Request limits. Counts a request of `key` (an account, an address) against `policy` in the
  // key's token buckets, atomically, at `now_ms`; `consume` false only looks (and remembers
  // nothing of a key it does not know). Every node sharing the store shares the buckets. Keys of
  // accounts ("account:<id>") are kept; others (addresses) may be forgotten when too many.
  virtual domain::Result<domain::RateDecision> TakeRate(std::string_view key,
                                                        const domain::RatePolicy& policy,
                                                        std::int64_t now_ms, bool consume) = 0;
  virtual domain::Result<std::int64_t> CountAccounts() = 0;

  // Inserts the user (its id is set): kConflict naming email when the account has a user of that
  // email (case-insensitively), kValidation when it holds `max_per_account` users.
  // REQUIRES: the account exists.
  virtual domain::Result<domain::User> CreateUser(const domain::User& user,
                                                  std::size_t max_per_account) = 0;
  virtual domain::Result<std::optional<domain::User>> FindUser(domain::AccountId account,
                                                               domain::UserId id) = 0;
  // The user whatever its account: for the operator's commands only.
  virtual domain::Result<std::optional<domain::User>> FindUserById(domain::UserId id) = 0;
  // The account's users by id; limit, offset and after_id of `query`.
  virtual domain::Result<Page<domain::User>> ListUsers(domain::AccountId account,
                                                       const domain::ListQuery& query) = 0;
  // Applies `changes` after `check` accepted them on the stored user, in one write. kConflict
  // naming email as CreateUser; kValidation naming role when no admin of the account would be
  // left. nullopt when the user is not in the account.
  virtual domain::Result<std::optional<domain::User>> UpdateUser(
      domain::AccountId account, domain::UserId id, const domain::UserChanges& changes,
      const UserCheck& check) = 0;
  // Stores a token of `token.user` as the SHA-256 `hash` of its secret (its id is set);
  // kValidation when the user holds `max_per_user` tokens.
  virtual domain::Result<domain::Token> CreateToken(const domain::Token& token,
                                                    std::string_view hash,
                                                    std::size_t max_per_user) = 0;
  // The user's tokens, by id.
  virtual domain::Result<std::vector<domain::Token>> ListTokens(domain::AccountId account,
                                                                domain::UserId user) = 0;
  // The token whatever its account (the operator's `tokens revoke`, and /me).
  virtual domain::Result<std::optional<domain::Token>> FindToken(domain::TokenId id) = 0;
  // Deletes the token; false when the account has none such.
  virtual domain::Result<bool> RevokeToken(domain::AccountId account, domain::TokenId id) = 0;
  // The principal a token's SHA-256 belongs to.
  virtual domain::Result<std::optional<domain::Principal>> FindPrincipal(
      std::string_view token_hash) = 0;
  // The principal of a user named by a JWT: the account by its uid, the user by its id (digits)
  // or its email; with every scope and no token id.
  virtual domain::Result<std::optional<domain::Principal>> FindUserPrincipal(
      std::string_view account_uid, std::string_view user) = 0;

  virtual domain::Result<domain::Company> CreateCompany(const domain::NewCompany& company) = 0;
  virtual domain::Result<std::optional<domain::Company>> FindCompany(domain::AccountId account,
                                                                     domain::CompanyId id) = 0;
  // Applies `changes`; nullopt when the company is not in the account.
  virtual domain::Result<std::optional<domain::Company>> UpdateCompany(
      domain::AccountId account, domain::CompanyId id, const domain::CompanyChanges& changes) = 0;
  // Deletes the company unless contacts belong to it and `detach` is false; with `detach`, its
  // contacts are left without a company first (deleted contacts lose it when restored).
  // Returns nullopt when there is no such company, else how many contacts belonged to it.
  // Refused with expected's kPreconditionFailed when the company is at another version.
  virtual domain::Result<std::optional<std::int64_t>> DeleteCompany(
      domain::AccountId account, domain::CompanyId id, bool detach, std::int64_t now,
      const domain::VersionCheck& expected) = 0;
  // Makes `contact` the company's only primary contact, or (nullopt) leaves it with none, in one
  // write: concurrent calls leave exactly one (the one it replaces may be a contact the scope
  // does not see). nullopt when the company is not in the account; kValidation naming contact_id
  // when the contact is not one of the company's or the scope does not see it.
  virtual domain::Result<std::optional<domain::Company>> SetCompanyPrimary(
      const domain::ContactScope& scope, domain::CompanyId company,
      std::optional<domain::ContactId> contact, std::int64_t now,
      const domain::VersionCheck& expected) = 0;
  // Uses limit, offset and after_id of `query`; ordered by id.
  virtual domain::Result<Page<domain::Company>> ListCompanies(domain::AccountId account,
                                                              const domain::ListQuery& query) = 0;

  // Inserts the contact. When `contact.is_primary`, it becomes its company's only primary contact.
  // When `check` is set, it first gets the contacts of the account whose email or phone number
  // matches (in the same write, so that no concurrent create slips past it); its error cancels.
  // REQUIRES: contact.company, if set, is a company of contact.account.
  // A manager (reports_to) the scope does not see is refused as a missing one.
  virtual domain::Result<domain::Contact> CreateContact(const domain::NewContact& contact,
                                                        const domain::ContactScope& scope,
                                                        const MatchCheck& check) = 0;
  // In one write: the contacts matching `contact` on email and/or phone; none: `contact` is
  // inserted, unless `create_check` (when set) refuses the contacts it matches on either; else
  // the match `pick` chooses (or refuses: several, say) is updated as `plan` says. Only contacts
  // the scope sees match; create_check gets all of them (each says whether the scope sees it).
  virtual domain::Result<UpsertResult> UpsertContact(const domain::NewContact& contact,
                                                     const domain::ContactScope& scope,
                                                     bool on_email, bool on_phone,
                                                     const MatchPick& pick,
                                                     const MatchCheck& create_check,
                                                     const ContactPlan& plan) = 0;

  virtual domain::Result<domain::AccountSettings> GetSettings(domain::AccountId account) = 0;
  // Reads the settings, lets `change` change them and saves them, in one write (so that two
  // changes of different settings both take effect); `change`'s error cancels.
  virtual domain::Result<domain::AccountSettings> UpdateSettings(domain::AccountId account,
                                                                 const SettingsChange& change) = 0;
  // Starts a bulk load of contacts (contactd import); see ContactLoad and LoadMode.
  virtual domain::Result<std::unique_ptr<ContactLoad>> BeginContactLoad(LoadMode mode) = 0;
  // Contacts of every account: what a load with LoadMode::kRebuildIndexes re-indexes.
  virtual domain::Result<std::int64_t> CountAllContacts() = 0;
  // Every company of the account, for lookups by id and name during an import.
  virtual domain::Result<std::vector<domain::Company>> AllCompanies(domain::AccountId account) = 0;
  // nullopt when the scope does not see the contact.
  virtual domain::Result<std::optional<domain::Contact>> FindContact(
      const domain::ContactScope& scope, domain::ContactId id) = 0;
  // The contacts the scope sees that match; for a restricted scope it costs what it sees.
  virtual domain::Result<Page<domain::Contact>> ListContacts(const domain::ContactScope& scope,
                                                             const domain::ListQuery& query) = 0;
  // Reads the contact inside a write transaction, asks `plan` for the changes to make to it (a
  // rule that depends on stored values runs there, with no race against another write) and
  // applies them. Returns nullopt when the scope does not see the contact, plan's error if it
  // fails (nothing is written).
  virtual domain::Result<std::optional<domain::Contact>> UpdateContact(
      const domain::ContactScope& scope, domain::ContactId id, const ContactPlan& plan) = 0;

  // Deletes the contact: it leaves every read, list and count; unless `permanent`, a snapshot of
  // it is kept (restorable), else only a tombstone of its id and uid. `check` runs on the stored
  // contact inside the write first; its error cancels the delete. A permanent delete of a contact
  // deleted before erases its snapshot. The company it was primary contact of loses it. A
  // restorable contact keeps its shares; an erased one loses them.
  // Returns false when the scope sees no such contact (deleted or not, per `permanent`; only an
  // unrestricted scope erases one deleted before).
  virtual domain::Result<bool> DeleteContact(const domain::ContactScope& scope,
                                             domain::ContactId id, const DeleteCheck& check,
                                             bool permanent, std::int64_t now) = 0;
  // Brings back a contact deleted at or after `deleted_since`, with its id and fields; it is
  // primary again only if its company has none. nullopt when there is none such.
  virtual domain::Result<std::optional<domain::Contact>> RestoreContact(
      domain::AccountId account, domain::ContactId id, std::int64_t deleted_since,
      std::int64_t now) = 0;
  // The account's restorable contacts (deleted at or after `deleted_since`), by id; limit and
  // after_id of `query`. Their deleted_at is set.
  virtual domain::Result<Page<domain::Contact>> ListDeletedContacts(
      domain::AccountId account, const domain::ListQuery& query, std::int64_t deleted_since) = 0;
  // Erases the snapshots (and shares) of contacts of every account deleted before
  // `deleted_before`; returns how many.
  virtual domain::Result<std::int64_t> PurgeDeletedContacts(std::int64_t deleted_before) = 0;

  // The contacts below `root`, breadth-first, down to `max_depth` levels, at most `limit` of
  // them (reading stops there). A restricted scope walks through the contacts it sees only.
  // nullopt when the scope does not see `root`.
  virtual domain::Result<std::optional<std::vector<ReportLink>>> ReportTree(
      const domain::ContactScope& scope, domain::ContactId root, int max_depth,
      std::size_t limit) = 0;
  // The reporting links of the contacts the scope sees (their manager may be one it does not
  // see: it is the contact's own reports_to), by manager then report, at most `limit`.
  virtual domain::Result<std::vector<ReportLink>> ReportingLinks(const domain::ContactScope& scope,
                                                                 std::size_t limit) = 0;

  // The contact the scope sees, or the account's company, with this uid (the surfaces that name
  // them by UUID); nullopt when there is none.
  virtual domain::Result<std::optional<domain::ContactId>> FindContactIdByUid(
      const domain::ContactScope& scope, std::string_view uid) = 0;
  virtual domain::Result<std::optional<domain::CompanyId>> FindCompanyIdByUid(
      domain::AccountId account, std::string_view uid) = 0;
  // The uids of the account's contacts and companies among these ids (ids it lacks are left out).
  // The names of the account's companies among these ids, by id (ids it lacks are left out).
  virtual domain::Result<std::unordered_map<std::int64_t, std::string>> CompanyNames(
      domain::AccountId account, std::span<const domain::CompanyId> ids) = 0;
  virtual domain::Result<Uids> UidsOf(domain::AccountId account,
                                      std::span<const domain::ContactId> contacts,
                                      std::span<const domain::CompanyId> companies) = 0;

  // The account's custom field definitions, by rank then id.
  virtual domain::Result<std::vector<domain::CustomField>> ListCustomFields(
      domain::AccountId account) = 0;
  // Inserts the definition (its id is set): kConflict when the account has its key already,
  // kValidation when it holds `max_per_account` definitions.
  virtual domain::Result<domain::CustomField> CreateCustomField(const domain::CustomField& field,
                                                                std::size_t max_per_account) = 0;
  // nullopt when the account has no such field.
  virtual domain::Result<std::optional<domain::CustomField>> UpdateCustomField(
      domain::AccountId account, domain::CustomFieldId id,
      const domain::CustomFieldChanges& changes) = 0;
  // Deletes the definition and every value of it, from contacts (whose updated_at becomes `now`)
  // and from restorable snapshots, in one write. false when there is no such field.
  virtual domain::Result<bool> DeleteCustomField(domain::AccountId account,
                                                 domain::CustomFieldId id, std::int64_t now) = 0;

  // The account's sources, by name.
  virtual domain::Result<std::vector<domain::Source>> ListSources(domain::AccountId account) = 0;
  // Inserts the source (its id is set): kConflict when the account has one of that name
  // (case-insensitively), kValidation when it holds `max` sources.
  virtual domain::Result<domain::Source> CreateSource(const domain::Source& source,
                                                      std::size_t max) = 0;
  // Renames the source, and its contacts' source text with it (their updated_at becomes
  // changes.now). nullopt when the account has no such source.
  virtual domain::Result<std::optional<domain::Source>> UpdateSource(
      domain::AccountId account, std::int64_t id, const domain::ListItemChanges& changes) = 0;
  // Deletes the source; its contacts keep their source text without the id. false: none such.
  virtual domain::Result<bool> DeleteSource(domain::AccountId account, std::int64_t id,
                                            std::int64_t now) = 0;
  // The account's hotness levels, by rank then id.
  virtual domain::Result<std::vector<domain::StoredHotnessLevel>> ListHotnessLevels(
      domain::AccountId account) = 0;
  // As CreateSource, for levels.
  virtual domain::Result<domain::StoredHotnessLevel> CreateHotnessLevel(
      const domain::StoredHotnessLevel& level, std::size_t max) = 0;
  // Changes the level, and the details its contacts show. nullopt when none such.
  virtual domain::Result<std::optional<domain::StoredHotnessLevel>> UpdateHotnessLevel(
      domain::AccountId account, std::int64_t id, const domain::ListItemChanges& changes) = 0;
  // Deletes the level; its contacts have no hotness afterwards. false: none such.
  virtual domain::Result<bool> DeleteHotnessLevel(domain::AccountId account, std::int64_t id,
                                                  std::int64_t now) = 0;

  // Who the contact is shared with, by user id; nullopt when the scope does not see it.
  virtual domain::Result<std::optional<std::vector<domain::Share>>> ListShares(
      const domain::ContactScope& scope, domain::ContactId contact) = 0;
  // Shares the contact with `user` (a user of its account) after `check` accepted the stored
  // contact, in one write; an existing share stays as it is (created false). kValidation naming
  // user_id when the contact has `max` shares. nullopt when the scope does not see the contact.
  virtual domain::Result<std::optional<ShareResult>> ShareContact(
      const domain::ContactScope& scope, domain::ContactId contact, domain::UserId user,
      std::int64_t now, std::size_t max, const DeleteCheck& check) = 0;
  // Ends the share after `check` accepted the stored contact. nullopt when the scope does not see
  // the contact; false when it was not shared with `user`.
  virtual domain::Result<std::optional<bool>> UnshareContact(const domain::ContactScope& scope,
                                                             domain::ContactId contact,
                                                             domain::UserId user,
                                                             const DeleteCheck& check) = 0;

  // The account's webhook endpoints, by id.
  virtual domain::Result<std::vector<domain::Webhook>> ListWebhooks(domain::AccountId account) = 0;
  virtual domain::Result<std::optional<domain::Webhook>> FindWebhook(domain::AccountId account,
                                                                     std::int64_t id) = 0;
  // Inserts the endpoint (its id is set) with its signing secret; it receives the events written
  // after it. kValidation when the account has `max` endpoints.
  virtual domain::Result<domain::Webhook> CreateWebhook(const domain::Webhook& webhook,
                                                        std::string_view secret,
                                                        std::size_t max) = 0;
  // nullopt when the account has no such endpoint.
  virtual domain::Result<std::optional<domain::Webhook>> UpdateWebhook(
      domain::AccountId account, std::int64_t id, const domain::WebhookChanges& changes) = 0;
  // Refused with expected's kPreconditionFailed when the endpoint is at another version.
  virtual domain::Result<bool> DeleteWebhook(domain::AccountId account, std::int64_t id,
                                             const domain::VersionCheck& expected) = 0;
  // Makes `secret` the endpoint's; the one it replaces signs too until `previous_until`.
  virtual domain::Result<std::optional<domain::Webhook>> RotateWebhookSecret(
      domain::AccountId account, std::int64_t id, std::string_view secret, std::int64_t now,
      std::int64_t previous_until) = 0;

  // Deliveries. Reads the outbox past every enabled endpoint's place (at most `max_events` per
  // endpoint) into deliveries of the types it takes, due now, and moves its place, in one write;
  // returns how many deliveries it made.
  virtual domain::Result<std::size_t> FanOutEvents(std::size_t max_events, std::int64_t now) = 0;
  // Pending deliveries of enabled endpoints due at `now_ms`, soonest first, at most `limit` in
  // all and `per_endpoint` for each endpoint (one for an endpoint failing), counting those
  // `in_flight` (which are not returned).
  virtual domain::Result<std::vector<domain::DueDelivery>> DueDeliveries(
      std::int64_t now_ms, std::size_t limit, std::size_t per_endpoint,
      const std::vector<domain::DeliveryInFlight>& in_flight) = 0;
  // Records the attempts and what follows from each, in one write.
  virtual domain::Result<void> FinishAttempts(
      const std::vector<domain::AttemptOutcome>& outcomes) = 0;
  // The endpoint's latest attempts, newest first; nullopt when the account has no such endpoint.
  virtual domain::Result<std::optional<std::vector<domain::DeliveryAttempt>>>
  ListDeliveryAttempts(domain::AccountId account, std::int64_t webhook, std::size_t limit) = 0;
  // A ping delivery, due now; nullopt when the account has no such endpoint.
  virtual domain::Result<std::optional<std::int64_t>> QueuePing(domain::AccountId account,
                                                                std::int64_t webhook,
                                                                std::int64_t now) = 0;
  // The event again for every enabled endpoint of the account taking its type; how many.
  // nullopt when the account has no such event (kept).
  virtual domain::Result<std::optional<std::int64_t>> Redeliver(domain::AccountId account,
                                                                std::int64_t event_id,
                                                                std::int64_t now) = 0;
  // Pending deliveries, every account's.
  virtual domain::Result<std::int64_t> DeliveryBacklog() = 0;

  // The account's events after query.after_id, oldest first: at most query.limit of
  // query.types (every type when empty) that the scope sees (contact events of the contacts its
  // user owned or was assigned when the event was written, or that are shared with it now),
  // reading at most `max_scanned` events. The page's last_id is where the next one starts; gone
  // (and nothing else) when events after query.after_id were purged.
  virtual domain::Result<domain::EventPage> ListEvents(const domain::ContactScope& scope,
                                                       const domain::EventQuery& query,
                                                       std::size_t max_scanned) = 0;
  // Erases the events of every account written before `created_before`; returns how many.
  virtual domain::Result<std::int64_t> PurgeEvents(std::int64_t created_before) = 0;

  // The tags of the contacts the scope sees, ordered by tag key, with their contact counts; limit
  // and offset of `query`, total = the number of distinct tags.
  virtual domain::Result<Page<domain::TagCount>> ListTags(const domain::ContactScope& scope,
                                                          const domain::ListQuery& query) = 0;
};

}  // namespace contactd::store

#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/access.hpp"
#include "domain/account.hpp"
#include "domain/account_lists.hpp"
#include "domain/contact.hpp"
#include "domain/error.hpp"
#include "domain/query.hpp"
#include "domain/tags.hpp"
#include "store/store.hpp"

namespace contactd::domain {

// Validates and normalizes the body of a create request without touching the store: everything
// but whether company_id names a company of the account, and the account, owner, uid and time,
// which the caller sets. Appends every problem to `errors`. Thread-safe.
NewContact ValidateNewContact(const ContactInput& input, const WritePolicy& policy,
                              FieldErrors& errors);

// How long a deleted contact stays restorable.
inline constexpr std::int64_t kRestoreWindowSeconds = 30 * 24 * 3600;

// The names rule. full_name is stored as sent when a write sends it; otherwise it is derived from
// first and last name (DeriveFullName) and derived again whenever either changes; sending null
// makes it derived again. A write that sends a full name to a contact with neither a first nor a
// last name, and sends neither, also splits it (SplitFullName): the last word is the last name, a
// single word the first name.
std::optional<std::string> DeriveFullName(const std::optional<std::string>& first,
                                          const std::optional<std::string>& last);
std::pair<std::string, std::optional<std::string>> SplitFullName(std::string_view full);

// How many reporting links one hierarchy read returns at most.
inline constexpr std::size_t kMaxReportLinks = 10000;

struct ReportLinks {
  std::vector<store::ReportLink> links;
  bool has_more = false;  // the read stopped at kMaxReportLinks
};

// How many users one contact is shared with at most.
inline constexpr std::size_t kMaxSharesPerContact = 100;

// The body of POST /contacts/{id}/shares.
struct ShareInput {
  Input<std::int64_t> user_id;
  FieldErrors errors;
};

struct UpsertOutcome {
  Contact contact;
  bool created = false;
};

// What an upsert does when what it is sent matches several contacts: kRefuse is kConflict naming
// them (the native API); kByPriority updates the oldest one matching on email, else the oldest
// matching on phone (seed 004: email before phone, as HighLevel's duplicate rule has it).
enum class SeveralMatches { kRefuse, kByPriority };

// What a flat view of contacts shows besides them (seed 002's records): the account's custom
// field definitions (every one, by rank), its sources, and the names of the contacts' companies.
struct ContactExtras {
  std::vector<CustomField> custom_fields;
  std::vector<Source> sources;  // read only when a contact has a source_id
  std::unordered_map<std::int64_t, std::string> company_names;  // by company id
};
// Which of them a view shows.
struct ExtrasWanted {
  bool custom_fields = true;
  bool sources = true;
  bool company_names = true;
};

// The contact use cases every API surface shares: permission checks, validation and
// normalization, then one atomic store call. Thread-safe if the store is.
class ContactService {
 public:
  explicit ContactService(store::Store& store) : store_(store) {}

  // Creates a contact in the principal's account, owned by the principal's user.
  // kForbidden without CREATE; kValidation naming every bad field: contact_type (or
  // contact_types) and company_id (of the caller's account) are required unless the policy
  // says otherwise (WritePolicy::requires_type_and_company).
  // The account's settings apply: its default country reads phone numbers (the policy's
  // default_country is overridden); with duplicates refused, a create whose email or phone
  // matches a contact is kConflict naming it (ErrorReason::kDuplicateContact).
  Result<Contact> Create(const Principal& principal, ContactInput input, WritePolicy policy = {});

  // A create body plus what to match on (email and/or phone; empty: both), in one write: no
  // match creates the contact; one match is updated with the fields sent, as a PATCH would (the
  // create-only fields are ignored); several are kConflict naming them, or (`several`) one of
  // them is picked. Concurrent upserts of the
  // same email never create two contacts. Needs CREATE and UPDATE.
  Result<UpsertOutcome> Upsert(const Principal& principal, ContactInput input,
                               const std::vector<std::string>& match_on, WritePolicy policy = {},
                               SeveralMatches several = SeveralMatches::kRefuse);

  // The contact the principal sees that a create with this email or phone number would
  // duplicate: the oldest with the email (compared as FoldCase), else the oldest with the number
  // (read in the account's default country, as a write reads it); none when neither is sent or
  // none matches. A number that does not parse is the list's error for a phone= filter.
  Result<std::optional<Contact>> FindDuplicate(const Principal& principal,
                                               const std::optional<std::string>& email,
                                               const std::optional<std::string>& phone);

  // kNotFound unless the principal sees the contact (ScopeOf): another account's, or one an `own`
  // user does not own, is not assigned and was not shared, is missing. Every use case below
  // works within the same scope.
  Result<Contact> Get(const Principal& principal, ContactId id);

  Result<store::Page<Contact>> List(const Principal& principal, const ListQuery& query);

  // The contact with this uid that the principal sees (surfaces that name contacts by UUID);
  // kNotFound otherwise, whatever the request goes on to do.
  Result<ContactId> FindByUid(const Principal& principal, std::string_view uid);
  // What a flat view of `contacts` shows besides them; a reader of contacts may read it (a token
  // scoped to contacts included).
  Result<ContactExtras> ExtrasOf(const Principal& principal, std::span<const Contact> contacts,
                                 ExtrasWanted wanted = {});
  // The uids of these contacts and companies of the principal's account, by id.
  Result<store::Uids> UidsOf(const Principal& principal, std::span<const ContactId> contacts,
                             std::span<const CompanyId> companies);

  // Changes the provided fields only; contact_type(s), company_id and is_primary are not
  // updatable (company_id may be sent unchanged). kForbidden without UPDATE, kValidation,
  // kNotFound.
  Result<Contact> Update(const Principal& principal, ContactId id, ContactInput input,
                         WritePolicy policy = {});

  // Adds the tags to the contact's set (`add`) or removes them, atomically against other writes
  // to the contact. kForbidden without UPDATE, kValidation (bad tags, a set over 100), kNotFound.
  Result<Contact> ChangeTags(const Principal& principal, ContactId id, TagsInput input, bool add);

  // Deletes the contact (see Store::DeleteContact): restorable for kRestoreWindowSeconds unless
  // `permanent`. Admins may delete any contact, editors the contacts they own (not those they see
  // by assignment or sharing), viewers none; only admins erase (`permanent`). kForbidden,
  // kNotFound (also for a contact the principal does not see), kPreconditionFailed when the
  // contact is not at one of the `expected` versions.
  Result<void> Delete(const Principal& principal, ContactId id, bool permanent,
                      const VersionCheck& expected = {});
  // Deletes the contact as Delete does (restorable) and returns it as it was, read in the same
  // write (seed 002's remove answers with the record removed).
  Result<Contact> Remove(const Principal& principal, ContactId id,
                         const VersionCheck& expected = {});
  // Admin only. kNotFound unless the contact was deleted within the window and not erased.
  Result<Contact> Restore(const Principal& principal, ContactId id);
  // Admin only: the restorable contacts, by id (limit, after_id).
  Result<store::Page<Contact>> ListDeleted(const Principal& principal, const ListQuery& query);
  // Erases what the window no longer keeps; returns how many contacts.
  Result<std::int64_t> PurgeExpired();

  // The contacts below `id` in the reporting hierarchy, breadth-first: its direct reports, or
  // (`all`) the subtree down to kMaxHierarchyDepth levels; at most kMaxReportLinks, with whether
  // more (or deeper) were left out.
  // kNotFound unless the principal sees the contact.
  Result<ReportLinks> Reports(const Principal& principal, ContactId id, bool all);
  // The reporting links of the contacts the principal sees, by manager then report; at most
  // kMaxReportLinks.
  Result<ReportLinks> Hierarchy(const Principal& principal);

  // Who the contact is shared with. kNotFound unless the principal sees the contact.
  Result<std::vector<Share>> ListShares(const Principal& principal, ContactId id);
  // Shares the contact with a user of the account (422 naming user_id otherwise, or for its
  // owner; at most kMaxSharesPerContact): the contact's owner or an admin may; sharing it again
  // changes nothing (created false). kForbidden, kNotFound.
  Result<store::ShareResult> ShareWith(const Principal& principal, ContactId id,
                                       ShareInput input);
  // Ends a share, as the owner or an admin. kNotFound when the contact or the share is missing.
  Result<void> Unshare(const Principal& principal, ContactId id, UserId user);

  // The tags of the contacts the principal sees with how many carry each, by tag; limit and
  // offset of `query`.
  Result<store::Page<TagCount>> ListTags(const Principal& principal, const ListQuery& query);

 private:
  // Reads the account's settings and applies them to `policy`.
  Result<AccountSettings> SettingsFor(const Principal& principal, WritePolicy& policy);
  // Reads the account's custom field definitions into `policy` when `input` sends values. With
  // WritePolicy::defines_custom_fields, the keys it lacks get definitions there too, named as
  // their key and typed by their value (string: text, number, boolean), listed in `undefined`
  // for Define once the write is valid (invalid keys and other shapes are left to validation).
  Result<void> CustomFieldsFor(const Principal& principal, const ContactInput& input,
                               WritePolicy& policy, std::vector<CustomField>& undefined);
  // Stores the definitions CustomFieldsFor planned (a key defined meanwhile is as good).
  Result<void> Define(const std::vector<CustomField>& undefined);
  // Records an error for owner_user_id or assigned_user_id sent that is not a user of the
  // principal's account (the owner may not be null).
  Result<void> CheckUsers(const Principal& principal, const ContactInput& input,
                          FieldErrors& errors);
  // kForbidden when a non-admin sends owner_user_id (a transfer).
  static Result<void> CheckTransfer(const Principal& principal, const ContactInput& input);
  // Validates a create body into a contact of the principal's account (company checked); the
  // owner is the principal's user (owner_user_id may not be sent).
  Result<NewContact> PrepareNew(const Principal& principal, ContactInput& input,
                                const WritePolicy& policy);
  // Validates an update body into the plan the store runs on the stored contact; a company named
  // that the account lacks is created only if `may_create_companies`.
  Result<store::ContactPlan> PlanUpdate(ContactInput input, const WritePolicy& policy,
                                        bool may_create_companies);
  // Deletes as Delete says; `removed`, when set, receives the contact as it was.
  Result<void> DeleteAs(const Principal& principal, ContactId id, bool permanent,
                        const VersionCheck& expected, std::optional<Contact>* removed);

  store::Store& store_;
};

}  // namespace contactd::domain

#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/error.hpp"
#include "domain/ids.hpp"
#include "domain/precondition.hpp"

namespace contactd::domain {

// The single-valued text fields of a contact. They share storage (one nullable column each) and
// the generic rules (trimmed, no control characters, a length limit); each has its own kind of
// value on top (TextRule), so they are handled by index rather than one member each.
enum class TextField : std::size_t {
  kFirstName,
  kLastName,
  kEmail,
  kTitle,
  kDepartment,
  kAddress,
  kCity,
  kState,
  kZip,
  kLinkedinUrl,
  kFullName,
  kDisplayName,
  kCode,
  kTaxId,
  kDescription,
  kNotes,
  kWebsite,
  kCountry,
  kTimezone,
  kBirthday,
  kAnniversary,
  kPreferredContactMethod,
  kSource,
  kStatus,
};

// What a text field's value must be, beyond the common rules.
enum class TextRule {
  kLine,       // any single line
  kMultiline,  // tabs and newlines allowed
  kEmail,
  kHttpUrl,
  kCountry,    // ISO 3166-1 alpha-2, stored upper case
  kTimeZone,   // an IANA zone name of the system tz database
  kDate,       // a calendar date, stored YYYY-MM-DD (see ParseDate)
  kChoice,     // one of `choices`, stored lower case
};

inline constexpr std::array<std::string_view, 3> kContactMethods = {"email", "phone", "mobile"};
inline constexpr std::array<std::string_view, 3> kContactStatuses = {"active", "inactive",
                                                                     "archived"};
inline constexpr std::size_t kMaxLongTextLength = 65536;

struct TextFieldSpec {
  std::string_view name;
  TextRule rule = TextRule::kLine;
  std::size_t max_length = 255;  // characters
  std::span<const std::string_view> choices = {};
  bool nullable = true;  // false: a value is always set (the default when none was sent)
};

inline constexpr std::array<TextFieldSpec, 24> kTextFields = {{
    {"first_name"},
    {"last_name"},
    {"email", TextRule::kEmail, 254},
    {"title"},
    {"department"},
    {"address"},
    {"city"},
    {"state"},
    {"zip"},
    {"linkedin_url", TextRule::kHttpUrl},
    {"full_name"},
    {"display_name"},
    {"code"},
    {"tax_id"},
    {"description", TextRule::kMultiline, kMaxLongTextLength},
    {"notes", TextRule::kMultiline, kMaxLongTextLength},
    {"website", TextRule::kHttpUrl},
    {"country", TextRule::kCountry},
    {"timezone", TextRule::kTimeZone},
    {"birthday", TextRule::kDate},
    {"anniversary", TextRule::kDate},
    {"preferred_contact_method", TextRule::kChoice, 255, kContactMethods},
    {"source"},
    {"status", TextRule::kChoice, 255, kContactStatuses, /*nullable=*/false},
}};
inline constexpr std::size_t kTextFieldCount = kTextFields.size();

inline const TextFieldSpec& SpecOf(TextField field) {
  return kTextFields[static_cast<std::size_t>(field)];
}
inline std::string_view TextFieldName(TextField field) { return SpecOf(field).name; }
// The text field called `name`, if any.
inline std::optional<TextField> FindTextField(std::string_view name) {
  for (std::size_t i = 0; i < kTextFieldCount; ++i) {
    if (kTextFields[i].name == name) return static_cast<TextField>(i);
  }
  return std::nullopt;
}

inline constexpr std::array<std::string_view, 2> kContactTypes = {"lender_contact", "sponsor"};
// A set of contact types as a bit mask: bit i stands for kContactTypes[i]. Filters on the set
// match masks, which an index serves.
inline constexpr std::int64_t kContactTypeMaskCount = std::int64_t{1} << kContactTypes.size();
// The bit of a contact type; 0 for a name that is none.
inline std::int64_t ContactTypeBit(std::string_view type) {
  for (std::size_t i = 0; i < kContactTypes.size(); ++i) {
    if (kContactTypes[i] == type) return std::int64_t{1} << i;
  }
  return 0;
}
inline constexpr std::array<std::string_view, 6> kPhoneTypes = {"mobile", "office", "fax",
                                                                "home",   "main",   "work"};

// A phone number. `e164` is always computed by the server from `raw` and `country`; it is empty
// when a surface's policy kept a number that does not parse (PhonePolicy::kKeepUnparsed).
struct Phone {
  std::string type;       // one of kPhoneTypes
  std::string raw;        // as the client sent it
  std::string country;    // ISO 3166-1 alpha-2 region of the number (the parse hint if none)
  std::string e164;       // canonical +CC... form, or "" (rendered null) when it did not parse
  std::string extension;  // "" when none; E.164 has no room for it

  bool operator==(const Phone&) const = default;
};

// How strictly a write treats phone numbers: the native API rejects what is not a valid number;
// seed 004 takes what is a possible one (its own example, +15551234567, is in the fictional 555
// range, which libphonenumber does not call valid), in E.164 too; seeds 002 and 003 document
// free text and keep it, with a null e164.
enum class PhonePolicy { kStrict, kPossible, kKeepUnparsed };

// The data types of custom fields (seed 002's data_type values and seed 004's field types).
enum class CustomFieldType {
  kText, kLongText, kNumber, kBoolean, kDate, kDateTime, kSelect, kMultiSelect, kUrl, kEmail,
  kPhone,
};
inline constexpr std::array<std::string_view, 11> kCustomFieldTypeNames = {
    "text", "long_text", "number", "boolean", "date", "datetime",
    "select", "multi_select", "url", "email", "phone"};

// The definition of a custom field of an account. Its key and type never change (stored values
// are kept by key and typed by their shape); its name, options and rank may.
struct CustomField {
  CustomFieldId id;
  AccountId account;
  std::string key;
  std::string name;
  CustomFieldType type = CustomFieldType::kText;
  std::vector<std::string> options;  // the choices of select and multi_select; empty otherwise
  std::int64_t rank = 0;             // display order: by rank, then id
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// A level of an account's hotness scale (seed 002's hotness: "Hot", rank 12, "#3b274c").
struct HotnessLevel {
  std::int64_t id = 0;
  std::string name;
  std::int64_t rank = 0;
  std::optional<std::string> color;  // #rrggbb

  bool operator==(const HotnessLevel&) const = default;
};

// What an API surface asks of the domain's validation, beyond the rules every surface shares.
struct WritePolicy {
  PhonePolicy phones = PhonePolicy::kStrict;
  // The region numbers without '+' or a country of their own are read in; the service sets it
  // from the account's settings.
  std::string default_country = "US";
  // The account's custom field definitions, which custom_fields values are checked against; the
  // service reads them when a write sends custom_fields.
  std::vector<CustomField> custom_fields;
  // Seeds 000/001 require a contact type and a company on create; the other seeds' contacts may
  // have neither (an empty type set, no company).
  bool requires_type_and_company = true;
  // Custom field keys not yet defined are defined on first use (seed 003's customFields object):
  // a string value makes a text field, a number a number field, a boolean a boolean field.
  bool defines_custom_fields = false;
  // Seed 000 fixes a contact's company; seed 003's PUT may move it to another (parentEntityId).
  bool moves_companies = false;
  // Seed 002 lets a create say when the contact was created and last changed (created_at,
  // modified_at), for contacts brought from elsewhere.
  bool writes_timestamps = false;
  // Seed 004: "at minimum an email or a phone number" on create (and on an upsert's create).
  bool requires_email_or_phone = false;
};

// A company given by name rather than by id (seed 002's company): the account's company of that
// name (spelled so, else the same under FoldCase; the oldest first), or a new company with this
// uid, found or created by the store inside the contact's write.
struct NamedCompany {
  std::string name;
  std::string uid;
  // Whether the writer may create companies; if not, a name the account lacks is kForbidden.
  bool may_create = true;

  bool operator==(const NamedCompany&) const = default;
};


// Tags: a set per contact, compared case-insensitively (FoldCase), each kept as first spelled.
inline constexpr std::size_t kMaxTagsPerContact = 100;
inline constexpr std::size_t kMaxTagLength = 64;  // characters

// Seed 002's spouse fields, as one value.
struct Spouse {
  std::optional<std::string> name;
  std::optional<std::string> email;
  std::optional<std::string> phone;     // E.164 when it parses, else (lenient policy) as sent
  std::optional<std::string> birthday;  // YYYY-MM-DD
  // The phone as the client sent it (seed 002 shows it so); none for spouses stored before it
  // was kept.
  std::optional<std::string> phone_raw;

  bool operator==(const Spouse&) const = default;
};
inline constexpr std::size_t kMaxSpouseNameLength = 45;  // seed 002

// A postal address of a contact (seed 002's addresses[], seed 003's address). The first of a
// contact's addresses is its primary one: the flat address, city, state and zip fields are its
// line1, city, state and postal_code.
struct Address {
  std::int64_t id = 0;  // unique within the contact, kept across updates
  std::optional<std::string> type;  // free text: "Main Office", "home"
  std::optional<std::string> line1;
  std::optional<std::string> line2;
  std::optional<std::string> city;
  std::optional<std::string> state;
  std::optional<std::string> postal_code;
  std::optional<std::string> country_code;  // ISO 3166-1 alpha-2, upper case
  std::optional<std::string> addressee;
  std::optional<std::string> company_name;
  std::optional<std::string> attention;
  std::optional<std::string> phone;  // as for a spouse: E.164, or as sent where kept

  bool operator==(const Address&) const = default;
};
inline constexpr std::size_t kMaxAddressesPerContact = 10;

// How many managers up a chain a write follows to rule out a cycle (a manager with a longer
// chain above it is refused), and how many levels a subtree read goes down.
inline constexpr int kMaxHierarchyDepth = 1000;

// Do-not-disturb per channel (seed 004's dndSettings).
inline constexpr std::array<std::string_view, 6> kDndChannels = {"call", "email", "sms",
                                                                 "whatsapp", "gmb", "fb"};
inline constexpr std::array<std::string_view, 3> kDndStatuses = {"active", "inactive",
                                                                 "permanent"};
struct DndChannel {
  std::string channel;  // one of kDndChannels
  std::string status;   // one of kDndStatuses
  std::optional<std::string> message;
  std::optional<std::string> code;

  bool operator==(const DndChannel&) const = default;
};

// The value of a custom field on a contact, typed by the field's definition (see
// custom_fields.hpp): text, long_text, url, email, phone, date (YYYY-MM-DD), datetime
// (YYYY-MM-DDTHH:MM:SSZ) and select are strings; number a double; boolean a bool; multi_select
// the options chosen. A stored value carries its type in its shape, so reads need no definitions.
using CustomValue = std::variant<std::string, double, bool, std::vector<std::string>>;
// A contact's custom field values by field key.
using CustomValues = std::map<std::string, CustomValue, std::less<>>;

// A custom field value as a client sent it: null (remove it), a string, a number, a boolean, an
// array of strings, or something else (`malformed`: an object, an array holding a non-string).
struct CustomValueInput {
  std::string key;
  std::variant<std::monostate, std::string, double, bool, std::vector<std::string>> value;
  bool malformed = false;
};

using TextValues = std::array<std::optional<std::string>, kTextFieldCount>;

// The text of a contact nobody has written to yet: only its defaults (status active).
inline TextValues DefaultTextValues() {
  TextValues text;
  text[static_cast<std::size_t>(TextField::kStatus)] = std::string(kContactStatuses.front());
  return text;
}

// A stored contact as the domain sees it.
struct Contact {
  ContactId id;
  std::string uid;
  AccountId account;
  std::optional<CompanyId> company;
  // The first is the legacy contact_type; empty only for contacts created through a surface
  // without types (WritePolicy::requires_type_and_company).
  std::vector<std::string> contact_types;
  TextValues text;
  bool full_name_given = false;  // false: full_name is derived from first and last name
  std::vector<Phone> phones;
  std::optional<Spouse> spouse;
  bool dnd = false;
  std::vector<DndChannel> dnd_settings;  // in kDndChannels order, each channel at most once
  std::vector<std::string> tags;         // distinct under FoldCase, in the order first added
  std::vector<Address> addresses;        // the first is the primary address
  CustomValues custom_fields;
  // The source of the account's list that `source` names, if any (seed 002's source_id).
  std::optional<std::int64_t> source_id;
  std::optional<HotnessLevel> hotness;  // the level as it is now
  std::optional<ContactId> reports_to;  // the contact's manager (seed 003's metadata.reportsTo)
  bool is_primary = false;
  bool is_connected = false;
  std::optional<UserId> owner_user;     // who created it (or was given it); none if imported
  std::optional<UserId> assigned_user;  // a user of the account it is assigned to
  std::int64_t created_at = 0;  // unix seconds, UTC
  std::int64_t updated_at = 0;
  std::int64_t version = 1;  // one more on each change (ETag, If-Match)
  std::optional<std::int64_t> deleted_at;  // set on contacts listed as deleted (restorable)

  const std::optional<std::string>& Text(TextField field) const {
    return text[static_cast<std::size_t>(field)];
  }
  // The first number of a type, as the client sent it (surfaces that show one number per type).
  std::optional<std::string> RawPhoneOfType(std::string_view type) const {
    for (const Phone& phone : phones) {
      if (phone.type == type) return phone.raw;
    }
    return std::nullopt;
  }
};

// A user a contact was shared with (seed 002): it sees the contact as its owner does.
struct Share {
  UserId user;
  std::int64_t created_at = 0;
};

// A value read from a request: absent, explicitly null, or a value. A value of the wrong shape is
// recorded as present without a value, with its error in the input's `errors`.
template <class T>
struct Input {
  bool present = false;
  std::optional<T> value;
};

struct PhoneInput {
  std::string raw;
  std::optional<std::string> type;
  std::optional<std::string> country;
  std::optional<std::string> extension;
};

struct SpouseInput {
  Input<std::string> name;
  Input<std::string> email;
  Input<std::string> phone;
  Input<std::string> birthday;
};

struct AddressInput {
  Input<std::int64_t> id;  // an address of the contact to keep the id of
  Input<std::string> type;
  Input<std::string> line1;
  Input<std::string> line2;
  Input<std::string> city;
  Input<std::string> state;
  Input<std::string> postal_code;
  Input<std::string> country_code;
  Input<std::string> addressee;
  Input<std::string> company_name;
  Input<std::string> attention;
  Input<std::string> phone;
};

struct DndChannelInput {
  std::string channel;  // a kDndChannels name (the reader rejects others)
  Input<std::string> status;
  Input<std::string> message;
  Input<std::string> code;
};

// The number of one type, set (a value) or removed (null) while the contact's other numbers stay
// as they are (seed 003's phone, metadata.mobilePhone and metadata.workPhone).
struct TypedPhoneInput {
  std::string type;   // one of kPhoneTypes
  std::string field;  // its name in errors
  Input<std::string> raw;
  // The region a number without a '+' is read in (seed 004's country); none: the account's.
  std::optional<std::string> country;
};

// The body of a create or update request, before validation.
struct ContactInput {
  std::array<Input<std::string>, kTextFieldCount> text;
  Input<std::string> contact_type;
  Input<std::vector<std::string>> contact_types;
  Input<std::int64_t> company_id;
  // The company by name (NamedCompany); null or "" for none. Not with company_id.
  Input<std::string> company_name;
  Input<bool> is_primary;
  Input<bool> is_connected;
  Input<std::vector<PhoneInput>> phones;
  Input<SpouseInput> spouse;
  // On updates: `spouse` holds only the members to change (seed 002's flat spouse_* fields); the
  // others keep their stored values, and a spouse left without any member is removed.
  bool spouse_members = false;
  Input<bool> dnd;
  Input<std::vector<DndChannelInput>> dnd_settings;
  Input<std::vector<std::string>> tags;
  Input<std::vector<AddressInput>> addresses;
  // The first address changed member by member (seed 003's address object): a member sent
  // changes, null clears it, the others stay; null as a whole removes the first address. Not
  // with `addresses` or the flat address fields; `first_address_field` names it in errors.
  Input<AddressInput> first_address;
  std::string first_address_field = "address";
  std::vector<TypedPhoneInput> typed_phones;  // not with `phones`
  // Members of the custom_fields object; null as a whole: no values (on an update, clear them).
  Input<std::vector<CustomValueInput>> custom_fields;
  Input<std::int64_t> source_id;   // a source of the account's list: sets source to its name
  Input<std::int64_t> hotness_id;  // a level of the account's hotness scale
  Input<std::int64_t> reports_to;  // another contact of the account
  Input<std::int64_t> owner_user_id;     // a user of the account (imports; admins' transfers)
  Input<std::int64_t> assigned_user_id;  // a user of the account
  // ISO 8601 times a create may set (WritePolicy::writes_timestamps), no later than now;
  // updated_at no earlier than created_at.
  Input<std::string> created_at;
  Input<std::string> updated_at;
  VersionCheck expected;  // updates: the versions the change applies to (If-Match, `version`)
  FieldErrors errors;  // shape errors found while reading: unknown keys, wrong JSON types
};

// A validated contact to insert.
struct NewContact {
  AccountId account;
  std::optional<CompanyId> company;
  std::optional<UserId> owner;  // none for imported contacts
  std::optional<UserId> assigned;
  std::string uid;
  std::vector<std::string> contact_types;
  TextValues text = DefaultTextValues();
  bool full_name_given = false;
  std::vector<Phone> phones;
  std::optional<Spouse> spouse;
  bool dnd = false;
  std::vector<DndChannel> dnd_settings;
  std::vector<std::string> tags;
  std::vector<Address> addresses;
  CustomValues custom_fields;
  // The store resolves both inside the write: a source_id sets `source` to the source's name
  // (without one, `source` names a listed source or none), a hotness_id the level's details.
  std::optional<std::int64_t> source_id;
  std::optional<std::int64_t> hotness_id;
  std::optional<ContactId> reports_to;  // checked by the store inside the write
  std::optional<NamedCompany> named_company;  // replaces `company` when set
  bool is_primary = false;
  bool is_connected = false;
  std::int64_t now = 0;
  // The times the client gave (WritePolicy::writes_timestamps); none: `now`.
  std::optional<std::int64_t> created_at;
  std::optional<std::int64_t> updated_at;
};

// Validated changes to an existing contact: only the engaged members change.
struct ContactChanges {
  std::array<std::optional<std::optional<std::string>>, kTextFieldCount> text;
  std::optional<bool> full_name_given;
  std::optional<std::vector<Phone>> phones;
  std::optional<std::optional<Spouse>> spouse;
  std::optional<bool> dnd;
  std::optional<std::vector<DndChannel>> dnd_settings;
  std::optional<std::vector<std::string>> tags;  // the whole new set
  std::optional<std::vector<Address>> addresses;  // the whole new list (flat fields follow)
  std::optional<CustomValues> custom_fields;      // the whole new set of values
  // Resolved by the store as for NewContact; a source_id change overrides the source text.
  std::optional<std::optional<std::int64_t>> source_id;
  std::optional<std::optional<std::int64_t>> hotness_id;
  // The store refuses a manager that is not a contact of the account, the contact itself, or one
  // that reports (through any chain) to the contact.
  std::optional<std::optional<ContactId>> reports_to;
  std::optional<bool> is_connected;
  std::optional<UserId> owner;                    // a transfer
  std::optional<std::optional<UserId>> assigned;  // null: unassigned
  // Another company (null: none): the store refuses one that is not the account's; a primary
  // contact stops being its former company's.
  std::optional<std::optional<CompanyId>> company;
  // Another company by name: the store finds or creates it, then moves the contact as for
  // `company` (no change when it is the contact's).
  std::optional<NamedCompany> named_company;
  std::int64_t now = 0;

  bool empty() const {
    for (const auto& t : text) {
      if (t) return false;
    }
    return !full_name_given && !phones && !spouse && !dnd && !dnd_settings && !tags &&
           !addresses && !custom_fields && !source_id && !hotness_id && !reports_to &&
           !is_connected && !owner && !assigned && !company && !named_company;
  }
};

}  // namespace contactd::domain

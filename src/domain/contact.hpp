#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "domain/ids.hpp"

namespace contactd::domain {

// The free-text fields of a contact. They share rules (nullable, length limit) and storage, so
// they are handled by index rather than one member each.
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
};
inline constexpr std::size_t kTextFieldCount = 10;
inline constexpr std::array<std::string_view, kTextFieldCount> kTextFieldNames = {
    "first_name", "last_name", "email", "title", "department",
    "address",    "city",      "state", "zip",   "linkedin_url",
};
inline std::string_view TextFieldName(TextField field) {
  return kTextFieldNames[static_cast<std::size_t>(field)];
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
inline constexpr std::array<std::string_view, 4> kPhoneTypes = {"mobile", "office", "fax", "home"};

// A normalized phone number. `e164` is always computed by the server from `raw` and `country`.
struct Phone {
  std::string type;       // one of kPhoneTypes
  std::string raw;        // as the client sent it
  std::string country;    // ISO 3166-1 alpha-2 region of the number (the parse hint if none)
  std::string e164;       // canonical +CC... form
  std::string extension;  // "" when none; E.164 has no room for it

  bool operator==(const Phone&) const = default;
};

using TextValues = std::array<std::optional<std::string>, kTextFieldCount>;

// A stored contact as the domain sees it.
struct Contact {
  ContactId id;
  std::string uid;
  AccountId account;
  std::optional<CompanyId> company;
  std::vector<std::string> contact_types;  // never empty; the first is the legacy contact_type
  TextValues text;
  std::vector<Phone> phones;
  bool is_primary = false;
  bool is_connected = false;
  std::optional<UserId> owner_user;
  std::int64_t created_at = 0;  // unix seconds, UTC
  std::int64_t updated_at = 0;

  const std::optional<std::string>& Text(TextField field) const {
    return text[static_cast<std::size_t>(field)];
  }
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

// The body of a create or update request, before validation.
struct ContactInput {
  std::array<Input<std::string>, kTextFieldCount> text;
  Input<std::string> contact_type;
  Input<std::vector<std::string>> contact_types;
  Input<std::int64_t> company_id;
  Input<bool> is_primary;
  Input<bool> is_connected;
  Input<std::vector<PhoneInput>> phones;
  FieldErrors errors;  // shape errors found while reading: unknown keys, wrong JSON types
};

// A validated contact to insert.
struct NewContact {
  AccountId account;
  std::optional<CompanyId> company;
  std::optional<UserId> owner;  // none for imported contacts
  std::string uid;
  std::vector<std::string> contact_types;
  TextValues text;
  std::vector<Phone> phones;
  bool is_primary = false;
  bool is_connected = false;
  std::int64_t now = 0;
};

// Validated changes to an existing contact: only the engaged members change.
struct ContactChanges {
  std::array<std::optional<std::optional<std::string>>, kTextFieldCount> text;
  std::optional<std::vector<Phone>> phones;
  std::optional<bool> is_connected;
  std::int64_t now = 0;

  bool empty() const {
    for (const auto& t : text) {
      if (t) return false;
    }
    return !phones && !is_connected;
  }
};

}  // namespace contactd::domain

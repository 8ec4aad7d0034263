#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/contact.hpp"
#include "domain/error.hpp"
#include "domain/ids.hpp"

namespace contactd::domain {

inline constexpr std::array<std::string_view, 2> kCompanyTypes = {"lender", "sponsor"};

// A company of an account; contacts belong to one. At most one contact is its primary contact.
// The fields of a company that writes set (all but identity, primary contact and times).
struct CompanyDetails {
  std::string name;
  std::optional<std::string> company_type;
  std::optional<std::string> website;
  std::optional<std::string> phone;    // E.164 (strict policy) or as sent where kept
  std::optional<Address> address;      // id always 1
  std::vector<std::string> tags;       // a set under TagKey
  std::string status = std::string(kContactStatuses.front());  // as a contact's

  bool operator==(const CompanyDetails&) const = default;
};

struct Company : CompanyDetails {
  CompanyId id;
  std::string uid;
  AccountId account;
  std::optional<ContactId> primary_contact;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t version = 1;  // one more on each change (ETag, If-Match)
};

struct CompanyInput {
  Input<std::string> name;
  Input<std::string> company_type;
  Input<std::string> website;
  Input<std::string> phone;
  Input<AddressInput> address;
  Input<std::vector<std::string>> tags;
  Input<std::string> status;
  VersionCheck expected;  // updates: the versions the change applies to (If-Match, `version`)
  FieldErrors errors;
};

struct NewCompany : CompanyDetails {
  AccountId account;
  std::string uid;
  std::int64_t now = 0;

  // A company with only a name (imports create them so).
  static NewCompany Named(AccountId account, std::string uid, std::string name, std::int64_t now) {
    NewCompany company;
    company.account = account;
    company.uid = std::move(uid);
    company.name = std::move(name);
    company.now = now;
    return company;
  }
};

// Validated changes to a company: only the engaged members change.
struct CompanyChanges {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> company_type;
  std::optional<std::optional<std::string>> website;
  std::optional<std::optional<std::string>> phone;
  std::optional<std::optional<Address>> address;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> status;
  VersionCheck expected;  // checked on the stored company inside the write
  std::int64_t now = 0;
};

}  // namespace contactd::domain

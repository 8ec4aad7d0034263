#pragma once

#include <string>

#include "domain/access.hpp"
#include "domain/account.hpp"
#include "domain/contact.hpp"
#include "domain/error.hpp"

namespace contactd::store {
class Store;
}

namespace contactd::domain {

inline constexpr std::string_view kAllowDuplicates = "allow";
inline constexpr std::string_view kRejectDuplicates = "reject";

// The body of PATCH /settings.
struct SettingsInput {
  Input<std::string> duplicate_contacts;  // "allow" or "reject"
  Input<std::string> default_country;     // ISO 3166-1 alpha-2 with a phone numbering plan
  FieldErrors errors;
};

// An account's settings: everyone reads them, admins change them.
class SettingsService {
 public:
  explicit SettingsService(store::Store& store) : store_(store) {}

  Result<AccountSettings> Get(const Principal& principal);
  // Changes the members sent. kForbidden unless admin; kValidation naming a bad member.
  Result<AccountSettings> Update(const Principal& principal, SettingsInput input);

 private:
  store::Store& store_;
};

}  // namespace contactd::domain

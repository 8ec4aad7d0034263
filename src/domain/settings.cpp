#include "domain/settings.hpp"

#include "domain/locale.hpp"
#include "domain/phone.hpp"
#include "store/store.hpp"

namespace contactd::domain {

Result<AccountSettings> SettingsService::Get(const Principal& principal) {
  if (auto allowed = Authorize(principal, Permission::kRead, "settings"); !allowed) {
    return std::unexpected(allowed.error());
  }
  return store_.GetSettings(principal.account);
}

Result<AccountSettings> SettingsService::Update(const Principal& principal, SettingsInput input) {
  if (!Allows(principal.role, Permission::kDelete)) {
    return std::unexpected(Error::Forbidden("Only admins may change settings"));
  }
  auto settings = store_.GetSettings(principal.account);
  if (!settings) return std::unexpected(settings.error());
  FieldErrors errors = std::move(input.errors);
  if (input.duplicate_contacts.present) {
    const auto& value = input.duplicate_contacts.value;
    if (value && (*value == kAllowDuplicates || *value == kRejectDuplicates)) {
      settings->reject_duplicates = *value == kRejectDuplicates;
    } else {
      errors.Add("duplicate_contacts", "duplicate_contacts must be allow or reject");
    }
  }
  if (input.default_country.present) {
    auto country = input.default_country.value ? IsoCountry(*input.default_country.value)
                                               : std::nullopt;
    if (country && IsKnownPhoneRegion(*country)) {
      settings->default_country = *country;
    } else {
      errors.Add("default_country",
                 "default_country must be an ISO 3166-1 alpha-2 country code with phone numbers");
    }
  }
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  if (auto saved = store_.SaveSettings(principal.account, *settings); !saved) {
    return std::unexpected(saved.error());
  }
  return *settings;
}

}  // namespace contactd::domain

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
  FieldErrors errors = std::move(input.errors);
  std::optional<bool> reject_duplicates;
  std::optional<std::string> default_country;
  if (input.duplicate_contacts.present) {
    const auto& value = input.duplicate_contacts.value;
    if (value && (*value == kAllowDuplicates || *value == kRejectDuplicates)) {
      reject_duplicates = *value == kRejectDuplicates;
    } else {
      errors.Add("duplicate_contacts", "duplicate_contacts must be allow or reject");
    }
  }
  if (input.default_country.present) {
    default_country =
        input.default_country.value ? IsoCountry(*input.default_country.value) : std::nullopt;
    if (!default_country || !IsKnownPhoneRegion(*default_country)) {
      errors.Add("default_country",
                 "default_country must be an ISO 3166-1 alpha-2 country code with phone numbers");
    }
  }
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  // Only what was sent changes, on the stored settings, in one write.
  return store_.UpdateSettings(principal.account, [&](AccountSettings& settings) -> Result<void> {
    if (reject_duplicates) settings.reject_duplicates = *reject_duplicates;
    if (default_country) settings.default_country = *default_country;
    return {};
  });
}

}  // namespace contactd::domain

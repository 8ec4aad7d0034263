#include "domain/companies.hpp"

#include <algorithm>

#include "domain/addresses.hpp"
#include "domain/crypto.hpp"
#include "domain/phone.hpp"
#include "domain/tags.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"

namespace contactd::domain {
namespace {

// Validates the members `input` holds into `changes`; a create and an update read them alike.
CompanyChanges ValidateCompanyInput(const CompanyInput& input, const WritePolicy& policy,
                                    FieldErrors& errors) {
  CompanyChanges changes;
  if (input.name.present) {
    if (!input.name.value || Trim(*input.name.value).empty()) {
      errors.Add("name", "name is required");
    } else {
      changes.name = CleanText("name", *input.name.value, errors);
    }
  }
  if (input.company_type.present) {
    changes.company_type.emplace();
    if (input.company_type.value) {
      const std::string& type = *input.company_type.value;
      if (std::find(kCompanyTypes.begin(), kCompanyTypes.end(), type) == kCompanyTypes.end()) {
        errors.Add("company_type", "company_type must be lender or sponsor");
      }
      *changes.company_type = type;
    }
  }
  if (input.website.present) {
    changes.website.emplace();
    if (input.website.value) {
      *changes.website = CleanText("website", *input.website.value, errors);
      if (!errors.Has("website") && !IsHttpUrl(**changes.website)) {
        errors.Add("website", "website must be an http or https URL");
      }
    }
  }
  if (input.phone.present) {
    changes.phone.emplace();
    if (input.phone.value) {
      std::string raw = CleanText("phone", *input.phone.value, errors);
      if (!errors.Has("phone")) *changes.phone = NormalizePhoneText(raw, "phone", policy, errors);
    }
  }
  if (input.address.present) {
    changes.address.emplace();
    if (input.address.value) {
      if (input.address.value->id.present) errors.Add("address.id", "address.id is read-only");
      Address address = ValidateAddress(*input.address.value, "address", policy, errors);
      address.id = 1;
      *changes.address = std::move(address);
    }
  }
  if (input.tags.present) {
    if (!input.tags.value) {
      errors.Add("tags", "tags must be an array of strings; send [] to clear it");
    } else {
      changes.tags = ValidateTags(*input.tags.value, "tags", errors);
    }
  }
  if (input.status.present) {
    std::string status = input.status.value ? std::string(Trim(*input.status.value)) : "";
    std::transform(status.begin(), status.end(), status.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::find(kContactStatuses.begin(), kContactStatuses.end(), status) ==
        kContactStatuses.end()) {
      errors.Add("status", "status must be active, inactive or archived");
    }
    changes.status = std::move(status);
  }
  return changes;
}

}  // namespace

// A company's phone reads in the account's default country, as a contact's does.
Result<void> CompanyService::ApplySettings(const Principal& principal, const CompanyInput& input,
                                           WritePolicy& policy) {
  if (!input.phone.present && !input.address.present) return {};
  auto settings = store_.GetSettings(principal.account);
  if (!settings) return std::unexpected(settings.error());
  policy.default_country = settings->default_country;
  return {};
}

Result<Company> CompanyService::Create(const Principal& principal, CompanyInput input,
                                       WritePolicy policy) {
  if (auto allowed = Authorize(principal, Permission::kCreate, "company"); !allowed) {
    return std::unexpected(allowed.error());
  }
  if (auto applied = ApplySettings(principal, input, policy); !applied) {
    return std::unexpected(applied.error());
  }
  FieldErrors errors = std::move(input.errors);
  if (!input.name.present) errors.Add("name", "name is required");
  CompanyChanges fields = ValidateCompanyInput(input, policy, errors);
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  NewCompany company = NewCompany::Named(principal.account, NewUuidV4(), std::move(*fields.name),
                                         NowSeconds());
  if (fields.company_type) company.company_type = std::move(*fields.company_type);
  if (fields.website) company.website = std::move(*fields.website);
  if (fields.phone) company.phone = std::move(*fields.phone);
  if (fields.address) company.address = std::move(*fields.address);
  if (fields.tags) company.tags = std::move(*fields.tags);
  if (fields.status) company.status = std::move(*fields.status);
  return store_.CreateCompany(company);
}

Result<CompanyId> CompanyService::FindByUid(const Principal& principal, std::string_view uid) {
  auto id = store_.FindCompanyIdByUid(principal.account, uid);
  if (!id) return std::unexpected(id.error());
  if (!*id) return std::unexpected(Error::NotFound("Company not found"));
  return **id;
}

Result<Company> CompanyService::Get(const Principal& principal, CompanyId id) {
  if (auto allowed = Authorize(principal, Permission::kRead, "company"); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto company = store_.FindCompany(principal.account, id);
  if (!company) return std::unexpected(company.error());
  if (!*company) return std::unexpected(Error::NotFound("Company not found"));
  return std::move(**company);
}

Result<store::Page<Company>> CompanyService::List(const Principal& principal,
                                                  const ListQuery& query) {
  if (auto allowed = Authorize(principal, Permission::kRead, "company"); !allowed) {
    return std::unexpected(allowed.error());
  }
  return store_.ListCompanies(principal.account, query);
}

Result<Company> CompanyService::Update(const Principal& principal, CompanyId id,
                                       CompanyInput input, WritePolicy policy) {
  if (auto allowed = Authorize(principal, Permission::kUpdate, "company"); !allowed) {
    return std::unexpected(allowed.error());
  }
  if (auto applied = ApplySettings(principal, input, policy); !applied) {
    return std::unexpected(applied.error());
  }
  FieldErrors errors = std::move(input.errors);
  CompanyChanges changes = ValidateCompanyInput(input, policy, errors);
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  changes.now = NowSeconds();
  changes.expected = std::move(input.expected);
  auto updated = store_.UpdateCompany(principal.account, id, changes);
  if (!updated) return std::unexpected(updated.error());
  if (!*updated) return std::unexpected(Error::NotFound("Company not found"));
  return std::move(**updated);
}

Result<Company> CompanyService::SetPrimaryContact(const Principal& principal, CompanyId id,
                                                  std::optional<ContactId> contact,
                                                  const VersionCheck& expected) {
  if (auto allowed = Authorize(principal, Permission::kUpdate, "company"); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto updated = store_.SetCompanyPrimary(ScopeOf(principal), id, contact, NowSeconds(), expected);
  if (!updated) return std::unexpected(updated.error());
  if (!*updated) return std::unexpected(Error::NotFound("Company not found"));
  return std::move(**updated);
}

Result<void> CompanyService::Delete(const Principal& principal, CompanyId id, bool detach,
                                    const VersionCheck& expected) {
  if (auto allowed = Authorize(principal, Permission::kDelete, "company"); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto referencing = store_.DeleteCompany(principal.account, id, detach, NowSeconds(), expected);
  if (!referencing) return std::unexpected(referencing.error());
  if (!*referencing) return std::unexpected(Error::NotFound("Company not found"));
  if (**referencing > 0 && !detach) {
    return std::unexpected(Error::Conflict(
        "The company has " + std::to_string(**referencing) +
        " contacts; move them first, or delete with ?detach=true to leave them without a company"));
  }
  return {};
}

}  // namespace contactd::domain

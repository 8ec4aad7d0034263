#include "domain/companies.hpp"

#include <algorithm>

#include "domain/crypto.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"

namespace contactd::domain {

Result<Company> CompanyService::Create(const Principal& principal, CompanyInput input) {
  if (auto allowed = Authorize(principal, Permission::kCreate, "company"); !allowed) {
    return std::unexpected(allowed.error());
  }
  FieldErrors errors = std::move(input.errors);
  NewCompany company;
  company.account = principal.account;
  if (!input.name.present || !input.name.value || Trim(*input.name.value).empty()) {
    errors.Add("name", "name is required");
  } else {
    company.name = CleanText("name", *input.name.value, errors);
  }
  if (input.company_type.present && input.company_type.value) {
    const std::string& type = *input.company_type.value;
    if (std::find(kCompanyTypes.begin(), kCompanyTypes.end(), type) == kCompanyTypes.end()) {
      errors.Add("company_type", "company_type must be lender or sponsor");
    }
    company.company_type = type;
  }
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  company.uid = NewUuidV4();
  company.now = NowSeconds();
  return store_.CreateCompany(company);
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

}  // namespace contactd::domain

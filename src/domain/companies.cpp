#include "domain/companies.hpp"

#include <algorithm>

#include "domain/crypto.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"

namespace contactd::domain {

Result<Company> CompanyService::Create(const Principal& principal, CompanyInput input) {
  if (!Allows(principal.role, Permission::kCreate)) {
    return std::unexpected(Error::Forbidden("User not authorized to create company"));
  }
  FieldErrors errors = std::move(input.errors);
  NewCompany company;
  company.account = principal.account;
  if (!input.name.present || !input.name.value || input.name.value->empty()) {
    errors.Add("name", "name is required");
  } else {
    ValidateLength("name", *input.name.value, errors);
    company.name = *input.name.value;
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
  if (!Allows(principal.role, Permission::kRead)) {
    return std::unexpected(Error::Forbidden("User not authorized to read company"));
  }
  auto company = store_.FindCompany(principal.account, id);
  if (!company) return std::unexpected(company.error());
  if (!*company) return std::unexpected(Error::NotFound("Company not found"));
  return std::move(**company);
}

Result<store::Page<Company>> CompanyService::List(const Principal& principal,
                                                  const ListQuery& query) {
  if (!Allows(principal.role, Permission::kRead)) {
    return std::unexpected(Error::Forbidden("User not authorized to read company"));
  }
  return store_.ListCompanies(principal.account, query);
}

}  // namespace contactd::domain

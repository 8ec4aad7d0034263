#pragma once

#include "domain/access.hpp"
#include "domain/company.hpp"
#include "domain/error.hpp"
#include "domain/query.hpp"
#include "store/store.hpp"

namespace contactd::domain {

// Company use cases shared by every API surface. Thread-safe if the store is.
class CompanyService {
 public:
  explicit CompanyService(store::Store& store) : store_(store) {}

  // kForbidden without CREATE; kValidation: name required (at most 255 characters),
  // company_type null, lender or sponsor.
  Result<Company> Create(const Principal& principal, CompanyInput input);
  // kNotFound unless the company is in the principal's account.
  Result<Company> Get(const Principal& principal, CompanyId id);
  Result<store::Page<Company>> List(const Principal& principal, const ListQuery& query);

 private:
  store::Store& store_;
};

}  // namespace contactd::domain

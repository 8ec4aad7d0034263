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
  // company_type null, lender or sponsor; website an http(s) URL; phone a phone number (under
  // the policy); address as a contact's; tags as a contact's; status active, inactive, archived.
  Result<Company> Create(const Principal& principal, CompanyInput input, WritePolicy policy = {});
  // kNotFound unless the company is in the principal's account.
  Result<Company> Get(const Principal& principal, CompanyId id);
  // The company of the principal's account with this uid (surfaces that name companies by
  // UUID); kNotFound when it has none.
  Result<CompanyId> FindByUid(const Principal& principal, std::string_view uid);
  Result<store::Page<Company>> List(const Principal& principal, const ListQuery& query);
  // Changes the members sent (as Create validates them). kForbidden without UPDATE, kNotFound.
  Result<Company> Update(const Principal& principal, CompanyId id, CompanyInput input,
                         WritePolicy policy = {});
  // Makes the contact the company's only primary contact (`contact` nullopt: none). kForbidden
  // without UPDATE, kNotFound, kValidation naming contact_id unless it is a contact of the
  // company.
  Result<Company> SetPrimaryContact(const Principal& principal, CompanyId id,
                                    std::optional<ContactId> contact,
                                    const VersionCheck& expected = {});
  // Admin only. kConflict while contacts belong to it, unless `detach`: then they are left
  // without a company (and none is primary). kNotFound; kPreconditionFailed when the company is
  // not at one of the `expected` versions.
  Result<void> Delete(const Principal& principal, CompanyId id, bool detach,
                      const VersionCheck& expected = {});

 private:
  // Sets the policy's default country from the account's settings when the input has a phone.
  Result<void> ApplySettings(const Principal& principal, const CompanyInput& input,
                             WritePolicy& policy);

  store::Store& store_;
};

}  // namespace contactd::domain

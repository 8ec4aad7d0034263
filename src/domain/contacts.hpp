#pragma once

#include "domain/access.hpp"
#include "domain/contact.hpp"
#include "domain/error.hpp"
#include "domain/query.hpp"
#include "store/store.hpp"

namespace contactd::domain {

// Validates and normalizes the body of a create request without touching the store: everything
// but whether company_id names a company of the account, and the account, owner, uid and time,
// which the caller sets. Appends every problem to `errors`. Thread-safe.
NewContact ValidateNewContact(const ContactInput& input, FieldErrors& errors);

// The contact use cases every API surface shares: permission checks, validation and
// normalization, then one atomic store call. Thread-safe if the store is.
class ContactService {
 public:
  explicit ContactService(store::Store& store) : store_(store) {}

  // Creates a contact in the principal's account, owned by the principal's user.
  // kForbidden without CREATE; kValidation naming every bad field: contact_type (or
  // contact_types) and company_id (of the caller's account) are required.
  Result<Contact> Create(const Principal& principal, ContactInput input);

  // kNotFound unless the contact is in the principal's account.
  Result<Contact> Get(const Principal& principal, ContactId id);

  Result<store::Page<Contact>> List(const Principal& principal, const ListQuery& query);

  // Changes the provided fields only; contact_type(s), company_id and is_primary are not
  // updatable. kForbidden without UPDATE, kValidation, kNotFound.
  Result<Contact> Update(const Principal& principal, ContactId id, ContactInput input);

 private:
  store::Store& store_;
};

}  // namespace contactd::domain

#include "domain/contacts.hpp"

#include <algorithm>

#include "domain/crypto.hpp"
#include "domain/phone.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"

namespace contactd::domain {
namespace {

bool IsContactType(std::string_view type) {
  return std::find(kContactTypes.begin(), kContactTypes.end(), type) != kContactTypes.end();
}

// Resolves contact_type / contact_types of a create request into the ordered, distinct list.
std::vector<std::string> ContactTypes(const ContactInput& input, FieldErrors& errors) {
  std::vector<std::string> types;
  if (input.contact_types.present) {
    if (!input.contact_types.value) {
      errors.Add("contact_types", "contact_types must be a non-empty array of contact types");
    } else {
      const auto& values = *input.contact_types.value;
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (!IsContactType(values[i])) {
          errors.Add("contact_types[" + std::to_string(i) + "]",
                     "contact_types[" + std::to_string(i) + "] must be lender_contact or sponsor");
        } else if (std::find(types.begin(), types.end(), values[i]) == types.end()) {
          types.push_back(values[i]);
        }
      }
      if (values.empty()) {
        errors.Add("contact_types", "contact_types must be a non-empty array of contact types");
      }
    }
  }
  if (input.contact_type.present) {
    if (!input.contact_type.value) {
      errors.Add("contact_type", "contact_type is required");
    } else if (!IsContactType(*input.contact_type.value)) {
      errors.Add("contact_type", "contact_type must be lender_contact or sponsor");
    } else if (!input.contact_types.present) {
      types = {*input.contact_type.value};
    } else if (auto it = std::find(types.begin(), types.end(), *input.contact_type.value);
               it != types.end()) {
      std::rotate(types.begin(), it, it + 1);  // contact_type is the first of contact_types
    } else if (!errors.Has("contact_types")) {
      errors.Add("contact_type", "contact_type must be one of contact_types");
    }
  }
  if (!input.contact_type.present && !input.contact_types.present) {
    errors.Add("contact_type", "contact_type is required");
  }
  return types;
}

void ApplyText(const ContactInput& input, FieldErrors& errors,
               std::array<std::optional<std::optional<std::string>>, kTextFieldCount>& out) {
  for (std::size_t i = 0; i < kTextFieldCount; ++i) {
    const Input<std::string>& field = input.text[i];
    if (!field.present) continue;
    if (field.value) {
      out[i] = ValidateText(static_cast<TextField>(i), *field.value, errors);
    } else {
      out[i] = std::optional<std::string>();
    }
  }
}

std::optional<std::vector<Phone>> NormalizePhones(const Input<std::vector<PhoneInput>>& input,
                                                  FieldErrors& errors) {
  if (!input.value) {
    errors.Add("phones", "phones must be an array; send [] to clear it");
    return std::nullopt;
  }
  if (input.value->size() > kMaxPhonesPerContact) {
    errors.Add("phones", "phones holds at most 20 numbers");
    return std::nullopt;
  }
  std::vector<Phone> phones;
  for (std::size_t i = 0; i < input.value->size(); ++i) {
    auto phone = NormalizePhone((*input.value)[i], "phones[" + std::to_string(i) + "]", errors);
    if (phone) phones.push_back(std::move(*phone));
  }
  return phones;
}

std::optional<bool> RequireBool(const Input<bool>& input, std::string_view name,
                                FieldErrors& errors) {
  if (!input.value) errors.Add(std::string(name), std::string(name) + " must be true or false");
  return input.value;
}

}  // namespace

NewContact ValidateNewContact(const ContactInput& input, FieldErrors& errors) {
  NewContact contact;
  contact.contact_types = ContactTypes(input, errors);
  if (input.company_id.value) contact.company = CompanyId{*input.company_id.value};
  std::array<std::optional<std::optional<std::string>>, kTextFieldCount> text;
  ApplyText(input, errors, text);
  for (std::size_t i = 0; i < kTextFieldCount; ++i) {
    if (text[i]) contact.text[i] = std::move(*text[i]);
  }
  if (input.phones.present) {
    if (auto phones = NormalizePhones(input.phones, errors)) contact.phones = std::move(*phones);
  }
  if (input.is_primary.present) {
    contact.is_primary = RequireBool(input.is_primary, "is_primary", errors).value_or(false);
  }
  if (input.is_connected.present) {
    contact.is_connected = RequireBool(input.is_connected, "is_connected", errors).value_or(false);
  }
  return contact;
}

Result<Contact> ContactService::Create(const Principal& principal, ContactInput input) {
  if (auto allowed = Authorize(principal, Permission::kCreate, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  FieldErrors errors = std::move(input.errors);
  NewContact contact = ValidateNewContact(input, errors);
  if (!contact.company) {
    errors.Add("company_id", "company_id is required");
  } else {
    auto company = store_.FindCompany(principal.account, *contact.company);
    if (!company) return std::unexpected(company.error());
    if (!*company) {
      errors.Add("company_id", "company_id must be the id of a company in your account");
    }
  }
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));

  contact.account = principal.account;
  contact.owner = principal.user;
  contact.uid = NewUuidV4();
  contact.now = NowSeconds();
  return store_.CreateContact(contact);
}

Result<Contact> ContactService::Get(const Principal& principal, ContactId id) {
  if (auto allowed = Authorize(principal, Permission::kRead, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto contact = store_.FindContact(principal.account, id);
  if (!contact) return std::unexpected(contact.error());
  if (!*contact) return std::unexpected(Error::NotFound("Contact not found"));
  return std::move(**contact);
}

Result<store::Page<Contact>> ContactService::List(const Principal& principal,
                                                  const ListQuery& query) {
  if (auto allowed = Authorize(principal, Permission::kRead, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  return store_.ListContacts(principal.account, query);
}

Result<Contact> ContactService::Update(const Principal& principal, ContactId id,
                                       ContactInput input) {
  if (auto allowed = Authorize(principal, Permission::kUpdate, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  FieldErrors errors = std::move(input.errors);
  if (input.contact_type.present) errors.Add("contact_type", "contact_type is not updatable");
  if (input.contact_types.present) errors.Add("contact_types", "contact_types is not updatable");
  if (input.company_id.present) errors.Add("company_id", "company_id is not updatable");
  if (input.is_primary.present) errors.Add("is_primary", "is_primary is not updatable");

  ContactChanges changes;
  ApplyText(input, errors, changes.text);
  if (input.phones.present) changes.phones = NormalizePhones(input.phones, errors);
  if (input.is_connected.present) {
    changes.is_connected = RequireBool(input.is_connected, "is_connected", errors);
  }
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));

  changes.now = NowSeconds();
  auto updated = store_.UpdateContact(principal.account, id, changes);
  if (!updated) return std::unexpected(updated.error());
  if (!*updated) return std::unexpected(Error::NotFound("Contact not found"));
  return std::move(**updated);
}

}  // namespace contactd::domain

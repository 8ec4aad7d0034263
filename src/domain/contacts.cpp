#include "domain/contacts.hpp"

#include <algorithm>

#include "domain/addresses.hpp"
#include "domain/crypto.hpp"
#include "domain/custom_fields.hpp"
#include "domain/phone.hpp"
#include "domain/search.hpp"
#include "domain/tags.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"

namespace contactd::domain {
namespace {

bool IsContactType(std::string_view type) {
  return std::find(kContactTypes.begin(), kContactTypes.end(), type) != kContactTypes.end();
}

// Resolves contact_type / contact_types of a create request into the ordered, distinct list.
std::vector<std::string> ContactTypes(const ContactInput& input, const WritePolicy& policy,
                                      FieldErrors& errors) {
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
  if (!input.contact_type.present && !input.contact_types.present &&
      policy.requires_type_and_company) {
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
    } else if (!kTextFields[i].nullable) {
      ValidateText(static_cast<TextField>(i), "", errors);  // names what a value must be
    } else {
      out[i] = std::optional<std::string>();
    }
  }
}

std::optional<std::vector<Phone>> NormalizePhones(const Input<std::vector<PhoneInput>>& input,
                                                  FieldErrors& errors, const WritePolicy& policy) {
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
    auto phone =
        NormalizePhone((*input.value)[i], "phones[" + std::to_string(i) + "]", errors,
                       policy.phones, policy.default_country);
    if (phone) phones.push_back(std::move(*phone));
  }
  return phones;
}

// Reads one optional text member of a nested object ("spouse.name"): trimmed, single line.
std::optional<std::string> NestedText(const Input<std::string>& input, const std::string& field,
                                      std::size_t max_length, FieldErrors& errors) {
  if (!input.value) return std::nullopt;
  std::string text = CleanText(field, *input.value, errors);
  if (!errors.Has(field) && Utf8Length(text) > max_length) {
    errors.Add(field, field + " must be at most " + std::to_string(max_length) + " characters");
  }
  if (text.empty()) return std::nullopt;  // blank is none
  return text;
}

std::optional<Spouse> ValidateSpouse(const Input<SpouseInput>& input, const WritePolicy& policy,
                                     FieldErrors& errors) {
  if (!input.value) return std::nullopt;  // null clears it; a wrong type was recorded already
  const SpouseInput& in = *input.value;
  Spouse spouse;
  spouse.name = NestedText(in.name, "spouse.name", kMaxSpouseNameLength, errors);
  if (auto email = NestedText(in.email, "spouse.email", kMaxEmailLength, errors)) {
    if (!errors.Has("spouse.email") && !IsPlausibleEmail(*email)) {
      errors.Add("spouse.email", "spouse.email must be a valid email address");
    }
    spouse.email = std::move(email);
  }
  if (auto raw = NestedText(in.phone, "spouse.phone", kMaxTextLength, errors)) {
    spouse.phone = NormalizePhoneText(*raw, "spouse.phone", policy, errors);
    spouse.phone_raw = *in.phone.value;  // as sent, untrimmed
  }
  if (in.birthday.value) {
    spouse.birthday = ParseDate(Trim(*in.birthday.value));
    if (!spouse.birthday) {
      errors.Add("spouse.birthday", "spouse.birthday must be a date such as 1964-08-15");
    }
  }
  if (!spouse.name && !spouse.email && !spouse.phone && !spouse.birthday) return std::nullopt;
  return spouse;
}

std::vector<DndChannel> ValidateDndSettings(const Input<std::vector<DndChannelInput>>& input,
                                            FieldErrors& errors) {
  std::vector<DndChannel> settings;
  if (!input.value) return settings;  // null clears them
  for (std::string_view name : kDndChannels) {
    for (const DndChannelInput& in : *input.value) {
      if (in.channel != name) continue;
      std::string path = "dnd_settings." + in.channel;
      DndChannel channel;
      channel.channel = in.channel;
      if (!in.status.value ||
          std::find(kDndStatuses.begin(), kDndStatuses.end(), *in.status.value) ==
              kDndStatuses.end()) {
        errors.Add(path + ".status", path + ".status must be active, inactive or permanent");
      } else {
        channel.status = *in.status.value;
      }
      channel.message = NestedText(in.message, path + ".message", kMaxTextLength, errors);
      channel.code = NestedText(in.code, path + ".code", kMaxTextLength, errors);
      settings.push_back(std::move(channel));
      break;
    }
  }
  return settings;
}

std::optional<std::vector<std::string>> ValidateTagList(
    const Input<std::vector<std::string>>& input, FieldErrors& errors) {
  if (!input.value) {
    errors.Add("tags", "tags must be an array of strings; send [] to clear it");
    return std::nullopt;
  }
  return ValidateTags(*input.value, "tags", errors);
}

// The addresses sent, validated; records that flat address fields may not come with them.
std::optional<std::vector<Address>> SentAddresses(const ContactInput& input,
                                                  const WritePolicy& policy, FieldErrors& errors) {
  if (!input.addresses.present) return std::nullopt;
  for (TextField flat : {TextField::kAddress, TextField::kCity, TextField::kState, TextField::kZip}) {
    if (input.text[static_cast<std::size_t>(flat)].present) {
      std::string name(TextFieldName(flat));
      errors.Add(name, name + " is a field of the first address: send it inside addresses, not "
                              "with them");
    }
  }
  if (!input.addresses.value) {
    errors.Add("addresses", "addresses must be an array of address objects; send [] to clear it");
    return std::nullopt;
  }
  return ValidateAddresses(*input.addresses.value, policy, errors);
}

// The first address a write sends member by member, validated (ContactInput::first_address).
struct FirstAddressChange {
  Input<AddressInput> sent;
  Address validated;
};

std::optional<FirstAddressChange> SentFirstAddress(const ContactInput& input,
                                                   const WritePolicy& policy,
                                                   FieldErrors& errors) {
  if (!input.first_address.present) return std::nullopt;
  const std::string& path = input.first_address_field;
  bool flat_sent = false;
  for (TextField flat :
       {TextField::kAddress, TextField::kCity, TextField::kState, TextField::kZip}) {
    flat_sent = flat_sent || input.text[static_cast<std::size_t>(flat)].present;
  }
  if (input.addresses.present || flat_sent) {
    errors.Add(path, path + " cannot be sent with addresses or the flat address fields");
  }
  FirstAddressChange change{input.first_address, {}};
  if (input.first_address.value) {
    change.validated = ValidateAddress(*input.first_address.value, path, policy, errors);
  }
  return change;
}

// A number of one type to set, or (no phone) to remove (ContactInput::typed_phones).
struct TypedPhoneChange {
  std::string type;
  std::string field;  // its name in errors
  std::optional<Phone> phone;
};

std::vector<TypedPhoneChange> SentTypedPhones(const ContactInput& input, const WritePolicy& policy,
                                              FieldErrors& errors) {
  std::vector<TypedPhoneChange> changes;
  for (const TypedPhoneInput& typed : input.typed_phones) {
    if (input.phones.present) {
      errors.Add(typed.field, typed.field + " cannot be sent with phones");
      continue;
    }
    TypedPhoneChange change{typed.type, typed.field, std::nullopt};
    // A blank number is none, as null is (seed 002's data writes "" for a missing phone).
    if (typed.raw.value && !Trim(*typed.raw.value).empty()) {
      FieldErrors phone_errors;
      change.phone = NormalizePhone(PhoneInput{*typed.raw.value, typed.type, typed.country, {}},
                                    typed.field, phone_errors, policy.phones,
                                    policy.default_country);
      if (!change.phone) {
        // The number's own message, naming the field the client sent.
        std::string message = phone_errors.list().front().message;
        std::string raw = typed.field + ".raw";
        if (message.starts_with(raw)) message = typed.field + message.substr(raw.size());
        errors.Add(typed.field, std::move(message));
        continue;
      }
    }
    changes.push_back(std::move(change));
  }
  return changes;
}

// `phones` with each change's type holding the change's number alone (in the place of the first
// number of that type), or none; a number equal to the first of its type changes nothing.
std::vector<Phone> ApplyTypedPhones(std::vector<Phone> phones,
                                    const std::vector<TypedPhoneChange>& changes) {
  for (const TypedPhoneChange& change : changes) {
    auto is_type = [&](const Phone& phone) { return phone.type == change.type; };
    auto first = std::find_if(phones.begin(), phones.end(), is_type);
    // The number it shows sent back unchanged: the type's other numbers stay too.
    if (change.phone && first != phones.end() && first->raw == change.phone->raw) continue;
    auto at = static_cast<std::size_t>(first - phones.begin());
    std::erase_if(phones, is_type);
    if (change.phone) {
      phones.insert(phones.begin() + static_cast<std::ptrdiff_t>(std::min(at, phones.size())),
                    *change.phone);
    }
  }
  return phones;
}

// 409 naming the contacts a new one matches; one the caller does not see is not named (its id
// would tell what the caller may not know), only that it exists.
Error DuplicateError(const std::vector<store::Match>& matches, std::string_view what) {
  std::vector<FieldError> fields;
  std::string ids;
  for (const store::Match& match : matches) {
    if (fields.size() == kMaxFieldErrors) break;
    std::string id = match.visible ? "contact " + std::to_string(match.id.value)
                                   : "a contact you cannot see";
    if (ids.find(id) == std::string::npos) ids += ids.empty() ? id : ", " + id;
    fields.push_back({match.on, id + " has this " + match.on});
  }
  return Error{ErrorCode::kConflict, std::string(what) + ids, std::move(fields)};
}

Result<void> RefuseDuplicates(const std::vector<store::Match>& matches) {
  if (matches.empty()) return {};
  Error refused =
      DuplicateError(matches, "This account does not allow duplicate contacts; it already has ");
  refused.reason = ErrorReason::kDuplicateContact;
  return std::unexpected(std::move(refused));
}

void AddErrors(const Error& error, FieldErrors& errors) {
  for (const FieldError& field : error.fields) errors.Add(field.field, field.message);
}

std::optional<bool> RequireBool(const Input<bool>& input, std::string_view name,
                                FieldErrors& errors) {
  if (!input.value) errors.Add(std::string(name), std::string(name) + " must be true or false");
  return input.value;
}

// source and source_id name the same thing: a write sends one or the other.
void CheckSourceSent(const ContactInput& input, FieldErrors& errors) {
  if (input.source_id.present && input.text[static_cast<std::size_t>(TextField::kSource)].present) {
    errors.Add("source_id", "send source or source_id, not both");
  }
}

// At most kMaxReportLinks of `links` (read one past it), saying whether more were left out.
ReportLinks Capped(std::vector<store::ReportLink> links) {
  ReportLinks result{std::move(links), false};
  if (result.links.size() > kMaxReportLinks) {
    result.links.resize(kMaxReportLinks);
    result.has_more = true;
  }
  return result;
}

// Admins may delete (and share) any contact of the account; other users only those they own
// (seed 002: only the owner deletes), even those they see by assignment or sharing.
store::DeleteCheck OwnerOrAdmin(const Principal& principal, VersionCheck expected = {}) {
  return [principal, expected = std::move(expected)](const Contact& current) -> Result<void> {
    if (principal.role != Role::kAdmin && current.owner_user != principal.user) {
      return std::unexpected(Error::Forbidden("Only the owner may delete this contact"));
    }
    return expected.Check(current.version, "contact");
  };
}

// Whether any condition of the query, top-level or in a $or branch, satisfies `predicate`.
template <class Predicate>
bool AnyFilter(const ListQuery& query, Predicate predicate) {
  if (std::any_of(query.filters.begin(), query.filters.end(), predicate)) return true;
  return std::any_of(query.any_of.begin(), query.any_of.end(), [&](const auto& branch) {
    return std::any_of(branch.begin(), branch.end(), predicate);
  });
}

// Puts phone filters' values in the form the store compares: kPhone values must be numbers
// (E.164); kTypedPhone values are E.164 where they parse, else their folded text (seed 002's
// free-text numbers).
void NormalizePhoneFilters(std::vector<Filter>& filters, const std::string& default_country,
                           FieldErrors& errors) {
  for (Filter& filter : filters) {
    bool typed = filter.field->kind == FieldKind::kTypedPhone;
    if (!typed && filter.field->kind != FieldKind::kPhone) continue;
    for (FilterValue& value : filter.values) {
      const std::string text = std::get<std::string>(value);
      FieldErrors phone_errors;
      // Any number a write may have stored in E.164 (PhonePolicy::kPossible) can be looked for;
      // a typed number that is not valid was kept as its text (PhonePolicy::kKeepUnparsed).
      auto phone = NormalizePhone({text, {}, {}, {}}, "phone", phone_errors,
                                  typed ? PhonePolicy::kStrict : PhonePolicy::kPossible,
                                  default_country);
      if (phone) {
        value = phone->e164;
      } else if (typed) {
        value = FoldCase(text);
      } else {
        errors.Add("phone", "phone must be a phone number: " + text);
      }
    }
  }
}

constexpr auto kFirst = static_cast<std::size_t>(TextField::kFirstName);
constexpr auto kLast = static_cast<std::size_t>(TextField::kLastName);
constexpr auto kFull = static_cast<std::size_t>(TextField::kFullName);

}  // namespace

std::optional<std::string> DeriveFullName(const std::optional<std::string>& first,
                                          const std::optional<std::string>& last) {
  std::string full = first.value_or("");
  if (last && !last->empty()) {
    if (!full.empty()) full += ' ';
    full += *last;
  }
  if (full.empty()) return std::nullopt;
  return full;
}

std::pair<std::string, std::optional<std::string>> SplitFullName(std::string_view full) {
  full = Trim(full);
  std::size_t space = full.find_last_of(' ');
  if (space == std::string_view::npos) return {std::string(full), std::nullopt};
  return {std::string(Trim(full.substr(0, space))), std::string(full.substr(space + 1))};
}

namespace {

// Which members of a spouse a write changes (ContactInput::spouse_members) and their new values.
struct SpouseChange {
  std::optional<Spouse> sent;
  bool name = false;
  bool email = false;
  bool phone = false;
  bool birthday = false;
};

// The stored spouse with the members `change` sends in place of its own; none when no member is
// left.
std::optional<Spouse> MergeSpouse(const std::optional<Spouse>& current,
                                  const SpouseChange& change) {
  Spouse merged = current.value_or(Spouse{});
  Spouse sent = change.sent.value_or(Spouse{});
  if (change.name) merged.name = std::move(sent.name);
  if (change.email) merged.email = std::move(sent.email);
  if (change.phone) {
    merged.phone = std::move(sent.phone);
    merged.phone_raw = std::move(sent.phone_raw);
  }
  if (change.birthday) merged.birthday = std::move(sent.birthday);
  if (!merged.name && !merged.email && !merged.phone && !merged.birthday) return std::nullopt;
  return merged;
}

// The company a write names by name (ContactInput::company_name): none for null or blank.
std::optional<std::string> SentCompanyName(const ContactInput& input, FieldErrors& errors) {
  if (input.company_id.present && input.company_name.present) {
    errors.Add("company_name", "give company_id or company_name, not both");
    return std::nullopt;
  }
  if (!input.company_name.value) return std::nullopt;
  std::string name = CleanText("company_name", *input.company_name.value, errors);
  if (name.empty()) return std::nullopt;
  return name;
}

// How far ahead of the server's clock a client's time may be.
constexpr std::int64_t kClockSkewSeconds = 300;

// created_at and updated_at a create sends (WritePolicy::writes_timestamps).
void ApplyTimestamps(const ContactInput& input, const WritePolicy& policy, NewContact& contact,
                     FieldErrors& errors) {
  std::int64_t now = NowSeconds();
  auto read = [&](const Input<std::string>& sent,
                  const std::string& name) -> std::optional<std::int64_t> {
    if (!sent.present || errors.Has(name)) return std::nullopt;
    if (!policy.writes_timestamps) {
      errors.Add(name, name + " is set by the server");
      return std::nullopt;
    }
    if (!sent.value) return std::nullopt;  // null: now
    auto time = ParseTimestamp(Trim(*sent.value));
    if (!time || *time < 0) {
      errors.Add(name, name + " must be an ISO 8601 date or date-time after 1970, such as "
                              "2016-07-01T12:12:11Z");
      return std::nullopt;
    }
    if (*time > now + kClockSkewSeconds) {
      errors.Add(name, name + " must not be in the future");
      return std::nullopt;
    }
    return time;
  };
  contact.created_at = read(input.created_at, "created_at");
  contact.updated_at = read(input.updated_at, "updated_at");
  if (!contact.updated_at) return;
  if (!contact.created_at) {
    // Changed before now: it was created then at the latest.
    contact.created_at = std::min(now, *contact.updated_at);
  } else if (*contact.updated_at < *contact.created_at) {
    errors.Add("updated_at", "updated_at must not be before created_at");
  }
}

}  // namespace

namespace {

// Records that a create sent neither an email nor a phone number (blank ones are none).
void RequireEmailOrPhone(const ContactInput& input, FieldErrors& errors) {
  auto sent = [](const Input<std::string>& text) {
    return text.value && !Trim(*text.value).empty();
  };
  bool email = sent(input.text[static_cast<std::size_t>(TextField::kEmail)]);
  bool phone = (input.phones.value && !input.phones.value->empty()) ||
               std::any_of(input.typed_phones.begin(), input.typed_phones.end(),
                           [&](const TypedPhoneInput& typed) { return sent(typed.raw); });
  if (!email && !phone) {
    errors.Add("email", "email or phone is required: a contact needs at least one of them");
  }
}

}  // namespace

NewContact ValidateNewContact(const ContactInput& input, const WritePolicy& policy,
                              FieldErrors& errors) {
  NewContact contact;
  // First: a blank email is then said to be missing rather than malformed.
  if (policy.requires_email_or_phone) RequireEmailOrPhone(input, errors);
  contact.contact_types = ContactTypes(input, policy, errors);
  if (input.company_id.value) contact.company = CompanyId{*input.company_id.value};
  if (auto name = SentCompanyName(input, errors)) contact.named_company = NamedCompany{*name, ""};
  ApplyTimestamps(input, policy, contact, errors);
  TextChanges text;
  ApplyText(input, errors, text);
  auto sent_addresses = SentAddresses(input, policy, errors);
  if (auto first = SentFirstAddress(input, policy, errors)) {
    sent_addresses = MergeFirstAddress({}, first->sent, first->validated);
  }
  if (auto addresses = PlanAddresses({}, sent_addresses, text); !addresses) {
    AddErrors(addresses.error(), errors);
  } else if (*addresses) {
    contact.addresses = std::move(**addresses);
  }
  for (std::size_t i = 0; i < kTextFieldCount; ++i) {
    if (text[i]) contact.text[i] = std::move(*text[i]);
  }
  if (contact.text[kFull]) {
    contact.full_name_given = true;
    if (!input.text[kFirst].present && !input.text[kLast].present) {
      auto [first, last] = SplitFullName(*contact.text[kFull]);
      contact.text[kFirst] = std::move(first);
      contact.text[kLast] = std::move(last);
    }
  } else {
    contact.text[kFull] = DeriveFullName(contact.text[kFirst], contact.text[kLast]);
  }
  if (input.phones.present) {
    if (auto phones = NormalizePhones(input.phones, errors, policy)) {
      contact.phones = std::move(*phones);
    }
  }
  if (auto typed = SentTypedPhones(input, policy, errors); !typed.empty()) {
    contact.phones = ApplyTypedPhones(std::move(contact.phones), typed);
  }
  if (input.spouse.present) contact.spouse = ValidateSpouse(input.spouse, policy, errors);
  if (input.dnd.present) contact.dnd = RequireBool(input.dnd, "dnd", errors).value_or(false);
  if (input.dnd_settings.present) {
    contact.dnd_settings = ValidateDndSettings(input.dnd_settings, errors);
  }
  if (input.tags.present) {
    if (auto tags = ValidateTagList(input.tags, errors)) contact.tags = std::move(*tags);
  }
  if (input.custom_fields.value) {
    contact.custom_fields =
        ApplyCustomValues({}, ValidateCustomValues(*input.custom_fields.value, policy, errors));
  }
  CheckSourceSent(input, errors);
  contact.source_id = input.source_id.value;
  contact.hotness_id = input.hotness_id.value;
  if (input.reports_to.value) contact.reports_to = ContactId{*input.reports_to.value};
  if (input.assigned_user_id.value) contact.assigned = UserId{*input.assigned_user_id.value};
  if (input.owner_user_id.value) contact.owner = UserId{*input.owner_user_id.value};
  if (input.is_primary.present) {
    contact.is_primary = RequireBool(input.is_primary, "is_primary", errors).value_or(false);
  }
  if (input.is_connected.present) {
    contact.is_connected = RequireBool(input.is_connected, "is_connected", errors).value_or(false);
  }
  return contact;
}

Result<AccountSettings> ContactService::SettingsFor(const Principal& principal,
                                                   WritePolicy& policy) {
  auto settings = store_.GetSettings(principal.account);
  if (settings) policy.default_country = settings->default_country;
  return settings;
}

Result<void> ContactService::CustomFieldsFor(const Principal& principal,
                                             const ContactInput& input, WritePolicy& policy,
                                             std::vector<CustomField>& undefined) {
  if (!input.custom_fields.value || input.custom_fields.value->empty()) return {};
  auto fields = store_.ListCustomFields(principal.account);
  if (!fields) return std::unexpected(fields.error());
  policy.custom_fields = std::move(*fields);
  if (!policy.defines_custom_fields) return {};
  // Keys not defined yet are validated as the fields they will be, and defined only once the
  // whole write is valid (Define), just before it.
  for (const CustomValueInput& value : *input.custom_fields.value) {
    if (value.malformed || !IsCustomFieldKey(value.key)) continue;  // validation names it
    bool known = std::any_of(policy.custom_fields.begin(), policy.custom_fields.end(),
                             [&](const CustomField& field) { return field.key == value.key; });
    if (known) continue;
    CustomField field;
    if (std::holds_alternative<std::string>(value.value)) {
      field.type = CustomFieldType::kText;
    } else if (std::holds_alternative<double>(value.value)) {
      field.type = CustomFieldType::kNumber;
    } else if (std::holds_alternative<bool>(value.value)) {
      field.type = CustomFieldType::kBoolean;
    } else {
      continue;  // null defines nothing; a list has no options to choose from
    }
    field.account = principal.account;
    field.key = field.name = value.key;
    field.created_at = field.updated_at = NowSeconds();
    policy.custom_fields.push_back(field);
    undefined.push_back(std::move(field));
  }
  return {};
}

Result<void> ContactService::Define(const std::vector<CustomField>& undefined) {
  for (const CustomField& field : undefined) {
    auto created = store_.CreateCustomField(field, kMaxCustomFieldsPerAccount);
    // kConflict: another write defined the key meanwhile, which is as good.
    if (!created && created.error().code != ErrorCode::kConflict) {
      return std::unexpected(created.error());
    }
  }
  return {};
}

Result<NewContact> ContactService::PrepareNew(const Principal& principal, ContactInput& input,
                                              const WritePolicy& policy) {
  FieldErrors errors = std::move(input.errors);
  if (input.owner_user_id.present) {
    errors.Add("owner_user_id", "owner_user_id is the creating user; an admin may transfer it "
                                "with PATCH");
    input.owner_user_id = {};
  }
  if (auto users = CheckUsers(principal, input, errors); !users) {
    return std::unexpected(users.error());
  }
  NewContact contact = ValidateNewContact(input, policy, errors);
  if (contact.named_company) {
    contact.named_company->uid = NewUuidV4();
    contact.named_company->may_create =
        Authorize(principal, Permission::kCreate, "company").has_value();
  } else if (!contact.company) {
    if (policy.requires_type_and_company) errors.Add("company_id", "company_id is required");
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
  return contact;
}

Result<void> ContactService::CheckUsers(const Principal& principal, const ContactInput& input,
                                        FieldErrors& errors) {
  auto check = [&](const Input<std::int64_t>& sent, const std::string& name) -> Result<void> {
    if (!sent.present || errors.Has(name)) return {};
    if (!sent.value) {
      // A contact may be unassigned; it always has an owner.
      if (name == "owner_user_id") {
        errors.Add(name, name + " must be the id of a user of your account");
      }
      return {};
    }
    auto user = store_.FindUser(principal.account, UserId{*sent.value});
    if (!user) return std::unexpected(user.error());
    if (!*user) errors.Add(name, name + " must be the id of a user of your account");
    return {};
  };
  if (auto owner = check(input.owner_user_id, "owner_user_id"); !owner) return owner;
  return check(input.assigned_user_id, "assigned_user_id");
}

Result<void> ContactService::CheckTransfer(const Principal& principal, const ContactInput& input) {
  if (!input.owner_user_id.present || principal.role == Role::kAdmin) return {};
  return std::unexpected(Error::Forbidden("Only admins may transfer a contact to another owner"));
}

Result<Contact> ContactService::Create(const Principal& principal, ContactInput input,
                                       WritePolicy policy) {
  if (auto allowed = Authorize(principal, Permission::kCreate, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto settings = SettingsFor(principal, policy);
  if (!settings) return std::unexpected(settings.error());
  std::vector<CustomField> undefined;
  if (auto fields = CustomFieldsFor(principal, input, policy, undefined); !fields) {
    return std::unexpected(fields.error());
  }
  auto contact = PrepareNew(principal, input, policy);
  if (!contact) return std::unexpected(contact.error());
  if (auto defined = Define(undefined); !defined) return std::unexpected(defined.error());
  store::MatchCheck check;
  if (settings->reject_duplicates) check = RefuseDuplicates;
  return store_.CreateContact(*contact, ScopeOf(principal), check);
}

Result<UpsertOutcome> ContactService::Upsert(const Principal& principal, ContactInput input,
                                             const std::vector<std::string>& match_on,
                                             WritePolicy policy, SeveralMatches several) {
  if (auto allowed = Authorize(principal, Permission::kCreate, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  if (auto allowed = Authorize(principal, Permission::kUpdate, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  bool on_email = match_on.empty();
  bool on_phone = match_on.empty();
  for (const std::string& key : match_on) {
    if (key == "email") {
      on_email = true;
    } else if (key == "phone") {
      on_phone = true;
    } else {
      return std::unexpected(Error::Validation({{"match_on", "match_on holds email and/or phone"}}));
    }
  }
  auto settings = SettingsFor(principal, policy);
  if (!settings) return std::unexpected(settings.error());
  std::vector<CustomField> undefined;
  if (auto fields = CustomFieldsFor(principal, input, policy, undefined); !fields) {
    return std::unexpected(fields.error());
  }
  // On a match, the fields sent update it as a PATCH would; contact_type(s), company_id and
  // is_primary only apply to a new contact.
  ContactInput update_input = input;
  update_input.contact_type = {};
  update_input.contact_types = {};
  update_input.company_id = {};
  update_input.is_primary = {};
  auto contact = PrepareNew(principal, input, policy);
  if (!contact) return std::unexpected(contact.error());
  auto plan = PlanUpdate(std::move(update_input), policy,
                         Authorize(principal, Permission::kCreate, "company").has_value());
  if (!plan) return std::unexpected(plan.error());
  if (auto defined = Define(undefined); !defined) return std::unexpected(defined.error());
  auto pick = [several](const std::vector<store::Match>& matches) -> Result<std::size_t> {
    if (several == SeveralMatches::kByPriority) {
      // Matches are by id: the first on email is the oldest so matching.
      for (std::size_t i = 0; i < matches.size(); ++i) {
        if (matches[i].on == "email") return i;
      }
      return 0;
    }
    if (matches.size() == 1) return 0;
    return std::unexpected(DuplicateError(matches, "Several contacts match: "));
  };
  // A contact upsert creates obeys the account's duplicates setting on email and phone alike.
  store::MatchCheck create_check;
  if (settings->reject_duplicates) create_check = RefuseDuplicates;
  auto result =
      store_.UpsertContact(*contact, ScopeOf(principal), on_email, on_phone, pick, create_check,
                           *plan);
  if (!result) return std::unexpected(result.error());
  return UpsertOutcome{std::move(result->contact), result->created};
}

Result<std::optional<Contact>> ContactService::FindDuplicate(
    const Principal& principal, const std::optional<std::string>& email,
    const std::optional<std::string>& phone) {
  for (auto [name, value] : {std::pair{"email", &email}, std::pair{"phone", &phone}}) {
    if (!*value || Trim(**value).empty()) continue;
    auto fields = ContactQueryFields();
    auto found = std::find_if(fields.begin(), fields.end(),
                              [&](const QueryField& f) { return f.name == name; });
    if (found == fields.end()) {
      return std::unexpected(Error::Internal(std::string("no query field ") + name));
    }
    const QueryField* field = &*found;
    ListQuery query;
    query.connected = Connected::kAll;
    query.limit = 1;
    // Emails compare folded, as the list's filters do; the list reads the number.
    FilterValue key = field->kind == FieldKind::kText ? FoldCase(Trim(**value))
                                                      : std::string(Trim(**value));
    query.filters.push_back({field, FilterOp::kEq, {std::move(key)}, {}, 0});
    auto page = List(principal, query);
    if (!page) return std::unexpected(page.error());
    if (!page->items.empty()) return std::move(page->items.front());
  }
  return std::nullopt;
}

Result<Contact> ContactService::Get(const Principal& principal, ContactId id) {
  if (auto allowed = Authorize(principal, Permission::kRead, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto contact = store_.FindContact(ScopeOf(principal), id);
  if (!contact) return std::unexpected(contact.error());
  if (!*contact) return std::unexpected(Error::NotFound("Contact not found"));
  return std::move(**contact);
}

Result<store::Page<Contact>> ContactService::List(const Principal& principal,
                                                  const ListQuery& query) {
  if (auto allowed = Authorize(principal, Permission::kRead, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  if (query.deleted) return ListDeleted(principal, query);
  bool has_phone = AnyFilter(query, [](const Filter& f) {
    return f.field->kind == FieldKind::kPhone || f.field->kind == FieldKind::kTypedPhone;
  });
  bool number_search = query.search && !query.search->any_of.empty();
  bool has_custom = AnyFilter(query, [](const Filter& f) {
    return f.field->kind == FieldKind::kCustom;
  });
  if (!has_phone && !number_search && !has_custom) {
    return store_.ListContacts(ScopeOf(principal), query);
  }
  // phone= values and a number searched for are read in the account's default country.
  WritePolicy policy;
  if (auto settings = SettingsFor(principal, policy); !settings) {
    return std::unexpected(settings.error());
  }
  ListQuery normalized = query;
  std::vector<std::vector<Filter>*> groups{&normalized.filters};
  for (std::vector<Filter>& branch : normalized.any_of) groups.push_back(&branch);
  if (has_custom) {
    auto fields = store_.ListCustomFields(principal.account);
    if (!fields) return std::unexpected(fields.error());
    for (std::vector<Filter>* filters : groups) {
      auto resolved = ResolveCustomFilters(*filters, *fields, policy.default_country);
      if (!resolved) return std::unexpected(resolved.error());
    }
  }
  if (number_search) {
    auto search = ParseSearch(query.search->text, CountryCallingCode(policy.default_country));
    if (!search) return std::unexpected(search.error());
    normalized.search = std::move(*search);
  }
  FieldErrors errors;
  for (std::vector<Filter>* filters : groups) {
    NormalizePhoneFilters(*filters, policy.default_country, errors);
  }
  if (!errors.empty()) {
    return std::unexpected(BadRequestOf(std::move(errors)));
  }
  return store_.ListContacts(ScopeOf(principal), normalized);
}

Result<ContactId> ContactService::FindByUid(const Principal& principal, std::string_view uid) {
  // A contact the user does not see is missing, whatever the request does next.
  auto id = store_.FindContactIdByUid(ScopeOf(principal), uid);
  if (!id) return std::unexpected(id.error());
  if (!*id) return std::unexpected(Error::NotFound("Contact not found"));
  return **id;
}

Result<ContactExtras> ContactService::ExtrasOf(const Principal& principal,
                                               std::span<const Contact> contacts,
                                               ExtrasWanted wanted) {
  if (auto allowed = Authorize(principal, Permission::kRead, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  ContactExtras extras;
  if (wanted.custom_fields) {
    auto fields = store_.ListCustomFields(principal.account);
    if (!fields) return std::unexpected(fields.error());
    extras.custom_fields = std::move(*fields);
  }
  bool sourced = std::any_of(contacts.begin(), contacts.end(),
                             [](const Contact& c) { return c.source_id.has_value(); });
  if (wanted.sources && sourced) {
    auto sources = store_.ListSources(principal.account);
    if (!sources) return std::unexpected(sources.error());
    extras.sources = std::move(*sources);
  }
  std::vector<CompanyId> companies;
  for (const Contact& contact : contacts) {
    if (contact.company) companies.push_back(*contact.company);
  }
  if (wanted.company_names && !companies.empty()) {
    auto names = store_.CompanyNames(principal.account, companies);
    if (!names) return std::unexpected(names.error());
    extras.company_names = std::move(*names);
  }
  return extras;
}

Result<store::Uids> ContactService::UidsOf(const Principal& principal,
                                           std::span<const ContactId> contacts,
                                           std::span<const CompanyId> companies) {
  return store_.UidsOf(principal.account, contacts, companies);
}

Result<store::ContactPlan> ContactService::PlanUpdate(ContactInput input,
                                                     const WritePolicy& policy,
                                                     bool may_create_companies) {
  FieldErrors errors = std::move(input.errors);
  if (input.contact_type.present) errors.Add("contact_type", "contact_type is not updatable");
  if (input.contact_types.present) errors.Add("contact_types", "contact_types is not updatable");
  // Moving to another company (or none) is a change; the same one is none (a client writing
  // back what it read).
  std::optional<std::optional<CompanyId>> company_sent;
  if (input.company_id.present) {
    company_sent = input.company_id.value ? std::optional(CompanyId{*input.company_id.value})
                                          : std::nullopt;
  }
  std::optional<NamedCompany> named_company;
  if (input.company_name.present) {
    if (auto name = SentCompanyName(input, errors)) {
      named_company = NamedCompany{std::move(*name), NewUuidV4(), may_create_companies};
      if (!policy.moves_companies) errors.Add("company_name", "company_name is not updatable");
    } else if (!errors.Has("company_name")) {
      company_sent = std::optional<CompanyId>();  // none
    }
  }
  if (input.is_primary.present) errors.Add("is_primary", "is_primary is not updatable");
  for (const auto& [sent, name] : {std::pair{&input.created_at, "created_at"},
                                   std::pair{&input.updated_at, "updated_at"}}) {
    if (sent->present) {
      errors.Add(name, std::string(name) + " can be set only when the contact is created");
    }
  }

  ContactChanges changes;
  changes.named_company = std::move(named_company);
  ApplyText(input, errors, changes.text);
  auto sent_addresses = SentAddresses(input, policy, errors);
  auto first_address = SentFirstAddress(input, policy, errors);
  if (input.phones.present) changes.phones = NormalizePhones(input.phones, errors, policy);
  auto typed_phones = SentTypedPhones(input, policy, errors);
  std::optional<SpouseChange> spouse_change;
  if (input.spouse.present) {
    std::optional<Spouse> spouse = ValidateSpouse(input.spouse, policy, errors);
    if (input.spouse_members && input.spouse.value) {
      const SpouseInput& sent = *input.spouse.value;
      spouse_change = SpouseChange{std::move(spouse), sent.name.present, sent.email.present,
                                   sent.phone.present, sent.birthday.present};
    } else {
      changes.spouse = std::move(spouse);
    }
  }
  if (input.dnd.present) changes.dnd = RequireBool(input.dnd, "dnd", errors);
  if (input.dnd_settings.present) {
    changes.dnd_settings = ValidateDndSettings(input.dnd_settings, errors);
  }
  if (input.tags.present) changes.tags = ValidateTagList(input.tags, errors);
  // custom_fields: null clears every value; an object changes the keys it holds (null removes).
  bool clear_custom = input.custom_fields.present && !input.custom_fields.value;
  std::vector<CustomValueChange> custom_changes;
  if (input.custom_fields.value) {
    custom_changes = ValidateCustomValues(*input.custom_fields.value, policy, errors);
  }
  CheckSourceSent(input, errors);
  if (input.source_id.present) changes.source_id = input.source_id.value;
  if (input.hotness_id.present) changes.hotness_id = input.hotness_id.value;
  if (input.reports_to.present) {
    changes.reports_to = input.reports_to.value
                             ? std::optional<ContactId>(ContactId{*input.reports_to.value})
                             : std::nullopt;
  }
  if (input.is_connected.present) {
    changes.is_connected = RequireBool(input.is_connected, "is_connected", errors);
  }
  if (input.owner_user_id.value) changes.owner = UserId{*input.owner_user_id.value};
  if (input.assigned_user_id.present) {
    changes.assigned = input.assigned_user_id.value
                           ? std::optional<UserId>(UserId{*input.assigned_user_id.value})
                           : std::nullopt;
  }
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  changes.now = NowSeconds();

  // The names and addresses rules depend on the stored contact: they run on the current row,
  // inside the write.
  bool first_sent = input.text[kFirst].present;
  bool last_sent = input.text[kLast].present;
  return [changes = std::move(changes), sent_addresses = std::move(sent_addresses),
          first_address = std::move(first_address), typed_phones = std::move(typed_phones),
          spouse_change = std::move(spouse_change), company_sent,
          moves_companies = policy.moves_companies, first_sent, last_sent, clear_custom,
          custom_changes = std::move(custom_changes),
          expected = std::move(input.expected)](const Contact& current) -> Result<ContactChanges> {
    if (auto fresh = expected.Check(current.version, "contact"); !fresh) {
      return std::unexpected(fresh.error());
    }
    ContactChanges planned = changes;
    if (company_sent && *company_sent != current.company) {
      if (!moves_companies) {
        return std::unexpected(
            Error::Validation({{"company_id", "company_id is not updatable"}}));
      }
      planned.company = *company_sent;
    }
    if (clear_custom) {
      if (!current.custom_fields.empty()) planned.custom_fields.emplace();
    } else if (!custom_changes.empty()) {
      CustomValues next = ApplyCustomValues(current.custom_fields, custom_changes);
      if (next != current.custom_fields) planned.custom_fields = std::move(next);
    }
    if (spouse_change) {
      std::optional<Spouse> spouse = MergeSpouse(current.spouse, *spouse_change);
      if (spouse != current.spouse) planned.spouse = std::move(spouse);
    }
    if (!typed_phones.empty()) {
      auto phones = ApplyTypedPhones(current.phones, typed_phones);
      if (phones.size() > kMaxPhonesPerContact) {
        return std::unexpected(Error::Validation(
            {{typed_phones.front().field, "a contact holds at most 20 phone numbers"}}));
      }
      if (phones != current.phones) planned.phones = std::move(phones);
    }
    // A manager sent unchanged is no change (it may be one the caller does not see).
    if (planned.reports_to && *planned.reports_to == current.reports_to) {
      planned.reports_to.reset();
    }
    std::optional<std::vector<Address>> sent = sent_addresses;
    if (first_address) {
      sent = MergeFirstAddress(current.addresses, first_address->sent, first_address->validated);
    }
    auto addresses = PlanAddresses(current.addresses, sent, planned.text);
    if (!addresses) return std::unexpected(addresses.error());
    if (*addresses) planned.addresses = std::move(**addresses);
    auto& full = planned.text[kFull];
    const auto& first = planned.text[kFirst] ? *planned.text[kFirst] : current.Text(TextField::kFirstName);
    const auto& last = planned.text[kLast] ? *planned.text[kLast] : current.Text(TextField::kLastName);
    if (full && *full) {
      planned.full_name_given = true;
      if (!first_sent && !last_sent && !current.Text(TextField::kFirstName) &&
          !current.Text(TextField::kLastName)) {
        auto [split_first, split_last] = SplitFullName(**full);
        planned.text[kFirst] = std::optional<std::string>(std::move(split_first));
        planned.text[kLast] = std::move(split_last);
      }
    } else if (full || ((first_sent || last_sent) && !current.full_name_given)) {
      planned.full_name_given = false;
      full = DeriveFullName(first, last);
    }
    return planned;
  };
}

Result<Contact> ContactService::Update(const Principal& principal, ContactId id,
                                       ContactInput input, WritePolicy policy) {
  if (auto allowed = Authorize(principal, Permission::kUpdate, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  if (input.phones.present || input.spouse.present || input.addresses.present ||
      input.custom_fields.present || input.first_address.present || !input.typed_phones.empty()) {
    if (auto settings = SettingsFor(principal, policy); !settings) {
      return std::unexpected(settings.error());
    }
  }
  std::vector<CustomField> undefined;
  if (auto fields = CustomFieldsFor(principal, input, policy, undefined); !fields) {
    return std::unexpected(fields.error());
  }
  if (auto allowed = CheckTransfer(principal, input); !allowed) {
    return std::unexpected(allowed.error());
  }
  if (auto users = CheckUsers(principal, input, input.errors); !users) {
    return std::unexpected(users.error());
  }
  auto plan = PlanUpdate(std::move(input), policy,
                         Authorize(principal, Permission::kCreate, "company").has_value());
  if (!plan) return std::unexpected(plan.error());
  if (auto defined = Define(undefined); !defined) return std::unexpected(defined.error());
  auto updated = store_.UpdateContact(ScopeOf(principal), id, *plan);
  if (!updated) return std::unexpected(updated.error());
  if (!*updated) return std::unexpected(Error::NotFound("Contact not found"));
  return std::move(**updated);
}

Result<Contact> ContactService::ChangeTags(const Principal& principal, ContactId id,
                                           TagsInput input, bool add) {
  if (auto allowed = Authorize(principal, Permission::kUpdate, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  FieldErrors errors = std::move(input.errors);
  if (!input.present && !errors.Has("tags")) errors.Add("tags", "tags is required");
  std::vector<std::string> tags = ValidateTags(input.tags, "tags", errors);
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  std::int64_t now = NowSeconds();
  // The new set is computed from the stored one inside the write: concurrent changes to the
  // same contact's tags all take effect.
  auto plan = [&](const Contact& current) -> Result<ContactChanges> {
    std::vector<std::string> next = add ? WithTags(current.tags, tags)
                                        : WithoutTags(current.tags, tags);
    ContactChanges changes;
    if (next.size() > kMaxTagsPerContact) {
      return std::unexpected(Error::Validation(
          {{"tags", "a contact holds at most 100 tags; it has " +
                        std::to_string(current.tags.size())}}));
    }
    if (next != current.tags) {
      changes.tags = std::move(next);
      changes.now = now;
    }
    return changes;
  };
  auto updated = store_.UpdateContact(ScopeOf(principal), id, plan);
  if (!updated) return std::unexpected(updated.error());
  if (!*updated) return std::unexpected(Error::NotFound("Contact not found"));
  return std::move(**updated);
}

Result<void> ContactService::Delete(const Principal& principal, ContactId id, bool permanent,
                                    const VersionCheck& expected) {
  return DeleteAs(principal, id, permanent, expected, nullptr);
}

Result<Contact> ContactService::Remove(const Principal& principal, ContactId id,
                                       const VersionCheck& expected) {
  std::optional<Contact> removed;
  if (auto deleted = DeleteAs(principal, id, /*permanent=*/false, expected, &removed); !deleted) {
    return std::unexpected(deleted.error());
  }
  if (!removed) return std::unexpected(Error::Internal("a deleted contact was not read"));
  return std::move(*removed);
}

Result<void> ContactService::DeleteAs(const Principal& principal, ContactId id, bool permanent,
                                      const VersionCheck& expected,
                                      std::optional<Contact>* removed) {
  // Viewers never delete; editors delete their own contacts (checked on the row below).
  if (auto allowed = Authorize(principal, Permission::kUpdate, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  if (permanent && !Allows(principal.role, Permission::kDelete)) {
    return std::unexpected(Error::Forbidden("Only admins may erase contacts"));
  }
  store::DeleteCheck check = OwnerOrAdmin(principal, expected);
  if (removed != nullptr) {
    check = [removed, owner_or_admin = std::move(check)](const Contact& current) -> Result<void> {
      if (auto allowed = owner_or_admin(current); !allowed) return allowed;
      *removed = current;
      return {};
    };
  }
  auto deleted = store_.DeleteContact(ScopeOf(principal), id, check, permanent, NowSeconds());
  if (!deleted) return std::unexpected(deleted.error());
  if (!*deleted) return std::unexpected(Error::NotFound("Contact not found"));
  return {};
}

Result<Contact> ContactService::Restore(const Principal& principal, ContactId id) {
  if (!Allows(principal.role, Permission::kDelete)) {
    return std::unexpected(Error::Forbidden("Only admins may restore contacts"));
  }
  std::int64_t now = NowSeconds();
  auto restored = store_.RestoreContact(principal.account, id, now - kRestoreWindowSeconds, now);
  if (!restored) return std::unexpected(restored.error());
  if (!*restored) return std::unexpected(Error::NotFound("No restorable deleted contact"));
  return std::move(**restored);
}

Result<store::Page<Contact>> ContactService::ListDeleted(const Principal& principal,
                                                         const ListQuery& query) {
  if (!Allows(principal.role, Permission::kDelete)) {
    return std::unexpected(Error::Forbidden("Only admins may list deleted contacts"));
  }
  return store_.ListDeletedContacts(principal.account, query, NowSeconds() - kRestoreWindowSeconds);
}

Result<std::int64_t> ContactService::PurgeExpired() {
  return store_.PurgeDeletedContacts(NowSeconds() - kRestoreWindowSeconds);
}

Result<ReportLinks> ContactService::Reports(const Principal& principal, ContactId id, bool all) {
  if (auto allowed = Authorize(principal, Permission::kRead, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  // One more link, or (for the subtree) one more level, than returned tells whether the read
  // was cut.
  int depth = all ? kMaxHierarchyDepth : 1;
  auto tree = store_.ReportTree(ScopeOf(principal), id, all ? depth + 1 : depth,
                                kMaxReportLinks + 1);
  if (!tree) return std::unexpected(tree.error());
  if (!*tree) return std::unexpected(Error::NotFound("Contact not found"));
  ReportLinks result = Capped(std::move(**tree));
  std::erase_if(result.links, [&](const store::ReportLink& link) {
    if (link.depth <= depth) return false;
    result.has_more = true;
    return true;
  });
  return result;
}

Result<ReportLinks> ContactService::Hierarchy(const Principal& principal) {
  if (auto allowed = Authorize(principal, Permission::kRead, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto links = store_.ReportingLinks(ScopeOf(principal), kMaxReportLinks + 1);
  if (!links) return std::unexpected(links.error());
  return Capped(std::move(*links));
}

Result<store::Page<TagCount>> ContactService::ListTags(const Principal& principal,
                                                       const ListQuery& query) {
  if (auto allowed = Authorize(principal, Permission::kRead, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  return store_.ListTags(ScopeOf(principal), query);
}

Result<std::vector<Share>> ContactService::ListShares(const Principal& principal, ContactId id) {
  if (auto allowed = Authorize(principal, Permission::kRead, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto shares = store_.ListShares(ScopeOf(principal), id);
  if (!shares) return std::unexpected(shares.error());
  if (!*shares) return std::unexpected(Error::NotFound("Contact not found"));
  return std::move(**shares);
}

Result<store::ShareResult> ContactService::ShareWith(const Principal& principal, ContactId id,
                                                 ShareInput input) {
  if (auto allowed = Authorize(principal, Permission::kUpdate, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  FieldErrors errors = std::move(input.errors);
  if (!input.user_id.value) {
    if (!errors.Has("user_id")) errors.Add("user_id", "user_id is required");
  } else {
    auto user = store_.FindUser(principal.account, UserId{*input.user_id.value});
    if (!user) return std::unexpected(user.error());
    if (!*user) errors.Add("user_id", "user_id must be the id of a user of your account");
  }
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  UserId user{*input.user_id.value};
  auto check = [&, owner_or_admin = OwnerOrAdmin(principal)](const Contact& current)
      -> Result<void> {
    if (current.owner_user == user) {
      return std::unexpected(
          Error::Validation({{"user_id", "user_id is the contact's owner, who sees it already"}}));
    }
    if (auto allowed = owner_or_admin(current); !allowed) {
      return std::unexpected(Error::Forbidden("Only the owner or an admin may share this contact"));
    }
    return {};
  };
  auto shared =
      store_.ShareContact(ScopeOf(principal), id, user, NowSeconds(), kMaxSharesPerContact, check);
  if (!shared) return std::unexpected(shared.error());
  if (!*shared) return std::unexpected(Error::NotFound("Contact not found"));
  return std::move(**shared);
}

Result<void> ContactService::Unshare(const Principal& principal, ContactId id, UserId user) {
  if (auto allowed = Authorize(principal, Permission::kUpdate, "contact"); !allowed) {
    return std::unexpected(allowed.error());
  }
  auto check = [owner_or_admin = OwnerOrAdmin(principal)](const Contact& current) -> Result<void> {
    if (auto allowed = owner_or_admin(current); !allowed) {
      return std::unexpected(
          Error::Forbidden("Only the owner or an admin may stop sharing this contact"));
    }
    return {};
  };
  auto removed = store_.UnshareContact(ScopeOf(principal), id, user, check);
  if (!removed) return std::unexpected(removed.error());
  if (!*removed) return std::unexpected(Error::NotFound("Contact not found"));
  if (!**removed) {
    return std::unexpected(Error::NotFound("The contact is not shared with this user"));
  }
  return {};
}

}  // namespace contactd::domain

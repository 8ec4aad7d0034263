#include "domain/custom_fields.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "domain/phone.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"
#include "store/store.hpp"

namespace contactd::domain {
namespace {

// The text rules of the types whose value is one string checked like a contact's text field.
std::optional<TextFieldSpec> TextSpecOf(CustomFieldType type) {
  switch (type) {
    case CustomFieldType::kText:
      return TextFieldSpec{"", TextRule::kLine};
    case CustomFieldType::kLongText:
      return TextFieldSpec{"", TextRule::kMultiline, kMaxLongTextLength};
    case CustomFieldType::kDate:
      return TextFieldSpec{"", TextRule::kDate};
    case CustomFieldType::kUrl:
      return TextFieldSpec{"", TextRule::kHttpUrl};
    case CustomFieldType::kEmail:
      return TextFieldSpec{"", TextRule::kEmail, kMaxEmailLength};
    default:
      return std::nullopt;
  }
}

bool IsChoiceType(CustomFieldType type) {
  return type == CustomFieldType::kSelect || type == CustomFieldType::kMultiSelect;
}

// The option `text` names, compared case-insensitively (`folded` holds the field's options
// folded, in order), in its defined spelling.
const std::string* FindOption(const CustomField& field, const std::vector<std::string>& folded,
                              std::string_view text) {
  std::string key = FoldCase(Trim(text));
  for (std::size_t i = 0; i < folded.size(); ++i) {
    if (folded[i] == key) return &field.options[i];
  }
  return nullptr;
}

std::vector<std::string> FoldedOptions(const CustomField& field) {
  std::vector<std::string> folded;
  folded.reserve(field.options.size());
  for (const std::string& option : field.options) folded.push_back(FoldCase(option));
  return folded;
}

std::string Describe(CustomFieldType type) {
  switch (type) {
    case CustomFieldType::kNumber:
      return "a number";
    case CustomFieldType::kBoolean:
      return "true or false";
    case CustomFieldType::kDate:
      return "a date such as 2024-05-01";
    case CustomFieldType::kDateTime:
      return "an ISO 8601 date-time such as 2024-05-01T09:30:00Z";
    case CustomFieldType::kSelect:
      return "one of the field's options";
    case CustomFieldType::kMultiSelect:
      return "an array of the field's options";
    case CustomFieldType::kUrl:
      return "an http or https URL";
    case CustomFieldType::kEmail:
      return "a valid email address";
    case CustomFieldType::kPhone:
      return "a valid phone number";
    default:
      return "a string";
  }
}

std::optional<CustomValue> ValidateValue(const CustomField& field, const CustomValueInput& in,
                                         const WritePolicy& policy, FieldErrors& errors) {
  const std::vector<std::string> folded = FoldedOptions(field);  // once per value, not per item
  const std::string path = "custom_fields." + field.key;
  auto fail = [&] {
    errors.Add(path, path + " must be " + Describe(field.type));
    return std::nullopt;
  };
  if (in.malformed) return fail();
  const std::string* text = std::get_if<std::string>(&in.value);
  switch (field.type) {
    case CustomFieldType::kNumber: {
      const double* number = std::get_if<double>(&in.value);
      if (number == nullptr || !std::isfinite(*number)) return fail();
      return CustomValue{*number};
    }
    case CustomFieldType::kBoolean: {
      const bool* flag = std::get_if<bool>(&in.value);
      if (flag == nullptr) return fail();
      return CustomValue{*flag};
    }
    case CustomFieldType::kDateTime: {
      if (text == nullptr) return fail();
      auto seconds = ParseTimestamp(Trim(*text));
      if (!seconds) return fail();
      return CustomValue{FormatTimestamp(*seconds)};
    }
    case CustomFieldType::kSelect: {
      if (text == nullptr) return fail();
      const std::string* option = FindOption(field, folded, *text);
      if (option == nullptr) return fail();
      return CustomValue{*option};
    }
    case CustomFieldType::kMultiSelect: {
      const auto* list = std::get_if<std::vector<std::string>>(&in.value);
      if (list == nullptr) return fail();
      std::vector<std::string> chosen;
      for (const std::string& item : *list) {
        const std::string* option = FindOption(field, folded, item);
        if (option == nullptr) return fail();
        if (std::find(chosen.begin(), chosen.end(), *option) == chosen.end()) {
          chosen.push_back(*option);
        }
      }
      return CustomValue{std::move(chosen)};
    }
    case CustomFieldType::kPhone: {
      if (text == nullptr) return fail();
      std::string raw = CleanText(path, *text, errors);
      if (errors.Has(path)) return std::nullopt;
      auto phone = NormalizePhoneText(raw, path, policy, errors);
      if (!phone) return std::nullopt;
      return CustomValue{std::move(*phone)};
    }
    default: {  // one string under a text rule
      if (text == nullptr) return fail();
      std::string value = ValidateText(*TextSpecOf(field.type), path, *text, errors);
      if (errors.Has(path)) return std::nullopt;
      return CustomValue{std::move(value)};
    }
  }
}

// Which operators a condition on a field of `type` takes.
bool TakesOp(CustomFieldType type, FilterOp op) {
  switch (op) {
    case FilterOp::kEq:
    case FilterOp::kNe:
    case FilterOp::kIn:
    case FilterOp::kNin:
    case FilterOp::kExists:
    case FilterOp::kNotExists:
      return true;
    case FilterOp::kContains:  // within the folded text of a one-string value
    case FilterOp::kNotContains:
      return type == CustomFieldType::kText || type == CustomFieldType::kUrl ||
             type == CustomFieldType::kEmail || type == CustomFieldType::kSelect;
    case FilterOp::kAll:
      return type == CustomFieldType::kMultiSelect;
    default:  // ranges: over numbers, and over text as the other text fields (folded keys)
      return type != CustomFieldType::kBoolean && type != CustomFieldType::kMultiSelect;
  }
}

Error BadFilter(const std::string& name, std::string message) {
  return Error::BadRequest(message, {{name, message}});
}

}  // namespace

std::string_view CustomFieldTypeName(CustomFieldType type) {
  return kCustomFieldTypeNames[static_cast<std::size_t>(type)];
}

std::optional<CustomFieldType> ParseCustomFieldType(std::string_view name) {
  for (std::size_t i = 0; i < kCustomFieldTypeNames.size(); ++i) {
    if (kCustomFieldTypeNames[i] == name) return static_cast<CustomFieldType>(i);
  }
  return std::nullopt;
}

bool IsCustomFieldKey(std::string_view key) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (key.empty() || key.size() > kMaxCustomFieldKeyLength || !letter(key.front())) return false;
  return std::all_of(key.begin(), key.end(), [&](char c) {
    return letter(c) || digit(c) || c == '_' || c == '-' || c == '.';
  });
}

const CustomField* FindCustomField(std::span<const CustomField> fields, std::string_view key) {
  for (const CustomField& field : fields) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

std::vector<CustomValueChange> ValidateCustomValues(const std::vector<CustomValueInput>& sent,
                                                    const WritePolicy& policy,
                                                    FieldErrors& errors) {
  std::vector<CustomValueChange> changes;
  for (const CustomValueInput& in : sent) {
    const CustomField* field = FindCustomField(policy.custom_fields, in.key);
    bool null = std::holds_alternative<std::monostate>(in.value) && !in.malformed;
    if (null) {
      // Removing a value needs no definition: one left by a field deleted meanwhile goes too.
      changes.emplace_back(in.key, std::nullopt);
      continue;
    }
    if (field == nullptr) {
      std::string path = "custom_fields." + in.key;
      errors.Add(path, path + ": no custom field has the key '" + in.key +
                           "'; define it with POST /custom-fields first");
      continue;
    }
    if (auto value = ValidateValue(*field, in, policy, errors)) {
      // No option chosen is no value (so that every stored value has a lookup row).
      const auto* chosen = std::get_if<std::vector<std::string>>(&*value);
      if (chosen != nullptr && chosen->empty()) {
        changes.emplace_back(field->key, std::nullopt);
      } else {
        changes.emplace_back(field->key, std::move(*value));
      }
    }
  }
  return changes;
}

CustomValues ApplyCustomValues(CustomValues values, const std::vector<CustomValueChange>& changes) {
  for (const auto& [key, value] : changes) {
    if (value) {
      values.insert_or_assign(key, *value);
    } else if (auto it = values.find(key); it != values.end()) {
      values.erase(it);
    }
  }
  return values;
}

std::optional<std::vector<FilterValue>> CustomIndexKeys(const CustomField& field,
                                                        const CustomValue& value) {
  switch (field.type) {
    case CustomFieldType::kNumber:
      if (const double* number = std::get_if<double>(&value)) return {{FilterValue{*number}}};
      return std::nullopt;
    case CustomFieldType::kBoolean:
      if (const bool* flag = std::get_if<bool>(&value)) {
        return {{FilterValue{std::int64_t{*flag}}}};
      }
      return std::nullopt;
    case CustomFieldType::kMultiSelect: {
      const auto* list = std::get_if<std::vector<std::string>>(&value);
      if (list == nullptr) return std::nullopt;
      std::vector<FilterValue> keys;
      for (const std::string& option : *list) keys.emplace_back(FoldCase(option));
      return keys;
    }
    case CustomFieldType::kLongText:
      if (!std::holds_alternative<std::string>(value)) return std::nullopt;
      return {{FilterValue{std::string()}}};
    default: {
      const std::string* text = std::get_if<std::string>(&value);
      if (text == nullptr) return std::nullopt;
      return {{FilterValue{FoldCase(*text)}}};
    }
  }
}

Result<void> ResolveCustomFilters(std::vector<Filter>& filters,
                                  std::span<const CustomField> fields,
                                  const std::string& default_country) {
  WritePolicy policy;
  policy.default_country = default_country;
  for (Filter& filter : filters) {
    if (filter.field->kind != FieldKind::kCustom) continue;
    std::string name = "custom_fields." + filter.custom_key;
    const CustomField* field = FindCustomField(fields, filter.custom_key);
    if (field == nullptr) {
      return std::unexpected(
          BadFilter(name, name + ": no custom field has the key '" + filter.custom_key + "'"));
    }
    bool exists = filter.op == FilterOp::kExists || filter.op == FilterOp::kNotExists;
    if (field->type == CustomFieldType::kLongText && !exists) {
      return std::unexpected(BadFilter(name, name + " is long text, which cannot be filtered"));
    }
    if (!TakesOp(field->type, filter.op)) {
      return std::unexpected(BadFilter(
          name, name + " (" + std::string(CustomFieldTypeName(field->type)) +
                    ") does not take this operator"));
    }
    filter.custom_field_id = field->id.value;
    if (filter.op == FilterOp::kContains || filter.op == FilterOp::kNotContains) {
      // A part of a value, which a write need not accept: compared as folded text.
      for (FilterValue& value : filter.values) value = FoldCase(std::get<std::string>(value));
      continue;
    }
    for (FilterValue& value : filter.values) {
      // A value is read as a write would store it, then keyed as the stored one.
      CustomValueInput in;
      in.key = field->key;
      const std::string text = std::get<std::string>(value);
      if (field->type == CustomFieldType::kNumber) {
        double number = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
          return std::unexpected(BadFilter(name, name + " must be a number"));
        }
        in.value = number;
      } else if (field->type == CustomFieldType::kBoolean) {
        if (text != "true" && text != "false") {
          return std::unexpected(BadFilter(name, name + " must be true or false"));
        }
        in.value = text == "true";
      } else if (field->type == CustomFieldType::kMultiSelect) {
        in.value = std::vector<std::string>{text};
      } else {
        in.value = text;
      }
      FieldErrors errors;
      auto stored = ValidateValue(*field, in, policy, errors);
      if (!stored) {
        std::string message = errors.empty() ? name + " has an invalid value"
                                             : errors.list().front().message;
        return std::unexpected(BadFilter(name, std::move(message)));
      }
      value = CustomIndexKeys(*field, *stored)->front();
    }
  }
  return {};
}

Result<std::vector<CustomField>> CustomFieldService::List(const Principal& principal) {
  if (auto allowed = Authorize(principal, Permission::kRead, "custom field"); !allowed) {
    return std::unexpected(allowed.error());
  }
  return store_.ListCustomFields(principal.account);
}

Result<CustomField> CustomFieldService::Get(const Principal& principal, CustomFieldId id) {
  auto fields = List(principal);
  if (!fields) return std::unexpected(fields.error());
  for (CustomField& field : *fields) {
    if (field.id == id) return std::move(field);
  }
  return std::unexpected(Error::NotFound("Custom field not found"));
}

namespace {

std::string RequiredName(const Input<std::string>& input, FieldErrors& errors) {
  if (!input.value) {
    errors.Add("name", "name is required");
    return {};
  }
  std::string name = CleanText("name", *input.value, errors);
  if (name.empty() && !errors.Has("name")) errors.Add("name", "name must not be empty");
  return name;
}

std::vector<std::string> ValidOptions(const Input<std::vector<std::string>>& input,
                                      FieldErrors& errors) {
  std::vector<std::string> options;
  if (!input.value) {
    errors.Add("options", "options must be an array of strings");
    return options;
  }
  if (input.value->size() > kMaxCustomFieldOptions) {
    errors.Add("options", "options holds at most 100 choices");
    return options;
  }
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < input.value->size(); ++i) {
    std::string path = "options[" + std::to_string(i) + "]";
    std::string option = CleanText(path, (*input.value)[i], errors);
    if (errors.Has(path)) continue;
    std::string key = FoldCase(option);
    if (option.empty()) {
      errors.Add(path, path + " must not be empty");
    } else if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
      errors.Add(path, path + " repeats an option (options compare case-insensitively)");
    } else {
      keys.push_back(std::move(key));
      options.push_back(std::move(option));
    }
  }
  if (options.empty() && !errors.Has("options")) {
    errors.Add("options", "options must hold at least one choice");
  }
  return options;
}

std::optional<std::int64_t> ValidRank(const Input<std::int64_t>& input, FieldErrors& errors) {
  if (!input.value) {
    errors.Add("rank", "rank must be an integer");
    return std::nullopt;
  }
  return input.value;
}

Result<void> RequireAdmin(const Principal& principal) {
  if (Allows(principal.role, Permission::kDelete)) return {};
  return std::unexpected(Error::Forbidden("Only admins may change custom fields"));
}

}  // namespace

Result<CustomField> CustomFieldService::Create(const Principal& principal,
                                               CustomFieldInput input) {
  if (auto allowed = RequireAdmin(principal); !allowed) return std::unexpected(allowed.error());
  FieldErrors errors = std::move(input.errors);
  CustomField field;
  if (!input.key.value) {
    errors.Add("key", "key is required");
  } else if (!IsCustomFieldKey(*input.key.value)) {
    errors.Add("key", "key must be a letter followed by up to 63 letters, digits, '_', '-' or '.'");
  } else {
    field.key = *input.key.value;
  }
  field.name = RequiredName(input.name, errors);
  std::optional<CustomFieldType> type;
  if (input.data_type.value) type = ParseCustomFieldType(*input.data_type.value);
  if (!type) {
    errors.Add("data_type", "data_type must be text, long_text, number, boolean, date, datetime, "
                            "select, multi_select, url, email or phone");
  } else {
    field.type = *type;
    if (IsChoiceType(*type)) {
      if (!input.options.present) {
        errors.Add("options", "options is required for select and multi_select fields");
      } else {
        field.options = ValidOptions(input.options, errors);
      }
    } else if (input.options.present) {
      errors.Add("options", "options apply to select and multi_select fields only");
    }
  }
  if (input.rank.present) field.rank = ValidRank(input.rank, errors).value_or(0);
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  field.account = principal.account;
  field.created_at = field.updated_at = NowSeconds();
  return store_.CreateCustomField(field, kMaxCustomFieldsPerAccount);
}

Result<CustomField> CustomFieldService::Update(const Principal& principal, CustomFieldId id,
                                               CustomFieldInput input) {
  if (auto allowed = RequireAdmin(principal); !allowed) return std::unexpected(allowed.error());
  auto current = Get(principal, id);
  if (!current) return std::unexpected(current.error());
  FieldErrors errors = std::move(input.errors);
  if (input.key.present) errors.Add("key", "key is not updatable");
  if (input.data_type.present) errors.Add("data_type", "data_type is not updatable");
  CustomFieldChanges changes;
  if (input.name.present) changes.name = RequiredName(input.name, errors);
  if (input.options.present) {
    if (!IsChoiceType(current->type)) {
      errors.Add("options", "options apply to select and multi_select fields only");
    } else {
      changes.options = ValidOptions(input.options, errors);
    }
  }
  if (input.rank.present) changes.rank = ValidRank(input.rank, errors);
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  changes.now = NowSeconds();
  auto updated = store_.UpdateCustomField(principal.account, id, changes);
  if (!updated) return std::unexpected(updated.error());
  if (!*updated) return std::unexpected(Error::NotFound("Custom field not found"));
  return std::move(**updated);
}

Result<void> CustomFieldService::Delete(const Principal& principal, CustomFieldId id) {
  if (auto allowed = RequireAdmin(principal); !allowed) return std::unexpected(allowed.error());
  auto deleted = store_.DeleteCustomField(principal.account, id, NowSeconds());
  if (!deleted) return std::unexpected(deleted.error());
  if (!*deleted) return std::unexpected(Error::NotFound("Custom field not found"));
  return {};
}

}  // namespace contactd::domain

#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/access.hpp"
#include "domain/contact.hpp"
#include "domain/error.hpp"
#include "domain/query.hpp"

namespace contactd::store {
class Store;
}

namespace contactd::domain {

inline constexpr std::size_t kMaxCustomFieldsPerAccount = 500;
inline constexpr std::size_t kMaxCustomFieldOptions = 100;
inline constexpr std::size_t kMaxCustomFieldKeyLength = 64;

std::string_view CustomFieldTypeName(CustomFieldType type);
std::optional<CustomFieldType> ParseCustomFieldType(std::string_view name);

// Whether `key` may name a custom field: a letter, then up to 63 letters, digits, '_', '-' or
// '.' (seed 003 sends camelCase keys, seed 004 dotted ones). Keys compare exactly.
bool IsCustomFieldKey(std::string_view key);

// The body of POST and PATCH /custom-fields.
struct CustomFieldInput {
  Input<std::string> key;
  Input<std::string> name;
  Input<std::string> data_type;
  Input<std::vector<std::string>> options;
  Input<std::int64_t> rank;
  FieldErrors errors;
};

// Changes to a definition: only the engaged members change.
struct CustomFieldChanges {
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> options;
  std::optional<std::int64_t> rank;
  std::int64_t now = 0;
};

// The definition named `key` among `fields`, or nullptr.
const CustomField* FindCustomField(std::span<const CustomField> fields, std::string_view key);

// A custom field value a write sends: a value to set, or nullopt to remove the field's value.
using CustomValueChange = std::pair<std::string, std::optional<CustomValue>>;

// Checks the custom_fields members a write sent against the account's definitions
// (policy.custom_fields): each value must fit its field's type (a number for number, an option
// for select...). Text is trimmed, dates, datetimes and phones made canonical, choices take their
// option's spelling. Errors name "custom_fields.<key>"; a value for a key with no definition is
// one. null removes a key's value (defined or not); so does a multi_select with no option.
std::vector<CustomValueChange> ValidateCustomValues(const std::vector<CustomValueInput>& sent,
                                                    const WritePolicy& policy,
                                                    FieldErrors& errors);

// `values` with the changes applied.
CustomValues ApplyCustomValues(CustomValues values, const std::vector<CustomValueChange>& changes);

// The keys contact_field_values holds for a value of `field`, by which filters find it: folded
// text (FoldCase) for the text types and choices (one per option of a multi_select), the number,
// 0/1, the canonical date or datetime text. A long_text value has one empty key: it is findable
// for removal but not filterable. nullopt when the value's shape does not fit the field's type.
std::optional<std::vector<FilterValue>> CustomIndexKeys(const CustomField& field,
                                                        const CustomValue& value);

// Resolves the custom field conditions of a list (Filter::custom_key) against the definitions:
// sets each one's field id and reads its values as CustomIndexKeys would key them. kBadRequest
// for an unknown key, a field that cannot be filtered (long_text), an operator its type does not
// take, or a value a write would refuse.
Result<void> ResolveCustomFilters(std::vector<Filter>& filters,
                                  std::span<const CustomField> fields,
                                  const std::string& default_country);

// The custom field definitions of accounts: everyone reads them, admins change them.
class CustomFieldService {
 public:
  explicit CustomFieldService(store::Store& store) : store_(store) {}

  // By rank, then id.
  Result<std::vector<CustomField>> List(const Principal& principal);
  Result<CustomField> Get(const Principal& principal, CustomFieldId id);
  // key, name and data_type are required; options for select and multi_select only (and
  // required there). kConflict when the key is taken.
  Result<CustomField> Create(const Principal& principal, CustomFieldInput input);
  // name, options and rank change; key and data_type do not. Options that values still hold may
  // be removed: the values stay as they are.
  Result<CustomField> Update(const Principal& principal, CustomFieldId id, CustomFieldInput input);
  // Deletes the definition and every value of it, on contacts and on restorable deleted ones.
  Result<void> Delete(const Principal& principal, CustomFieldId id);

 private:
  store::Store& store_;
};

}  // namespace contactd::domain

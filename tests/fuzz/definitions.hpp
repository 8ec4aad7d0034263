#pragma once

#include <vector>

#include "domain/contact.hpp"

// Custom field definitions of every type, for the fuzz targets that check values and filters
// against an account's fields (keys t, l, n, b, d, dt, s, m, u, e, p).
inline const std::vector<contactd::domain::CustomField>& FuzzCustomFields() {
  using contactd::domain::CustomField;
  using contactd::domain::CustomFieldId;
  using Type = contactd::domain::CustomFieldType;
  static const std::vector<CustomField> fields = [] {
    std::vector<CustomField> made;
    auto add = [&](const char* key, Type type, std::vector<std::string> options = {}) {
      CustomField field;
      field.id = CustomFieldId{static_cast<std::int64_t>(made.size() + 1)};
      field.key = key;
      field.name = key;
      field.type = type;
      field.options = std::move(options);
      made.push_back(std::move(field));
    };
    add("t", Type::kText);
    add("l", Type::kLongText);
    add("n", Type::kNumber);
    add("b", Type::kBoolean);
    add("d", Type::kDate);
    add("dt", Type::kDateTime);
    add("s", Type::kSelect, {"Gold", "Straße", "ǅ"});
    add("m", Type::kMultiSelect, {"NY", "LA", "İstanbul"});
    add("u", Type::kUrl);
    add("e", Type::kEmail);
    add("p", Type::kPhone);
    return made;
  }();
  return fields;
}

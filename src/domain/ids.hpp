#pragma once

#include <compare>
#include <cstdint>

namespace contactd::domain {

// Distinct integer id types, so that a company id cannot be passed where a contact id belongs.
template <class Tag>
struct Id {
  std::int64_t value = 0;

  auto operator<=>(const Id&) const = default;
};

using AccountId = Id<struct AccountTag>;
using UserId = Id<struct UserTag>;
using CompanyId = Id<struct CompanyTag>;
using ContactId = Id<struct ContactTag>;
using CustomFieldId = Id<struct CustomFieldTag>;
using TokenId = Id<struct TokenTag>;

}  // namespace contactd::domain

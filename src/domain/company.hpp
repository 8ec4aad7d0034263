#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/contact.hpp"
#include "domain/error.hpp"
#include "domain/ids.hpp"

namespace contactd::domain {

inline constexpr std::array<std::string_view, 2> kCompanyTypes = {"lender", "sponsor"};

// A company of an account; contacts belong to one. At most one contact is its primary contact.
struct Company {
  CompanyId id;
  std::string uid;
  AccountId account;
  std::string name;
  std::optional<std::string> company_type;
  std::optional<ContactId> primary_contact;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct CompanyInput {
  Input<std::string> name;
  Input<std::string> company_type;
  FieldErrors errors;
};

struct NewCompany {
  AccountId account;
  std::string uid;
  std::string name;
  std::optional<std::string> company_type;
  std::int64_t now = 0;
};

}  // namespace contactd::domain

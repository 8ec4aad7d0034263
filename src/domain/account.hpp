#pragma once

#include <cstdint>
#include <string>

#include "domain/ids.hpp"

namespace contactd::domain {

// A tenant. Every contact, company and user belongs to exactly one account.
struct Account {
  AccountId id;
  std::string uid;
  std::string name;
  std::int64_t created_at = 0;
};

}  // namespace contactd::domain

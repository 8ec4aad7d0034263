#pragma once

#include <cstdint>
#include <string>

#include "domain/ids.hpp"
#include "domain/rate_limit.hpp"

namespace contactd::domain {

// A tenant. Every contact, company and user belongs to exactly one account.
struct Account {
  AccountId id;
  std::string uid;
  std::string name;
  std::int64_t created_at = 0;
  RateOverride rates;  // its own request limits, in place of the server's
};

// What an account's admins decide for the whole account.
struct AccountSettings {
  // Whether a create whose email or phone number matches an existing contact is refused.
  bool reject_duplicates = false;
  // The region phone numbers without a '+' are read in (writes without a country, phone=).
  std::string default_country = "US";
};

}  // namespace contactd::domain

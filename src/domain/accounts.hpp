#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/access.hpp"
#include "domain/account.hpp"
#include "domain/error.hpp"
#include "domain/jwt.hpp"

namespace contactd::store {
class Store;
}

namespace contactd::domain {

// Use cases of tenants and their credentials. Thread-safe if the store is.
class AccountService {
 public:
  // `jwt` (if set, outliving the service) verifies JWT bearer tokens besides contactd's own.
  explicit AccountService(store::Store& store, const JwtVerifier* jwt = nullptr)
      : store_(store), jwt_(jwt) {}

  // Creates an account, with `uid` as its public id when given (an integration moved from
  // elsewhere keeps its organization or location id), else a new UUID. kValidation if the name
  // is empty or longer than 255 characters, or the uid is not 1 to 64 of A-Z a-z 0-9 _ -;
  // kConflict if another account has the uid.
  Result<Account> CreateAccount(std::string_view name,
                                const std::optional<std::string>& uid = std::nullopt);
  // Sets the account's own request limits (each left as it is when unset); kNotFound without
  // such an account.
  Result<Account> SetRates(AccountId account, const std::optional<RateSetting>& sustained,
                           const std::optional<RateSetting>& burst);

  // Creates a user of `role` in the account and returns the secret of a new token of it, with
  // all of the user's permissions: the only time the secret exists outside the caller; only its
  // SHA-256 is stored. kNotFound for an unknown account.
  Result<std::string> CreateToken(AccountId account, Role role);

  // Resolves a bearer token to its principal: a contactd token by its hash, a JWT (see
  // JwtVerifier) by the user its claims name in the account they name, with that user's role and
  // visibility. kUnauthorized if it is unknown or not valid.
  Result<Principal> Authenticate(std::string_view token);

 private:
  Result<Principal> AuthenticateJwt(std::string_view token);

  store::Store& store_;
  const JwtVerifier* jwt_;
};

}  // namespace contactd::domain

#pragma once

#include <string_view>

#include "domain/access.hpp"
#include "domain/error.hpp"

namespace contactd::domain {
class AccountService;
}

namespace contactd::http {

// Returns the token of an "Authorization: Bearer <token>" header value (scheme case-insensitive),
// or "" when the header is absent or of another scheme.
std::string_view BearerToken(std::string_view authorization);

// Resolves the Authorization header of a request to its principal. kUnauthorized when it is
// missing, malformed or unknown; kUnavailable / kInternal when the store fails.
domain::Result<domain::Principal> Authenticate(domain::AccountService& accounts,
                                               std::string_view authorization);

}  // namespace contactd::http

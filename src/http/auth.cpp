#include "http/auth.hpp"

#include <strings.h>

#include "domain/accounts.hpp"

namespace contactd::http {

std::string_view BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() ||
      strncasecmp(authorization.data(), kScheme.data(), kScheme.size()) != 0) {
    return {};
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

domain::Result<domain::Principal> Authenticate(domain::AccountService& accounts,
                                               std::string_view authorization) {
  std::string_view token = BearerToken(authorization);
  if (token.empty()) return std::unexpected(domain::Error::Unauthorized());
  return accounts.Authenticate(token);
}

}  // namespace contactd::http

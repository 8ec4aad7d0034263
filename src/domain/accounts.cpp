#include "domain/accounts.hpp"

#include <algorithm>

#include "domain/crypto.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/users.hpp"
#include "domain/validation.hpp"
#include "store/store.hpp"

namespace contactd::domain {

namespace {
constexpr std::size_t kMaxTokenLength = 256;
}

Result<Account> AccountService::CreateAccount(std::string_view name,
                                              const std::optional<std::string>& uid) {
  FieldErrors errors;
  if (!IsValidUtf8(name)) {
    errors.Add("name", "name must be valid UTF-8 text");
  } else if (Trim(name).empty()) {
    errors.Add("name", "name is required");
  }
  std::string clean = errors.empty() ? CleanText("name", name, errors) : std::string();
  constexpr std::size_t kMaxUidLength = 64;
  auto uid_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
  };
  if (uid && (uid->empty() || uid->size() > kMaxUidLength ||
              !std::all_of(uid->begin(), uid->end(), uid_char))) {
    errors.Add("uid", "uid must be 1 to 64 of A-Z, a-z, 0-9, _ and -");
  }
  if (!errors.empty()) return std::unexpected(Error::Validation(std::move(errors).Take()));
  return store_.CreateAccount(
      Account{{}, uid ? *uid : NewUuidV4(), std::move(clean), NowSeconds(), {}});
}

Result<Account> AccountService::SetRates(AccountId account,
                                         const std::optional<RateSetting>& sustained,
                                         const std::optional<RateSetting>& burst) {
  auto set = store_.SetAccountRates(account, sustained, burst);
  if (!set) return std::unexpected(set.error());
  auto found = *set ? store_.FindAccount(account) : Result<std::optional<Account>>(std::nullopt);
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::unexpected(Error::NotFound("Account not found"));
  return **found;
}

Result<std::string> AccountService::CreateToken(AccountId account, Role role) {
  UserService users(store_);
  UserInput input;
  input.role = {true, std::string(RoleName(role))};
  auto user = users.CreateUserFor(account, std::move(input));
  if (!user) return std::unexpected(user.error());
  auto token = users.CreateTokenFor(user->id, {});
  if (!token) return std::unexpected(token.error());
  return std::move(token->secret);
}

Result<Principal> AccountService::Authenticate(std::string_view token) {
  if (jwt_ != nullptr && jwt_->enabled() && LooksLikeJwt(token)) return AuthenticateJwt(token);
  if (token.empty() || token.size() > kMaxTokenLength) {
    return std::unexpected(Error::Unauthorized());
  }
  auto principal = store_.FindPrincipal(Sha256Hex(token));
  if (!principal) return std::unexpected(principal.error());
  if (!*principal) return std::unexpected(Error::Unauthorized());
  return **principal;
}

Result<Principal> AccountService::AuthenticateJwt(std::string_view token) {
  auto identity = jwt_->Verify(token, NowSeconds());
  if (!identity) return std::unexpected(identity.error());
  auto principal = store_.FindUserPrincipal(identity->account_uid, identity->user);
  if (!principal) return std::unexpected(principal.error());
  if (!*principal) {
    return std::unexpected(Error{ErrorCode::kUnauthorized,
                                 "The JWT names no user of an organization here", {}});
  }
  return **principal;
}

}  // namespace contactd::domain

#include "api/native/users_routes.hpp"

#include "api/native/codec.hpp"
#include "api/native/routes.hpp"
#include "api/native/users_codec.hpp"
#include "api/params.hpp"
#include "domain/users.hpp"

namespace contactd::api::native {
namespace {

http::Response GetMe(const Services& s, const http::Request&, http::RequestContext& context) {
  auto me = s.users.GetMe(context.caller());
  return me ? RenderMe(context, *me) : RenderError(context, me.error());
}

http::Response ListUsers(const Services& s, const http::Request& request,
                         http::RequestContext& context) {
  auto params = ParseQueryString(request.query);
  if (!params) return RenderError(context, params.error());
  auto query = domain::ParsePageQuery(*params, s.cursors);
  if (!query) return RenderError(context, query.error());
  auto page = s.users.List(context.caller(), *query);
  if (!page) return RenderError(context, page.error());
  bool full = context.caller().role == domain::Role::kAdmin;
  return RenderUserPage(context, *page, *query, s.cursors, full);
}

http::Response CreateUser(const Services& s, const http::Request& request,
                          http::RequestContext& context) {
  auto input = ParseUserInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto user = s.users.Create(context.caller(), std::move(*input));
  return user ? RenderUser(context, *user, 201) : RenderError(context, user.error());
}

http::Response UpdateUser(const Services& s, const http::Request& request,
                          http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "user_id");
  if (!id) return RenderError(context, id.error());
  auto input = ParseUserInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto user = s.users.Update(context.caller(), domain::UserId{*id}, std::move(*input));
  return user ? RenderUser(context, *user) : RenderError(context, user.error());
}

http::Response CreateToken(const Services& s, const http::Request& request,
                           http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "user_id");
  if (!id) return RenderError(context, id.error());
  auto input = ParseTokenInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto token = s.users.CreateToken(context.caller(), domain::UserId{*id}, std::move(*input));
  return token ? RenderNewToken(context, *token) : RenderError(context, token.error());
}

http::Response ListTokens(const Services& s, const http::Request&,
                          http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "user_id");
  if (!id) return RenderError(context, id.error());
  auto tokens = s.users.ListTokens(context.caller(), domain::UserId{*id});
  return tokens ? RenderTokens(context, *tokens) : RenderError(context, tokens.error());
}

http::Response RevokeToken(const Services& s, const http::Request&,
                           http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "token_id");
  if (!id) return RenderError(context, id.error());
  auto revoked = s.users.RevokeToken(context.caller(), domain::TokenId{*id});
  if (!revoked) return RenderError(context, revoked.error());
  http::Response response;
  response.status = 204;
  return response;
}

http::RouteOptions Needs(domain::Permission permission, const char* resource) {
  return http::RouteOptions{.permission = permission, .resource = resource};
}

}  // namespace

std::vector<RouteSpec> UserRoutes() {
  using domain::Permission;
  return {
      // Any valid token may ask whom it acts as, whatever its scopes.
      {"GET", "/me", GetMe, {}},
      {"GET", "/users", ListUsers, Needs(Permission::kRead, "user"), /*reads_query=*/true},
      {"POST", "/users", CreateUser, Needs(Permission::kCreate, "user")},
      {"PATCH", "/users/{user_id}", UpdateUser, Needs(Permission::kUpdate, "user")},
      {"GET", "/users/{user_id}/tokens", ListTokens, Needs(Permission::kRead, "token")},
      {"POST", "/users/{user_id}/tokens", CreateToken,
       http::ShowsSecret(Needs(Permission::kCreate, "token"))},
      {"DELETE", "/tokens/{token_id}", RevokeToken, Needs(Permission::kDelete, "token")},
  };
}

}  // namespace contactd::api::native

#pragma once

#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/cursor.hpp"
#include "domain/error.hpp"
#include "domain/query.hpp"
#include "domain/users.hpp"
#include "http/message.hpp"
#include "store/store.hpp"

namespace contactd::api::native {

// JSON <-> domain for users and tokens, in the native style.

// The body of POST / PATCH /users: {name, email, role, visibility}.
domain::Result<domain::UserInput> ParseUserInput(std::string_view body);
// The body of POST /users/{id}/tokens: {scopes} or nothing.
domain::Result<domain::TokenInput> ParseTokenInput(std::string_view body);

// {id, name, email, role} and, when `full` (what admins and the operator see), visibility,
// created_at and updated_at.
boost::json::object UserJson(const domain::User& user, bool full);
// {id, user_id, scopes, created_at}: never the secret.
boost::json::object TokenJson(const domain::Token& token);

http::Response RenderUser(const http::RequestContext& context, const domain::User& user,
                          unsigned status = 200);
http::Response RenderUserPage(const http::RequestContext& context,
                              const store::Page<domain::User>& page,
                              const domain::ListQuery& query, const domain::CursorCodec& cursors,
                              bool full);
// The new token with its secret as `token`, shown this once; 201.
http::Response RenderNewToken(const http::RequestContext& context, const domain::NewToken& token);
http::Response RenderTokens(const http::RequestContext& context,
                            const std::vector<domain::Token>& tokens);
// {data: {user (full), account: {id, uid, name}, token: {id, scopes}}}
http::Response RenderMe(const http::RequestContext& context, const domain::Me& me);

}  // namespace contactd::api::native

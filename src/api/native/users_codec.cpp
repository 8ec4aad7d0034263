#include "api/native/users_codec.hpp"

#include "api/json.hpp"
#include "api/native/envelope.hpp"
#include "domain/time.hpp"

namespace contactd::api::native {
namespace {

namespace json = boost::json;

json::value OptionalString(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::array Scopes(const std::vector<std::string>& scopes) {
  json::array array;
  for (const std::string& scope : scopes) array.emplace_back(scope);
  return array;
}

}  // namespace

domain::Result<domain::UserInput> ParseUserInput(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::unexpected(object.error());
  domain::UserInput input;
  ObjectReader reader(*object, "", input.errors);
  input.name = reader.String("name");
  input.email = reader.String("email");
  input.role = reader.String("role");
  input.visibility = reader.String("visibility");
  reader.ReadOnly({"id", "account_id", "created_at", "updated_at"});
  reader.RejectUnknown();
  return input;
}

domain::Result<domain::TokenInput> ParseTokenInput(std::string_view body) {
  domain::TokenInput input;
  if (body.empty()) return input;  // no body: a token with all of its user's permissions
  auto object = ParseObject(body);
  if (!object) return std::unexpected(object.error());
  ObjectReader reader(*object, "", input.errors);
  input.scopes = reader.StringArray("scopes", 20);
  reader.ReadOnly({"id", "user_id", "created_at", "token"});
  reader.RejectUnknown();
  return input;
}

json::object UserJson(const domain::User& user, bool full) {
  json::object object{{"id", user.id.value},
                      {"name", OptionalString(user.name)},
                      {"email", OptionalString(user.email)},
                      {"role", domain::RoleName(user.role)}};
  if (full) {
    object["visibility"] = domain::VisibilityName(user.visibility);
    object["created_at"] = domain::FormatTimestamp(user.created_at);
    object["updated_at"] = domain::FormatTimestamp(user.updated_at);
  }
  return object;
}

json::object TokenJson(const domain::Token& token) {
  return json::object{{"id", token.id.value},
                      {"user_id", token.user.value},
                      {"scopes", Scopes(token.scopes)},
                      {"created_at", domain::FormatTimestamp(token.created_at)}};
}

http::Response RenderUser(const http::RequestContext& context, const domain::User& user,
                          unsigned status) {
  json::object body = Envelope(context);
  body["data"] = UserJson(user, /*full=*/true);
  return Respond(status, body);
}

http::Response RenderUserPage(const http::RequestContext& context,
                              const store::Page<domain::User>& page,
                              const domain::ListQuery& query, const domain::CursorCodec& cursors,
                              bool full) {
  json::array data;
  data.reserve(page.items.size());
  for (const domain::User& user : page.items) data.push_back(UserJson(user, full));
  json::object body = Envelope(context);
  body["data"] = std::move(data);
  body["pagination"] =
      Pagination(page, query, cursors, page.items.empty() ? 0 : page.items.back().id.value);
  return Respond(200, body);
}

http::Response RenderNewToken(const http::RequestContext& context, const domain::NewToken& token) {
  json::object data = TokenJson(token.token);
  data["token"] = token.secret;
  json::object body = Envelope(context);
  body["data"] = std::move(data);
  return Respond(201, body);
}

http::Response RenderTokens(const http::RequestContext& context,
                            const std::vector<domain::Token>& tokens) {
  json::array data;
  for (const domain::Token& token : tokens) data.push_back(TokenJson(token));
  json::object body = Envelope(context);
  body["data"] = std::move(data);
  return Respond(200, body);
}

http::Response RenderMe(const http::RequestContext& context, const domain::Me& me) {
  json::object data = UserJson(me.user, /*full=*/true);
  data["account"] = json::object{
      {"id", me.user.account.value}, {"uid", me.account_uid}, {"name", me.account_name}};
  if (me.token) {
    data["token"] = json::object{{"id", me.token->id.value}, {"scopes", Scopes(me.token->scopes)}};
  } else {
    data["token"] = nullptr;  // a JWT's caller
  }
  json::object body = Envelope(context);
  body["data"] = std::move(data);
  return Respond(200, body);
}

}  // namespace contactd::api::native

#include "api/native/webhooks_routes.hpp"

#include <boost/json/object.hpp>

#include "api/conditional.hpp"
#include "api/json.hpp"
#include "api/native/codec.hpp"
#include "api/native/envelope.hpp"
#include "api/native/routes.hpp"
#include "api/params.hpp"
#include "domain/time.hpp"
#include "domain/webhooks.hpp"

namespace contactd::api::native {
namespace {

namespace json = boost::json;

domain::Result<domain::WebhookInput> ParseWebhookInput(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::unexpected(object.error());
  domain::WebhookInput input;
  ObjectReader reader(*object, "", input.errors);
  input.url = reader.String("url");
  input.events = reader.StringArray("events", 20);
  input.description = reader.String("description");
  input.enabled = reader.Bool("enabled");
  input.format = reader.String("format");
  ReadVersion(reader, input.expected);
  reader.ReadOnly({"id", "secret", "disabled_reason", "created_at", "updated_at"});
  reader.RejectUnknown();
  return input;
}

json::object WebhookJson(const domain::Webhook& webhook) {
  json::array events;
  for (const std::string& event : webhook.events) events.emplace_back(event);
  auto optional = [](const std::optional<std::string>& text) {
    return text ? json::value(*text) : json::value(nullptr);
  };
  return json::object{{"id", webhook.id},
                      {"url", webhook.url},
                      {"events", std::move(events)},
                      {"description", optional(webhook.description)},
                      {"enabled", webhook.enabled},
                      {"disabled_reason", optional(webhook.disabled_reason)},
                      {"format", webhook.format},
                      {"created_at", domain::FormatTimestamp(webhook.created_at)},
                      {"updated_at", domain::FormatTimestamp(webhook.updated_at)},
                      {"version", webhook.version}};
}

http::Response Render(const http::RequestContext& context, json::value data,
                      unsigned status = 200) {
  json::object body = Envelope(context);
  body["data"] = std::move(data);
  return Respond(status, body);
}

// One endpoint, with its entity tag.
http::Response RenderWebhook(const http::RequestContext& context, const domain::Webhook& webhook) {
  http::Response response = Render(context, WebhookJson(webhook));
  response.headers.emplace_back("ETag", EntityTag(webhook.version));
  return response;
}

// One endpoint with its secret (shown once), and its entity tag.
http::Response RenderWithSecret(const http::RequestContext& context,
                                const domain::WebhookWithSecret& created, unsigned status) {
  json::object data = WebhookJson(created.webhook);
  data["secret"] = created.secret;
  http::Response response = Render(context, std::move(data), status);
  response.headers.emplace_back("ETag", EntityTag(created.webhook.version));
  return response;
}

domain::Result<std::int64_t> WebhookId(const http::RequestContext& context) {
  return ParseIdParam(context.path_params[0], "webhook_id");
}

http::Response ListWebhooks(const Services& s, const http::Request&,
                            http::RequestContext& context) {
  auto webhooks = s.webhooks.List(context.caller());
  if (!webhooks) return RenderError(context, webhooks.error());
  json::array data;
  for (const domain::Webhook& webhook : *webhooks) data.push_back(WebhookJson(webhook));
  return Render(context, std::move(data));
}

http::Response GetWebhook(const Services& s, const http::Request& request,
                          http::RequestContext& context) {
  auto id = WebhookId(context);
  if (!id) return RenderError(context, id.error());
  auto webhook = s.webhooks.Get(context.caller(), *id);
  if (!webhook) return RenderError(context, webhook.error());
  if (NoneMatch(request.if_none_match, webhook->version)) return NotModified(webhook->version);
  return RenderWebhook(context, *webhook);
}

http::Response CreateWebhook(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto input = ParseWebhookInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto created = s.webhooks.Create(context.caller(), std::move(*input));
  return created ? RenderWithSecret(context, *created, 201)
                 : RenderError(context, created.error());
}

http::Response UpdateWebhook(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto id = WebhookId(context);
  if (!id) return RenderError(context, id.error());
  auto input = ParseWebhookInput(request.body);
  if (!input) return RenderError(context, input.error());
  ApplyIfMatch(request.if_match, input->expected);
  auto updated = s.webhooks.Update(context.caller(), *id, std::move(*input));
  return updated ? RenderWebhook(context, *updated) : RenderError(context, updated.error());
}

http::Response DeleteWebhook(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto id = WebhookId(context);
  if (!id) return RenderError(context, id.error());
  domain::VersionCheck expected;
  ApplyIfMatch(request.if_match, expected);
  auto deleted = s.webhooks.Delete(context.caller(), *id, expected);
  if (!deleted) return RenderError(context, deleted.error());
  http::Response response;
  response.status = 204;
  return response;
}

http::Response RotateSecret(const Services& s, const http::Request&,
                            http::RequestContext& context) {
  auto id = WebhookId(context);
  if (!id) return RenderError(context, id.error());
  auto rotated = s.webhooks.RotateSecret(context.caller(), *id);
  return rotated ? RenderWithSecret(context, *rotated, 200)
                 : RenderError(context, rotated.error());
}

http::Response TestWebhook(const Services& s, const http::Request&,
                           http::RequestContext& context) {
  auto id = WebhookId(context);
  if (!id) return RenderError(context, id.error());
  auto queued = s.webhooks.Test(context.caller(), *id);
  if (!queued) return RenderError(context, queued.error());
  return Render(context, json::object{{"delivery_id", *queued}}, 202);
}

http::Response ListDeliveries(const Services& s, const http::Request&,
                              http::RequestContext& context) {
  auto id = WebhookId(context);
  if (!id) return RenderError(context, id.error());
  auto attempts = s.webhooks.Deliveries(context.caller(), *id);
  if (!attempts) return RenderError(context, attempts.error());
  json::array data;
  for (const domain::DeliveryAttempt& attempt : *attempts) {
    data.push_back(json::object{
        {"delivery_id", attempt.delivery_id},
        {"event_id", attempt.event_id == 0 ? json::value(nullptr)
                                           : json::value(domain::EventPublicId(attempt.event_id))},
        {"attempted_at", domain::FormatTimestampMs(attempt.attempted_at_ms)},
        {"status_code", attempt.status_code ? json::value(*attempt.status_code)
                                            : json::value(nullptr)},
        {"duration_ms", attempt.duration_ms},
        {"error", attempt.error ? json::value(*attempt.error) : json::value(nullptr)}});
  }
  return Render(context, std::move(data));
}

http::Response Redeliver(const Services& s, const http::Request&,
                         http::RequestContext& context) {
  std::string_view raw = context.path_params[0];
  if (raw.starts_with("evt_")) raw.remove_prefix(4);
  auto id = ParseIdParam(std::string(raw), "event_id");
  if (!id) return RenderError(context, id.error());
  auto queued = s.webhooks.Redeliver(context.caller(), *id);
  if (!queued) return RenderError(context, queued.error());
  return Render(context, json::object{{"deliveries", *queued}}, 202);
}

http::RouteOptions Needs(domain::Permission permission) {
  return http::RouteOptions{.permission = permission, .resource = "webhook"};
}

}  // namespace

std::vector<RouteSpec> WebhookRoutes() {
  using domain::Permission;
  return {
      {"GET", "/webhooks", ListWebhooks, Needs(Permission::kRead)},
      {"POST", "/webhooks", CreateWebhook, http::ShowsSecret(Needs(Permission::kCreate))},
      {"GET", "/webhooks/{webhook_id}", GetWebhook, Needs(Permission::kRead)},
      {"PATCH", "/webhooks/{webhook_id}", UpdateWebhook,
       http::Versioned(Needs(Permission::kUpdate))},
      {"DELETE", "/webhooks/{webhook_id}", DeleteWebhook,
       http::Versioned(Needs(Permission::kDelete))},
      {"POST", "/webhooks/{webhook_id}/rotate-secret", RotateSecret,
       http::ShowsSecret(Needs(Permission::kUpdate))},
      {"POST", "/webhooks/{webhook_id}/test", TestWebhook, Needs(Permission::kUpdate)},
      {"GET", "/webhooks/{webhook_id}/deliveries", ListDeliveries, Needs(Permission::kRead)},
      {"POST", "/events/{event_id}/redeliver", Redeliver, Needs(Permission::kUpdate)},
  };
}

}  // namespace contactd::api::native

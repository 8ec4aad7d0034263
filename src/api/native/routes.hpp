#pragma once

namespace contactd::domain {
class AccountListService;
class CompanyService;
class ContactService;
class CustomFieldService;
class EventService;
class CursorCodec;
class SettingsService;
class UserService;
class WebhookService;
}  // namespace contactd::domain
namespace contactd::http {
class Router;
}
namespace contactd::store {
class Store;
}

namespace contactd::api::native {

// What the native handlers call: references to objects that app/serve owns and that outlive the
// server. Copied into each route.
struct Services {
  domain::ContactService& contacts;
  domain::CompanyService& companies;
  domain::SettingsService& settings;
  domain::CustomFieldService& custom_fields;
  domain::AccountListService& lists;
  domain::UserService& users;
  domain::EventService& events;
  domain::WebhookService& webhooks;
  const domain::CursorCodec& cursors;
  const domain::CursorCodec& event_cursors;  // the feed's, under a key of their own
  store::Store& store;  // for the health check only
};

// Registers the native API (/api/external/v2, with the /build/contacts aliases of seed 001) and
// /healthz.
void AddRoutes(http::Router& router, const Services& services);

}  // namespace contactd::api::native

#pragma once

namespace contactd::domain {
class ContactService;
class CursorCodec;
}  // namespace contactd::domain
namespace contactd::http {
class Router;
}

namespace contactd::api::liondesk {

// What the /compat/liondesk handlers call: references to objects that app/serve owns and that
// outlive the server.
struct Services {
  domain::ContactService& contacts;
  const domain::CursorCodec& cursors;  // the list parser's; finds page by $skip
};

// Registers /compat/liondesk, the contacts API of seed 002 (each path also with the seed's
// double slash, //contacts).
void AddRoutes(http::Router& router, const Services& services);

}  // namespace contactd::api::liondesk

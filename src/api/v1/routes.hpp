#pragma once

namespace contactd::domain {
class CompanyService;
class ContactService;
class CursorCodec;
}  // namespace contactd::domain
namespace contactd::http {
class Router;
}

namespace contactd::api::v1 {

// What the /api/v1 handlers call: references to objects that app/serve owns and that outlive the
// server.
struct Services {
  domain::ContactService& contacts;
  domain::CompanyService& companies;
  const domain::CursorCodec& cursors;  // the list parser's; /api/v1 pages by number
};

// Registers /api/v1, the Contacts API of seed 003.
void AddRoutes(http::Router& router, const Services& services);

}  // namespace contactd::api::v1

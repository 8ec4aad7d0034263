#pragma once

namespace contactd::domain {
class ContactService;
class CursorCodec;
}  // namespace contactd::domain
namespace contactd::http {
class Router;
}

namespace contactd::api::leadconnector {

// What the /compat/leadconnector handlers call: references to objects that app/serve owns and
// that outlive the server.
struct Services {
  domain::ContactService& contacts;
  const domain::CursorCodec& cursors;  // the list parser's; these lists page by offset or id
};

// Registers /compat/leadconnector, HighLevel's contacts API (seed 004) as its official SDK
// calls it: create, get, update, delete, upsert, search, the deprecated list, the duplicate
// lookup and tags.
void AddRoutes(http::Router& router, const Services& services);

}  // namespace contactd::api::leadconnector

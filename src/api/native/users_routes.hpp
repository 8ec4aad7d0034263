#pragma once

#include <vector>

#include "http/router.hpp"

namespace contactd::api::native {

struct Services;

// A native route: AddRoutes registers each with the native error renderer.
struct RouteSpec {
  using Handler = http::Response (*)(const Services&, const http::Request&,
                                     http::RequestContext&);
  const char* method;
  const char* path;  // below the native base path
  Handler handler;
  http::RouteOptions options;
  // The handler reads the query string (and names what it does not know); a parameter sent to
  // any other route is refused.
  bool reads_query = false;
};

// /me, /users, /users/{id}/tokens and /tokens/{id}.
std::vector<RouteSpec> UserRoutes();

}  // namespace contactd::api::native

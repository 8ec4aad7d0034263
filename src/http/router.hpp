#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/access.hpp"
#include "domain/error.hpp"
#include "http/message.hpp"
#include "http/metrics.hpp"

namespace contactd::http {

using Handler = std::function<Response(const Request&, RequestContext&)>;
// Renders an error in the format of one API surface.
using ErrorRenderer = std::function<Response(const RequestContext&, const domain::Error&)>;

// What the pipeline checks before a route's handler runs, and where the handler runs.
struct RouteOptions {
  bool authenticated = true;
  // The permission the caller's role needs, checked before the body is read, so that a request
  // the caller may not make costs no parsing. `resource` names what it acts on in the 403
  // ("User not authorized to create contact").
  std::optional<domain::Permission> permission;
  std::string resource;
  // A read whose cost is small and bounded (one row by key) runs on the I/O thread; any other
  // read runs on the read pool, so that a slow one never delays those queued behind it.
  bool bounded_read = false;
  // The answer shows a secret once (a token, a signing secret): an Idempotency-Key keeps it
  // without that answer, and a retry learns that the first request succeeded.
  bool shows_secret = false;
  // A PATCH, PUT or DELETE of a resource with versions, which checks If-Match itself; on any
  // other, an If-Match naming a tag (not "*") cannot match: 412.
  bool versioned = false;
};

// `options` for a route whose answer shows a secret once.
inline RouteOptions ShowsSecret(RouteOptions options) {
  options.shows_secret = true;
  return options;
}

// `options` for a PATCH, PUT or DELETE that checks If-Match against the resource's version.
inline RouteOptions Versioned(RouteOptions options) {
  options.versioned = true;
  return options;
}

struct Route {
  std::string method;
  std::vector<std::string> segments;  // "{name}" segments match any one segment
  Handler handler;
  ErrorRenderer render_error;
  RouteOptions options;
  std::string pattern;  // as added, the `route` label of its metrics
  std::string surface;  // the API surface it belongs to (Router::SetSurface)
  std::shared_ptr<RouteMetrics> metrics;
};

// Maps method + path to a route. Built once at start-up, then read-only and thread-safe. HEAD is
// served by the GET route of a path.
class Router {
 public:
  struct Match {
    const Route* route = nullptr;
    std::vector<std::string> params;
  };
  // No route: kNotFound, kMethodNotAllowed (with the methods the path takes, for `Allow`) or
  // kBadRequest.
  struct Miss {
    domain::Error error;
    std::string allow;  // "GET, HEAD, PATCH" for kMethodNotAllowed, else ""
  };

  // `pattern` like "/api/external/v2/contacts/{contact_id}".
  void Add(std::string method, std::string_view pattern, Handler handler,
           ErrorRenderer render_error, RouteOptions options = {});

  // Returns the matching route or why there is none. Path segments are percent-decoded before
  // matching; where routes of several shapes match, the one with a literal where the others
  // first have a parameter decides (its methods, else a 405).
  std::variant<Match, Miss> Find(std::string_view method, std::string_view path) const;

  // The error renderer of the route whose path prefix best matches `path`, for errors raised
  // before routing (413, 404): each surface answers in its own format.
  const ErrorRenderer& RendererFor(std::string_view path) const;

  void SetDefaultRenderer(ErrorRenderer renderer) { default_renderer_ = std::move(renderer); }

  // Names the surface (the `surface` label of metrics) of the routes added from now on.
  void SetSurface(std::string surface);

  // Where a request that matched no route is counted: with the unrouted paths of the surface
  // whose routes best match `path` (as RendererFor picks it).
  RouteMetrics& UnroutedMetrics(std::string_view path) const;

  // Calls `visit(surface, route, method, metrics)` for every route, then for every surface's
  // unrouted paths (route "unrouted", method "").
  template <class Visit>
  void ForEachMetrics(Visit&& visit) const {
    for (const Route& route : routes_) {
      visit(route.surface, route.pattern, route.method, *route.metrics);
    }
    for (const auto& [surface, metrics] : unrouted_) visit(surface, "unrouted", "", *metrics);
  }

 private:
  // The route whose literal path prefix best matches `path`, or null.
  const Route* Closest(std::string_view path) const;

  std::vector<Route> routes_;          // in the order they were added
  std::vector<std::size_t> by_shape_;  // indexes into routes_, in Compare's order (router.cpp)
  ErrorRenderer default_renderer_;
  std::string surface_ = "system";
  // Each surface's unrouted paths; "system" for those closest to no route.
  std::vector<std::pair<std::string, std::shared_ptr<RouteMetrics>>> unrouted_{
      {"system", std::make_shared<RouteMetrics>()}};
};

}  // namespace contactd::http

#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/error.hpp"
#include "http/message.hpp"

namespace contactd::http {

using Handler = std::function<Response(const Request&, RequestContext&)>;
// Renders an error in the format of one API surface.
using ErrorRenderer = std::function<Response(const RequestContext&, const domain::Error&)>;

struct Route {
  std::string method;
  std::vector<std::string> segments;  // "{name}" segments match any one segment
  Handler handler;
  ErrorRenderer render_error;
  bool authenticated = true;
};

// Maps method + path to a route. Built once at start-up, then read-only and thread-safe.
class Router {
 public:
  struct Match {
    const Route* route = nullptr;
    std::vector<std::string> params;
  };

  // `pattern` like "/api/external/v2/contacts/{contact_id}".
  void Add(std::string method, std::string_view pattern, Handler handler,
           ErrorRenderer render_error, bool authenticated = true);

  // Returns the matching route, or kNotFound (no such path) / kMethodNotAllowed (the path exists
  // with other methods). Path segments are percent-decoded before matching.
  std::variant<Match, domain::Error> Find(std::string_view method, std::string_view path) const;

  // The error renderer of the route whose path prefix best matches `path`, for errors raised
  // before routing (413, 404): each surface answers in its own format.
  const ErrorRenderer& RendererFor(std::string_view path) const;

  void SetDefaultRenderer(ErrorRenderer renderer) { default_renderer_ = std::move(renderer); }

 private:
  std::vector<Route> routes_;
  ErrorRenderer default_renderer_;
};

}  // namespace contactd::http

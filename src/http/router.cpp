#include "http/router.hpp"

#include <algorithm>

#include <boost/url/pct_string_view.hpp>

#include "domain/text.hpp"

namespace contactd::http {
namespace {

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = path.starts_with('/') ? 1 : 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    segments.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  // "/contacts/" is "/contacts".
  if (segments.size() > 1 && segments.back().empty()) segments.pop_back();
  return segments;
}

std::optional<std::string> Decode(const std::string& segment) {
  auto encoded = boost::urls::make_pct_string_view(segment);
  if (!encoded) return std::nullopt;
  return encoded->decode();
}

bool IsParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Whether `route` takes the (decoded) path `segments`: each literal equal, each parameter
// non-empty.
bool Matches(const Route& route, const std::vector<std::string>& segments) {
  if (route.segments.size() != segments.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (IsParam(route.segments[i]) ? segments[i].empty() : route.segments[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

// Orders routes by shape: shorter first, then, at the first position where one has a literal
// and the other a parameter, the one with the literal first. 0 when they have the same shape.
int Compare(const Route& a, const Route& b) {
  if (a.segments.size() != b.segments.size()) return a.segments.size() < b.segments.size() ? -1 : 1;
  for (std::size_t i = 0; i < a.segments.size(); ++i) {
    bool a_param = IsParam(a.segments[i]);
    bool b_param = IsParam(b.segments[i]);
    if (a_param != b_param) return a_param ? 1 : -1;
  }
  return 0;
}

}  // namespace

void Router::Add(std::string method, std::string_view pattern, Handler handler,
                 ErrorRenderer render_error, RouteOptions options) {
  routes_.push_back({std::move(method), SplitPath(pattern), std::move(handler),
                     std::move(render_error), std::move(options), std::string(pattern), surface_,
                     std::make_shared<RouteMetrics>()});
  // After the routes of the same shape added before it: the order of a shape's routes is kept.
  auto at = std::upper_bound(by_shape_.begin(), by_shape_.end(), routes_.size() - 1,
                             [this](std::size_t added, std::size_t other) {
                               return Compare(routes_[added], routes_[other]) < 0;
                             });
  by_shape_.insert(at, routes_.size() - 1);
}

void Router::SetSurface(std::string surface) {
  surface_ = std::move(surface);
  for (const auto& [name, metrics] : unrouted_) {
    if (name == surface_) return;
  }
  unrouted_.emplace_back(surface_, std::make_shared<RouteMetrics>());
}

RouteMetrics& Router::UnroutedMetrics(std::string_view path) const {
  const Route* closest = Closest(path);
  std::string_view surface = closest != nullptr ? std::string_view(closest->surface) : "system";
  for (const auto& [name, metrics] : unrouted_) {
    if (name == surface) return *metrics;
  }
  return *unrouted_.front().second;
}

std::variant<Router::Match, Router::Miss> Router::Find(std::string_view method,
                                                       std::string_view path) const {
  std::vector<std::string> segments;
  for (const std::string& raw : SplitPath(path)) {
    auto decoded = Decode(raw);
    if (!decoded) return Miss{domain::Error::BadRequest("The request path is not valid"), ""};
    segments.push_back(std::move(*decoded));
  }
  // A literal segment wins over a parameter at the first position where two matching routes
  // differ: GET /contacts/upsert is a 405 of POST /contacts/upsert, never the contact whose id
  // is "upsert", and the answer does not depend on the order routes were added in. In shape
  // order the first route that matches has the winning shape, and the others of that shape
  // follow it.
  // HEAD is GET without the body: the server drops it.
  std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  const Route* best = nullptr;
  std::vector<std::string_view> allowed;
  for (std::size_t index : by_shape_) {
    const Route& route = routes_[index];
    if (best != nullptr && Compare(route, *best) != 0) break;
    if (!Matches(route, segments)) continue;
    best = &route;
    if (route.method == wanted) {
      Match match{&route, {}};
      for (std::size_t i = 0; i < segments.size(); ++i) {
        if (IsParam(route.segments[i])) match.params.push_back(segments[i]);
      }
      return match;
    }
    allowed.push_back(route.method);
    if (route.method == "GET") allowed.push_back("HEAD");
  }
  if (best == nullptr) {
    return Miss{domain::Error::NotFound("No such endpoint: " + domain::ToValidUtf8(path)), ""};
  }
  std::sort(allowed.begin(), allowed.end());
  std::string allow;
  for (std::string_view name : allowed) {
    if (!allow.empty()) allow += ", ";
    allow += name;
  }
  return Miss{domain::Error{domain::ErrorCode::kMethodNotAllowed,
                            "Method " + domain::ToValidUtf8(method) +
                                " is not allowed on this path; allowed: " + allow,
                            {}},
              allow};
}

const ErrorRenderer& Router::RendererFor(std::string_view path) const {
  const Route* best = Closest(path);
  return best != nullptr ? best->render_error : default_renderer_;
}

const Route* Router::Closest(std::string_view path) const {
  std::vector<std::string> segments = SplitPath(path);
  const Route* best = nullptr;
  std::size_t best_prefix = 0;
  for (const Route& route : routes_) {
    std::size_t prefix = 0;
    while (prefix < route.segments.size() && prefix < segments.size() &&
           !IsParam(route.segments[prefix]) && route.segments[prefix] == segments[prefix]) {
      ++prefix;
    }
    if (prefix > best_prefix) {
      best = &route;
      best_prefix = prefix;
    }
  }
  return best;
}

}  // namespace contactd::http

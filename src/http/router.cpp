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

}  // namespace

void Router::Add(std::string method, std::string_view pattern, Handler handler,
                 ErrorRenderer render_error, RouteOptions options) {
  routes_.push_back({std::move(method), SplitPath(pattern), std::move(handler),
                     std::move(render_error), std::move(options), std::string(pattern), surface_,
                     std::make_shared<RouteMetrics>()});
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
  // HEAD is GET without the body: the server drops it.
  std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  std::vector<std::string_view> allowed;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    Match match{&route, {}};
    bool matches = true;
    for (std::size_t i = 0; i < segments.size() && matches; ++i) {
      if (IsParam(route.segments[i])) {
        if (segments[i].empty()) matches = false;
        match.params.push_back(segments[i]);
      } else {
        matches = route.segments[i] == segments[i];
      }
    }
    if (!matches) continue;
    if (route.method == wanted) return match;
    allowed.push_back(route.method);
    if (route.method == "GET") allowed.push_back("HEAD");
  }
  if (!allowed.empty()) {
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
  return Miss{domain::Error::NotFound("No such endpoint: " + domain::ToValidUtf8(path)), ""};
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

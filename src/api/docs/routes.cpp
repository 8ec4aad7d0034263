#include "api/docs/routes.hpp"

#include <string>
#include <string_view>

#include "api/docs/assets.hpp"
#include "api/native/codec.hpp"
#include "domain/error.hpp"
#include "http/router.hpp"

namespace contactd::api::docs {
namespace {

constexpr std::string_view kSurfaces[] = {"native", "v1", "liondesk", "leadconnector"};

// The page loads only what this server serves; Redoc styles its components inline and runs its
// search index in a worker made from a blob.
constexpr std::string_view kPagePolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

http::Response Serve(const Asset& asset) {
  http::Response response;
  response.body = std::string(asset.content);
  response.content_type = std::string(asset.content_type);
  response.headers.emplace_back("Cache-Control", "public, max-age=300");
  return response;
}

http::Response NotFound(const http::RequestContext& context, std::string_view what) {
  return native::RenderError(context, domain::Error::NotFound(std::string(what) + " not found"));
}

http::Response OpenApi(const http::Request&, http::RequestContext& context) {
  std::string_view file = context.path_params[0];
  if (file.ends_with(".json")) {
    if (auto document = OpenApiDocument(file.substr(0, file.size() - 5))) return Serve(*document);
  }
  return NotFound(context, "OpenAPI document");
}

http::Response Page() {
  http::Response response = Serve(*DocsFile("page.html"));
  response.headers.emplace_back("Content-Security-Policy", std::string(kPagePolicy));
  return response;
}

http::Response DocsIndex(const http::Request&, http::RequestContext&) { return Page(); }

// /docs/<surface> is the page showing that surface; /docs/<file> one of the page's files.
http::Response DocsPath(const http::Request&, http::RequestContext& context) {
  std::string_view name = context.path_params[0];
  for (std::string_view surface : kSurfaces) {
    if (name == surface) return Page();
  }
  if (name != "page.html") {
    if (auto file = DocsFile(name)) return Serve(*file);
  }
  return NotFound(context, "Page");
}

}  // namespace

void AddRoutes(http::Router& router) {
  router.SetSurface("system");
  const http::RouteOptions open{
      .authenticated = false, .permission = {}, .resource = {}, .bounded_read = true};
  router.Add("GET", "/openapi/{file}", OpenApi, native::RenderError, open);
  router.Add("GET", "/docs", DocsIndex, native::RenderError, open);
  router.Add("GET", "/docs/{name}", DocsPath, native::RenderError, open);
}

}  // namespace contactd::api::docs

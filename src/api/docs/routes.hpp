#pragma once

namespace contactd::http {
class Router;
}

namespace contactd::api::docs {

// Registers what describes the API, without authentication: /openapi/{surface}.json, each
// surface's OpenAPI document, and /docs, a reference page rendered from them in the browser.
void AddRoutes(http::Router& router);

}  // namespace contactd::api::docs

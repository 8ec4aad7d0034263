#pragma once

#include <optional>
#include <string_view>

namespace contactd::api::docs {

// A file built into the binary (see CMakeLists.txt: the build converts docs/openapi/*.yaml to
// JSON and takes Redoc's standalone bundle from tools/node_modules).
struct Asset {
  std::string_view content;
  std::string_view content_type;
};

// The OpenAPI document of a surface ("native", "v1", "liondesk", "leadconnector"), as JSON.
std::optional<Asset> OpenApiDocument(std::string_view surface);

// A file of the /docs page by name ("page.html", "docs.js", "docs.css",
// "redoc.standalone.js").
std::optional<Asset> DocsFile(std::string_view name);

}  // namespace contactd::api::docs

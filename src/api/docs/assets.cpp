#include "api/docs/assets.hpp"

#include <array>

// The files are included by the assembler (.incbin): byte for byte, whatever they hold, with no
// generated source to compile. CONTACTD_ASSET_DIR is where the build put them.
#define CONTACTD_EMBED(symbol, file)           \
  asm(".pushsection .rodata\n"                 \
      ".global " #symbol "_begin\n" #symbol    \
      "_begin:\n"                              \
      ".incbin \"" CONTACTD_ASSET_DIR "/" file \
      "\"\n"                                   \
      ".global " #symbol "_end\n" #symbol      \
      "_end:\n"                                \
      ".popsection\n");                        \
  extern "C" const char symbol##_begin[];      \
  extern "C" const char symbol##_end[];

CONTACTD_EMBED(contactd_openapi_native, "native.json")
CONTACTD_EMBED(contactd_openapi_v1, "v1.json")
CONTACTD_EMBED(contactd_openapi_liondesk, "liondesk.json")
CONTACTD_EMBED(contactd_openapi_leadconnector, "leadconnector.json")
CONTACTD_EMBED(contactd_docs_page, "page.html")
CONTACTD_EMBED(contactd_docs_js, "docs.js")
CONTACTD_EMBED(contactd_docs_css, "docs.css")
CONTACTD_EMBED(contactd_docs_redoc, "redoc.standalone.js")

namespace contactd::api::docs {
namespace {

struct Named {
  std::string_view name;
  const char* begin;
  const char* end;
  std::string_view content_type;
};

std::optional<Asset> Find(std::string_view name, const auto& table) {
  for (const Named& entry : table) {
    if (entry.name == name) {
      return Asset{{entry.begin, static_cast<std::size_t>(entry.end - entry.begin)},
                   entry.content_type};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Asset> OpenApiDocument(std::string_view surface) {
  static const std::array<Named, 4> kDocuments{{
      {"native", contactd_openapi_native_begin, contactd_openapi_native_end, "application/json"},
      {"v1", contactd_openapi_v1_begin, contactd_openapi_v1_end, "application/json"},
      {"liondesk", contactd_openapi_liondesk_begin, contactd_openapi_liondesk_end,
       "application/json"},
      {"leadconnector", contactd_openapi_leadconnector_begin, contactd_openapi_leadconnector_end,
       "application/json"},
  }};
  return Find(surface, kDocuments);
}

std::optional<Asset> DocsFile(std::string_view name) {
  static const std::array<Named, 4> kFiles{{
      {"page.html", contactd_docs_page_begin, contactd_docs_page_end, "text/html; charset=utf-8"},
      {"docs.js", contactd_docs_js_begin, contactd_docs_js_end, "text/javascript; charset=utf-8"},
      {"docs.css", contactd_docs_css_begin, contactd_docs_css_end, "text/css; charset=utf-8"},
      {"redoc.standalone.js", contactd_docs_redoc_begin, contactd_docs_redoc_end,
       "text/javascript; charset=utf-8"},
  }};
  return Find(name, kFiles);
}

}  // namespace contactd::api::docs

#pragma once

#include <cstdint>
#include <string>

namespace contactd::app {

struct ExportOptions {
  std::string db_path;
  std::int64_t account_id = 0;
  std::string format;  // "csv" or "ndjson"
  std::string out;     // a file to write; empty: standard output
};

// `contactd export`: writes every contact of the account (connected or not) as
// GET /contacts/export does, in the format `contactd import` reads back (see
// api::native::ContactExport), reading in batches so that memory stays flat. Shows a progress bar
// on a terminal, plain progress lines otherwise. A file is written whole or not at all: the
// export goes to PATH.partial, renamed to PATH at the end. Returns 0 on success.
int ExportCommand(const ExportOptions& options);

}  // namespace contactd::app

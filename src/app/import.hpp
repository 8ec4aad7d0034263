#pragma once

#include <cstdint>
#include <string>

namespace contactd::app {

struct ImportOptions {
  std::string db_path;
  std::int64_t account_id = 0;
  std::string file;
  // "ndjson" or "csv"; empty: from the file's extension (.csv is CSV, anything else NDJSON).
  std::string format;
  // Rows per transaction: large enough that commits cost little, small enough to show progress.
  std::size_t batch_rows = 10000;
};

// `contactd import`: reads contacts from NDJSON (one native create body per line, where
// `company_name` may stand in for `company_id`; companies are found or created by name) or CSV
// (the same field names as columns; `phones` as `raw[:type]` entries separated by ';',
// `contact_types` separated by ';'). Every row goes through the API's validation and phone
// normalization; invalid rows are reported on stderr with their line number and reason and the
// rest are imported, in large transactions. Shows a progress bar on a terminal, plain progress
// lines otherwise. Returns 0 when every row was imported, 1 otherwise.
int ImportCommand(const ImportOptions& options);

}  // namespace contactd::app

#pragma once

#include <cstdint>
#include <string>

namespace contactd::app {

// Whether an import rebuilds the contact indexes (one transaction, indexes sorted at the end) or
// keeps them (a transaction per batch, indexes updated row by row).
enum class IndexMode {
  kAuto,     // rebuild when the import is at least as large as the contacts already stored
  kRebuild,
  kKeep,
};

struct ImportOptions {
  std::string db_path;
  std::int64_t account_id = 0;
  std::string file;
  // "ndjson" or "csv"; empty: from the file's extension (.csv is CSV, anything else NDJSON).
  std::string format;
  // Rows per transaction: large enough that commits cost little, small enough to show progress.
  std::size_t batch_rows = 10000;
  IndexMode indexes = IndexMode::kAuto;
};

// `contactd import`: reads contacts from NDJSON (one native create body per line, where
// `company_name` may stand in for `company_id`; companies are found or created by name; unlike
// the API's create, company and type may be absent) or CSV (the same field names as columns;
// `phones` as `raw[:type]` entries separated by ';', `contact_types` separated by ';', or those
// and other structured cells as JSON, as `contactd export` writes them). Every row goes through
// the API's validation and phone normalization; invalid rows are reported on stderr with their
// line number and reason and the rest are imported, in large transactions (see IndexMode). Shows
// a progress bar on a terminal, plain progress lines otherwise. Returns 0 when every row was
// imported, 1 otherwise.
int ImportCommand(const ImportOptions& options);

}  // namespace contactd::app

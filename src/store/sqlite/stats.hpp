#pragma once

#include <array>

#include "metrics/metrics.hpp"

namespace contactd::store::sqlite {

// Upper bounds of the commit group size buckets: 1 write to the group cap of 256.
inline constexpr std::array<double, 9> kGroupSizeBounds = {1, 2, 4, 8, 16, 32, 64, 128, 256};

// What the SQLite store counts, for /metrics.
struct SqliteStats {
  metrics::Counter connections_acquired;  // a connection taken from the pool
  metrics::Counter connections_opened;    // none was idle: a new one was opened
  // A write's time in the writers' queue, from joining it until its group begins to commit.
  metrics::Histogram write_wait_seconds;
  metrics::Histogram commit_group_writes{kGroupSizeBounds};
  // The COMMIT of a group, which writes the WAL and waits for its fsync.
  metrics::Histogram commit_seconds;
  // The prepared statements of list queries, cached by their SQL text per connection.
  metrics::Counter statement_cache_hits;
  metrics::Counter statement_cache_misses;
  // Totals of lists, cached per connection until the database changes.
  metrics::Counter total_cache_hits;
  metrics::Counter total_cache_misses;
};

// The process's one SqliteStats (every store of the process counts into it).
SqliteStats& Stats();

}  // namespace contactd::store::sqlite

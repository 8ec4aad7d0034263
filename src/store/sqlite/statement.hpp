#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace contactd::store::sqlite {

// Raised by this folder's wrappers when SQLite reports an error. It never leaves the store: each
// Store method turns it into a domain::Error.
class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }
  // SQLITE_BUSY / SQLITE_LOCKED after the busy timeout: the database is overloaded, not broken.
  bool busy() const;

 private:
  int code_;
};

// A prepared statement in use: binds parameters (1-based), steps, reads columns (0-based).
// Resets itself and clears its bindings when it goes out of scope, so that the cached statement
// can be used again. Not thread-safe; lives on one connection.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, double value);
  Statement& BindOptional(int index, const std::optional<std::string>& value);
  Statement& BindNull(int index);

  // Advances to the next row. Returns false when done.
  bool Step();
  // Runs a statement that returns no rows.
  void Run();

  bool IsNull(int column) const;
  std::int64_t Int(int column) const;
  std::string Text(int column) const;
  std::optional<std::string> OptionalText(int column) const;

 private:
  sqlite3_stmt* stmt_;  // owned by the connection's cache
};

// One SQLite connection with a cache of prepared statements. Not thread-safe: the pool hands it
// to one thread at a time.
class Connection {
 public:
  struct Options {
    std::string path;
    int busy_timeout_ms = 5000;
    int cache_kib = 8 * 1024;
    bool read_only = false;
    bool create = true;  // create the file when it is missing
  };
  explicit Connection(const Options& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without results.
  void Exec(const char* sql);
  // Returns a prepared statement for `sql`, compiled once per connection. The const char*
  // overload is for SQL in constants and caches by address (no hashing of the text); the string
  // overload is for SQL built at run time.
  Statement Prepare(const char* constant_sql);
  Statement Prepare(const std::string& sql);
  std::int64_t LastInsertId() const;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  std::int64_t Changes() const;
  sqlite3* handle() const { return db_; }
  // Whether a transaction is open on the connection.
  bool InTransaction() const;
  // Set while a write unit's transaction is open on it: transactions begun on it then are part
  // of that one (see Transaction).
  bool in_unit() const { return in_unit_; }
  void set_in_unit(bool in_unit) { in_unit_ = in_unit; }

  // Totals of filtered lists this connection counted, valid until anything is committed to the
  // database: by another connection or process (seen through PRAGMA data_version) or by this
  // one (a commit hook). REQUIRES: called inside a read transaction, so that the version and the
  // counted total belong to one snapshot.
  std::optional<std::int64_t> CachedTotal(const std::string& key);
  void CacheTotal(std::string key, std::int64_t total);

 private:
  bool in_unit_ = false;
  struct StmtDeleter {
    void operator()(sqlite3_stmt* stmt) const;
  };

  sqlite3* db_ = nullptr;
  sqlite3_stmt* Compile(const std::string& sql);

  std::unordered_map<std::string, std::int64_t> totals_;  // cleared on any commit
  std::int64_t totals_version_ = -1;                       // data_version totals_ belong to
  std::unordered_map<const char*, std::unique_ptr<sqlite3_stmt, StmtDeleter>> constants_;
  std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, StmtDeleter>> cache_;
};

// BEGIN ... COMMIT; rolls back on destruction unless committed. A write transaction takes the
// write lock up front (BEGIN IMMEDIATE) so that two writers never deadlock upgrading a read lock;
// a read transaction gives several statements one snapshot.
class Transaction {
 public:
  enum class Mode { kRead, kWrite };
  Transaction(Connection& connection, Mode mode);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit();

 private:
  Connection& connection_;
  bool done_ = false;
  bool nested_ = false;  // begun inside another transaction: commits and rolls back with it
};

}  // namespace contactd::store::sqlite

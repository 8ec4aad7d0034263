#include "store/sqlite/statement.hpp"

#include <sqlite3.h>

#include "domain/text.hpp"
#include "store/sqlite/stats.hpp"

namespace contactd::store::sqlite {
namespace {

[[noreturn]] void Throw(sqlite3* db, int code) {
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  throw SqliteError(code, "sqlite: " + message);
}

}  // namespace

bool SqliteError::busy() const {
  int primary = code_ & 0xFF;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::Bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) Throw(sqlite3_db_handle(stmt_), rc);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) Throw(sqlite3_db_handle(stmt_), rc);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8);
  if (rc != SQLITE_OK) Throw(sqlite3_db_handle(stmt_), rc);
  return *this;
}

Statement& Statement::BindOptional(int index, const std::optional<std::string>& value) {
  return value ? Bind(index, std::string_view(*value)) : BindNull(index);
}

Statement& Statement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) Throw(sqlite3_db_handle(stmt_), rc);
  return *this;
}

bool Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Throw(sqlite3_db_handle(stmt_), rc);
}

void Statement::Run() {
  while (Step()) {
  }
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

void Connection::StmtDeleter::operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }

Connection::Connection(const Options& options) {
  int flags = options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (!options.read_only && options.create) flags |= SQLITE_OPEN_CREATE;
  flags |= SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(options.path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqliteError(rc, "cannot open database " + options.path + ": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, options.busy_timeout_ms);
  // Debian's default is already FULL; say it so that acknowledged writes stay durable whatever
  // the build's default is.
  // secure_delete: content a write frees is overwritten with zeros, so that an erased contact (or
  // a value an update replaced) leaves no copy in free space of the file.
  Exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;");
  Exec(("PRAGMA cache_size = -" + std::to_string(options.cache_kib)).c_str());
  // Text keys of filters and sorts (migrations compute them in SQL too).
  int rc_fold = sqlite3_create_function_v2(
      db_, "contactd_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
      [](sqlite3_context* context, int, sqlite3_value** args) {
        if (sqlite3_value_type(args[0]) == SQLITE_NULL) {
          sqlite3_result_null(context);
          return;
        }
        const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(args[0]));
        std::string key = domain::FoldCase(
            std::string_view(text, static_cast<std::size_t>(sqlite3_value_bytes(args[0]))));
        sqlite3_result_text64(context, key.data(), key.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      },
      nullptr, nullptr, nullptr);
  if (rc_fold != SQLITE_OK) Throw(db_, rc_fold);
  // data_version does not change for this connection's own commits: drop the totals here.
  sqlite3_commit_hook(
      db_,
      [](void* totals) {
        static_cast<std::unordered_map<std::string, std::int64_t>*>(totals)->clear();
        return 0;
      },
      &totals_);
}

std::optional<std::int64_t> Connection::CachedTotal(const std::string& key) {
  static constexpr const char* kDataVersion = "PRAGMA data_version";
  Statement stmt = Prepare(kDataVersion);
  stmt.Step();
  std::int64_t version = stmt.Int(0);
  if (version != totals_version_) {
    totals_.clear();
    totals_version_ = version;
    Stats().total_cache_misses.Add();
    return std::nullopt;
  }
  auto it = totals_.find(key);
  if (it == totals_.end()) {
    Stats().total_cache_misses.Add();
    return std::nullopt;
  }
  Stats().total_cache_hits.Add();
  return it->second;
}

void Connection::CacheTotal(std::string key, std::int64_t total) {
  // Bounds the memory of a connection that sees many distinct filters between commits.
  constexpr std::size_t kMaxTotals = 4096;
  if (totals_.size() >= kMaxTotals) totals_.clear();
  totals_.emplace(std::move(key), total);
}

Connection::~Connection() {
  cache_.clear();  // statements must be finalized before the connection closes
  constants_.clear();
  // Lets SQLite refresh the planner statistics it found missing while this connection ran.
  sqlite3_exec(db_, "PRAGMA optimize", nullptr, nullptr, nullptr);
  sqlite3_close(db_);
}

void Connection::Exec(const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw SqliteError(rc, "sqlite: " + text);
  }
}

sqlite3_stmt* Connection::Compile(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) Throw(db_, rc);
  return stmt;
}

Statement Connection::Prepare(const char* constant_sql) {
  auto it = constants_.find(constant_sql);
  if (it == constants_.end()) {
    it = constants_.emplace(constant_sql, Compile(constant_sql)).first;
  }
  return Statement(it->second.get());
}

Statement Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    Stats().statement_cache_misses.Add();
    // Dynamic list queries can have many shapes; keep the cache bounded.
    if (cache_.size() > 512) cache_.clear();
    it = cache_.emplace(sql, Compile(sql)).first;
  } else {
    Stats().statement_cache_hits.Add();
  }
  return Statement(it->second.get());
}

std::int64_t Connection::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }

std::int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

Transaction::Transaction(Connection& connection, Mode mode) : connection_(connection) {
  if (connection_.in_unit() && connection_.InTransaction()) {
    // Inside a write unit's transaction: part of it, which begins and ends it.
    done_ = true;
    nested_ = true;
    return;
  }
  connection_.Exec(mode == Mode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (!done_) {
    char* message = nullptr;
    sqlite3_exec(connection_.handle(), "ROLLBACK", nullptr, nullptr, &message);
    sqlite3_free(message);
  }
}

void Transaction::Commit() {
  if (nested_) return;
  connection_.Exec("COMMIT");
  done_ = true;
}

}  // namespace contactd::store::sqlite

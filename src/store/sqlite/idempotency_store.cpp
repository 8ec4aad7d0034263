// SqliteStore: idempotency keys.
#include <string>

#include "domain/idempotency.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/statement.hpp"
#include "store/sqlite/store_detail.hpp"

namespace contactd::store::sqlite {

using domain::Error;
using domain::Result;

namespace {

constexpr const char* kSelectKey =
    "SELECT fingerprint, state, lease_until, status, content_type, body, headers, created_at "
    "FROM idempotency_keys WHERE account_id = ? AND user_id = ? AND key = ?";
// A new claim, or one taking over a lapsed claim or an expired answer.
constexpr const char* kClaimKey =
    "INSERT OR REPLACE INTO idempotency_keys (account_id, user_id, key, fingerprint, state, "
    "claim, lease_until, created_at) VALUES (?, ?, ?, ?, 'running', ?, ?, ?)";
// Only the request holding the claim saves or frees it: a claim taken over (its lease lapsed)
// is no longer its own, and its writes roll back with the failed save.
constexpr const char* kSaveAnswer =
    "UPDATE idempotency_keys SET state = 'done', claim = NULL, lease_until = NULL, status = ?, "
    "content_type = ?, body = ?, headers = ? WHERE account_id = ? AND user_id = ? AND key = ? "
    "AND state = 'running' AND claim = ?";
constexpr const char* kReleaseKey =
    "DELETE FROM idempotency_keys WHERE account_id = ? AND user_id = ? AND key = ? "
    "AND state = 'running' AND claim = ?";
// In writes of at most 10,000 rows, so that a purge never holds the writers long.
constexpr const char* kPurgeKeys =
    "DELETE FROM idempotency_keys WHERE (account_id, user_id, key) IN (SELECT account_id, "
    "user_id, key FROM idempotency_keys WHERE created_at < ? LIMIT 10000)";
// A contact erased for good leaves no answer that shows it.
constexpr const char* kForgetAnswersShowing =
    "DELETE FROM idempotency_keys WHERE account_id = ? AND state = 'done' "
    "AND instr(body, ?) > 0";

// Headers kept as "name: value" lines (HTTP header fields hold no line breaks).
std::string EncodeHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string text;
  for (const auto& [name, value] : headers) text += name + ": " + value + "\n";
  return text;
}

std::vector<std::pair<std::string, std::string>> DecodeHeaders(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> headers;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    std::size_t colon = line.find(": ");
    if (colon == std::string_view::npos) continue;
    headers.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 2)));
  }
  return headers;
}

void BindKey(Statement& stmt, int first, const domain::IdempotentRequest& request) {
  stmt.Bind(first, request.account.value)
      .Bind(first + 1, request.user.value)
      .Bind(first + 2, request.key);
}

}  // namespace

Result<domain::IdempotencyClaim> SqliteStore::ClaimIdempotencyKey(
    const domain::IdempotentRequest& request, std::int64_t now_ms, std::int64_t lease_until_ms,
    std::int64_t kept_since_ms) {
  using Outcome = domain::IdempotencyClaim::Outcome;
  return Write([&](Connection& c) -> Result<domain::IdempotencyClaim> {
    {
      Statement stmt = c.Prepare(kSelectKey);
      BindKey(stmt, 1, request);
      if (stmt.Step() && stmt.Int(7) >= kept_since_ms) {
        bool running = stmt.Text(1) == "running";
        bool live = !running || (!stmt.IsNull(2) && stmt.Int(2) > now_ms);
        if (live && stmt.Text(0) != request.fingerprint) {
          return domain::IdempotencyClaim{Outcome::kMismatch, std::nullopt};
        }
        if (running && live) return domain::IdempotencyClaim{Outcome::kInFlight, std::nullopt};
        if (!running) {
          domain::StoredAnswer answer;
          answer.status = static_cast<int>(stmt.Int(3));
          answer.content_type = stmt.OptionalText(4).value_or("");
          answer.body = stmt.OptionalText(5).value_or("");
          answer.headers = DecodeHeaders(stmt.OptionalText(6).value_or(""));
          return domain::IdempotencyClaim{Outcome::kReplay, std::move(answer)};
        }
        // A lapsed claim: its process died and its writes were rolled back with it.
      }
    }
    Statement claim = c.Prepare(kClaimKey);
    BindKey(claim, 1, request);
    claim.Bind(4, request.fingerprint).Bind(5, request.claim).Bind(6, lease_until_ms);
    claim.Bind(7, now_ms).Run();
    return domain::IdempotencyClaim{Outcome::kClaimed, std::nullopt};
  });
}

Result<void> SqliteStore::SaveIdempotentAnswer(const domain::IdempotentRequest& request,
                                               const domain::StoredAnswer& answer) {
  return Write([&](Connection& c) -> Result<void> {
    Statement stmt = c.Prepare(kSaveAnswer);
    stmt.Bind(1, std::int64_t{answer.status})
        .Bind(2, answer.content_type)
        .Bind(3, answer.body)
        .Bind(4, EncodeHeaders(answer.headers));
    BindKey(stmt, 5, request);
    stmt.Bind(8, request.claim).Run();
    if (c.Changes() == 0) {
      return std::unexpected(Error::Unavailable("The Idempotency-Key's claim lapsed; retry"));
    }
    return {};
  });
}

Result<void> SqliteStore::ReleaseIdempotencyKey(const domain::IdempotentRequest& request) {
  return Write([&](Connection& c) -> Result<void> {
    Statement stmt = c.Prepare(kReleaseKey);
    BindKey(stmt, 1, request);
    stmt.Bind(4, request.claim).Run();
    return {};
  });
}

Result<std::int64_t> SqliteStore::PurgeIdempotencyKeys(std::int64_t before_ms) {
  std::int64_t purged = 0;
  for (;;) {
    auto batch = Write([&](Connection& c) -> Result<std::int64_t> {
      c.Prepare(kPurgeKeys).Bind(1, before_ms).Run();
      return c.Changes();
    });
    if (!batch) return std::unexpected(batch.error());
    purged += *batch;
    if (*batch < 10000) return purged;
  }
}

void ForgetAnswersShowing(Connection& c, domain::AccountId account, std::string_view uid) {
  c.Prepare(kForgetAnswersShowing).Bind(1, account.value).Bind(2, uid).Run();
}

}  // namespace contactd::store::sqlite

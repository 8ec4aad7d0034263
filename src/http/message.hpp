#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/access.hpp"
#include "domain/error.hpp"
#include "domain/rate_limit.hpp"

namespace contactd::http {

// How large a request may be.
struct RequestLimits {
  std::size_t body_limit = 1024 * 1024;    // larger: 413
  std::size_t header_limit = 16 * 1024;    // request line and headers; larger: 431
  std::size_t target_limit = 8 * 1024;     // the request target alone; larger: 414
};

// An HTTP request as the rest of the server sees it: no Beast types past http/server.cpp.
struct Request {
  std::string method;         // "GET", "POST", ...
  std::string path;           // percent-encoded, without the query
  std::string query;          // percent-encoded, without the '?'
  std::string body;
  std::string content_type;   // header values, "" when absent
  std::string authorization;
  std::string request_id;     // the client's X-Request-Id
  std::string api_version;    // Version, which seed 004's API requires
  std::string client_address;  // the peer's IP address (an IPv6 one's /64), "" when unknown
  bool peer_is_loopback = false;  // the peer is this host (127.0.0.0/8 or ::1)
  std::string if_match;        // conditional request headers, "" when absent
  std::string if_none_match;
  std::optional<std::string> idempotency_key;  // Idempotency-Key, when sent
  // Set by the server when the request could not be read whole (too large, malformed): the
  // pipeline answers with this error instead of routing.
  std::optional<domain::Error> transport_error;
};

// Where the server runs the handler of a request: on its I/O thread (cheap and bounded), on the
// read pool (a read that may take a while) or on the write pool (a write waiting for its commit).
enum class Placement { kInline, kReadPool, kWritePool };

// A body made piece by piece, for answers too large to hold (an export): the server sends it with
// chunked transfer coding, asking for the next piece on the read pool once the previous one is
// out, so memory holds one piece at a time whatever the size.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Appends the next piece to `out` (cleared by the caller); returns false once `out` holds the
  // last piece, which may be empty. Throws on a failure: the server then ends the connection
  // without the final chunk, so the client sees the body is incomplete.
  virtual bool Next(std::string& out) = 0;
};

struct Response {
  unsigned status = 200;
  std::string body;
  // When set, the body: `body` is ignored (see BodyStream).
  std::unique_ptr<BodyStream> stream;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  // The caller's request limits after this request, at `rate_at` (unix seconds): written as the
  // rate-limit headers straight into the head (see ResponseHead).
  std::optional<domain::RateDecision> rate;
  std::int64_t rate_at = 0;
};

// What the pipeline knows about a request while handlers run.
struct RequestContext {
  std::string request_id;
  std::int64_t received_at = 0;  // unix seconds, for body timestamps
  std::optional<domain::Principal> principal;
  // The caller's account's request limits after this request, when it has any.
  std::optional<domain::RateDecision> rate;
  std::vector<std::string> path_params;  // decoded {placeholders} of the route, in order

  // REQUIRES: the route is authenticated (the pipeline set the principal).
  const domain::Principal& caller() const { return *principal; }
};

}  // namespace contactd::http

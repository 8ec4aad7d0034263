#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "http/message.hpp"

namespace contactd::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  // Worker threads running the I/O loop and the bounded reads; 0 means one per hardware core.
  int threads = 0;
  // Sizes of a request: larger ones get 413, 414 or 431.
  RequestLimits limits;
  // Time allowed to send the request headers once the first byte arrived.
  std::chrono::seconds header_timeout{10};
  // Time allowed to send the body, and to read the response.
  std::chrono::seconds io_timeout{30};
  // An idle keep-alive connection is closed after this long.
  std::chrono::seconds idle_timeout{60};
  // On SIGINT/SIGTERM, in-flight requests get this long to finish; then the process exits
  // whatever they do (the database stays consistent: a write not yet committed is not
  // acknowledged).
  std::chrono::seconds shutdown_grace{15};
  // Threads that run the handlers of writes (any method but GET and HEAD). A write waits for its
  // durable commit; on these threads many writes wait together, so that the store can commit
  // them as one group (one fsync) while the I/O threads go on serving reads.
  int write_threads = 64;
  // Threads that run reads whose cost is not bounded by a constant (lists): a slow one takes a
  // thread of its own instead of delaying every request queued on its I/O thread.
  // 0 means four per hardware core.
  int read_threads = 0;
  // Open connections served at once; past it a new connection is answered 503 with Retry-After
  // and closed. 0 sizes it from the file descriptor limit (raised to its hard limit at start).
  int max_connections = 0;
};

// Handles requests for the server. Thread-safe; Handle must not throw (see Pipeline).
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Where Handle should run for this request.
  virtual Placement Place(const Request& request) const = 0;
  virtual Response Handle(const Request& request) = 0;
};

// HTTP/1.1 server on Boost.Beast with C++20 coroutines: keep-alive, limits and timeouts, N
// threads with one single-threaded io_context each; the acceptor hands connections out in turn
// and a connection stays on its thread. Bounded reads run on the I/O threads between awaits;
// other reads and writes run on their pools (see Placement). HEAD is answered like GET without
// the body.
class Server {
 public:
  Server(ServerOptions options, RequestHandler& handler);

  // Binds, calls `on_listening` with the bound port, and serves until SIGINT or SIGTERM; then
  // stops accepting, lets in-flight requests finish (up to the grace period) and returns. A
  // request still running after the grace period ends the process (exit code 1). Throws
  // std::runtime_error if it cannot bind.
  void Run(const std::function<void(std::uint16_t)>& on_listening);

 private:
  const ServerOptions options_;
  RequestHandler& handler_;
};

}  // namespace contactd::http

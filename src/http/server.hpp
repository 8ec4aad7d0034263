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
  // Worker threads running the I/O loop and the handlers; 0 means one per hardware core.
  int threads = 0;
  // Largest request body accepted; larger ones get 413 payload_too_large.
  std::size_t body_limit = 1024 * 1024;
  // Largest request line + headers.
  std::size_t header_limit = 16 * 1024;
  // Time allowed to send the request headers once the first byte arrived.
  std::chrono::seconds header_timeout{10};
  // Time allowed to send the body, and to read the response.
  std::chrono::seconds io_timeout{30};
  // An idle keep-alive connection is closed after this long.
  std::chrono::seconds idle_timeout{60};
  // On SIGINT/SIGTERM, in-flight requests get this long to finish.
  std::chrono::seconds shutdown_grace{15};
  // Threads that run the handlers of writes (any method but GET and HEAD). A write waits for its
  // durable commit; on these threads many writes wait together, so that the store can commit
  // them as one group (one fsync) while the I/O threads go on serving reads.
  int write_threads = 64;
};

// Handles one request synchronously. Must not throw (the pipeline catches everything).
using RequestHandler = std::function<Response(const Request&)>;

// HTTP/1.1 server on Boost.Beast with C++20 coroutines: keep-alive, limits and timeouts, N
// threads with one single-threaded io_context each; the acceptor hands connections out in turn
// and a connection stays on its thread. Handlers run on the I/O threads between awaits, so they
// may block on the database briefly but must never hold a resource across an await.
class Server {
 public:
  Server(ServerOptions options, RequestHandler handler);

  // Binds, calls `on_listening` with the bound port, and serves until SIGINT or SIGTERM; then
  // stops accepting, lets in-flight requests finish and returns. Throws std::runtime_error if it
  // cannot bind.
  void Run(const std::function<void(std::uint16_t)>& on_listening);

 private:
  const ServerOptions options_;
  const RequestHandler handler_;
};

}  // namespace contactd::http

#include "http/server.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "domain/error.hpp"
#include "http/metrics.hpp"
#include "http/request_head.hpp"
#include "http/response_head.hpp"

namespace contactd::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);
constexpr std::size_t kMaxDrainBytes = 8 * 1024 * 1024;
// A connection past the cap gets this long to send the request its 503 answers.
constexpr std::chrono::seconds kOverCapacityTimeout{5};

// State shared by the listener and every session.
struct Shared {
  const ServerOptions& options;
  RequestHandler& handler;
  net::thread_pool& write_pool;
  net::thread_pool& read_pool;
  const int max_connections;
  std::atomic<int> connections{0};
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};
};

// Counts a connection for as long as its session lives.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(Shared& shared) : shared_(shared) { Stats().connections_open.Add(1); }
  ~ConnectionSlot() {
    shared_.connections.fetch_sub(1);
    Stats().connections_open.Add(-1);
  }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  Shared& shared_;
};

domain::Error TooLarge(const RequestLimits& limits) {
  return domain::Error{domain::ErrorCode::kPayloadTooLarge,
                       "Request body exceeds the " + std::to_string(limits.body_limit / 1024) +
                           " KiB limit",
                       {}};
}

bool ClientGone(const beast::error_code& ec) {
  return ec == beast::error::timeout || ec == bhttp::error::end_of_stream ||
         ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::error::operation_aborted;
}

// Reads and discards what the client is still sending, so that closing the socket after an early
// answer (413, 503) does not reset the connection before the client has read that answer.
net::awaitable<void> Drain(beast::tcp_stream& stream) {
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::vector<char> sink(64 * 1024);
  std::size_t total = 0;
  stream.expires_after(std::chrono::seconds(2));
  while (total < kMaxDrainBytes) {
    auto [read_ec, n] = co_await stream.async_read_some(net::buffer(sink), kNoThrow);
    if (read_ec) break;
    total += n;
  }
}

// Runs the handler where the request belongs (see Placement); resumes on the session's thread.
net::awaitable<Response> Dispatch(Shared& shared, const Request& request) {
  switch (shared.handler.Place(request)) {
    case Placement::kInline:
      co_return shared.handler.Handle(request);
    case Placement::kReadPool:
      co_return co_await net::co_spawn(
          shared.read_pool,
          [&]() -> net::awaitable<Response> { co_return shared.handler.Handle(request); },
          net::use_awaitable);
    case Placement::kWritePool:
      break;
  }
  co_return co_await net::co_spawn(
      shared.write_pool,
      [&]() -> net::awaitable<Response> { co_return shared.handler.Handle(request); },
      net::use_awaitable);
}

// Sends a streamed body (see BodyStream) after `fields`, one chunk per piece (or, to an HTTP/1.0
// client, which knows no chunks, the pieces as they are, the end of the body being the close of
// the connection). Each piece is made on the read pool, since it reads the database, while this
// thread serves other connections. A piece that fails, or a shutdown, ends the connection before
// the body is complete, which the client sees (no final chunk, or fewer bytes than it expects).
net::awaitable<beast::error_code> WriteStream(beast::tcp_stream& stream, const std::string& fields,
                                              const Response& response, bool head, bool chunked,
                                              Shared& shared) {
  stream.expires_after(shared.options.io_timeout);
  auto [ec, written] = co_await net::async_write(stream, net::buffer(fields), kNoThrow);
  if (ec || head) co_return ec;
  auto cut = [&](std::string_view why) {
    Stats().responses_cut.Add();
    std::string_view request_id;
    for (const auto& [name, value] : response.headers) {
      if (name == "X-Request-Id") request_id = value;
    }
    spdlog::error("request {}: streamed response cut: {}", request_id, why);
    return net::error::make_error_code(net::error::connection_aborted);
  };
  BodyStream& body = *response.stream;
  std::string piece;
  bool more = true;
  while (more) {
    if (shared.stopping.load()) co_return cut("the server is stopping");
    piece.clear();
    std::optional<std::string> failure;
    more = co_await net::co_spawn(
        shared.read_pool,
        [&]() -> net::awaitable<bool> {
          try {
            co_return body.Next(piece);
          } catch (const std::exception& e) {
            failure = e.what();
            co_return false;
          }
        },
        net::use_awaitable);
    if (failure) co_return cut(*failure);
    if (piece.empty()) continue;
    std::string size = chunked ? fmt::format("{:x}\r\n", piece.size()) : std::string();
    std::array<net::const_buffer, 3> chunk{net::buffer(size), net::buffer(piece),
                                           net::buffer("\r\n", chunked ? 2 : 0)};
    stream.expires_after(shared.options.io_timeout);
    auto [chunk_ec, n] = co_await net::async_write(stream, chunk, kNoThrow);
    if (chunk_ec) co_return chunk_ec;
  }
  if (!chunked) co_return beast::error_code{};
  stream.expires_after(shared.options.io_timeout);
  auto [end_ec, n] = co_await net::async_write(stream, net::buffer("0\r\n\r\n", 5), kNoThrow);
  co_return end_ec;
}

// Writes a response; a HEAD request gets the headers of its GET answer (Content-Length too) and
// no body. The head and the body go out in one gather write.
net::awaitable<beast::error_code> WriteResponse(beast::tcp_stream& stream, Response response,
                                                bool head, bool keep_alive, bool http10,
                                                Shared& shared) {
  std::string fields = ResponseHead(response, keep_alive, /*chunked=*/!http10);
  if (response.stream) {
    co_return co_await WriteStream(stream, fields, response, head, !http10, shared);
  }
  bool body = !head && StatusHasBody(response.status) && !response.body.empty();
  std::array<net::const_buffer, 2> buffers{net::buffer(fields), net::buffer(response.body)};
  std::span<const net::const_buffer> sent(buffers.data(), body ? 2 : 1);
  stream.expires_after(shared.options.io_timeout);
  auto [ec, written] = co_await net::async_write(stream, sent, kNoThrow);
  co_return ec;
}

// A client's address as limits count it: an IPv4 address, or an IPv6 address's /64 (one
// host's, usually: it can change the rest at will).
std::string AddressKey(std::string_view address) {
  boost::system::error_code ec;
  auto ip = boost::asio::ip::make_address(address, ec);
  if (ec || !ip.is_v6()) return std::string(address);
  auto v6 = ip.to_v6();
  if (v6.is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  }
  auto bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

// 127.0.0.0/8 or ::1, also written as an IPv4-mapped IPv6 address.
bool IsLoopback(const net::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).is_loopback();
  }
  return address.is_loopback();
}

net::awaitable<void> Session(beast::tcp_stream stream, Shared& shared, bool over_capacity) {
  ConnectionSlot slot(shared);
  const ServerOptions& options = shared.options;
  const RequestLimits& limits = options.limits;
  beast::flat_buffer buffer;
  std::string client_address;
  bool peer_is_loopback = false;
  {
    beast::error_code ec;
    auto peer = stream.socket().remote_endpoint(ec);
    if (!ec) {
      client_address = AddressKey(peer.address().to_string());
      peer_is_loopback = IsLoopback(peer.address());
    }
  }
  for (;;) {
    // Wait for the first byte of the next request under the idle timeout; the header timeout
    // starts only once a request has begun.
    if (buffer.size() == 0) {
      stream.expires_after(over_capacity ? kOverCapacityTimeout : options.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(8192), kNoThrow);
      if (ec) break;
      buffer.commit(n);
    }
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
    parser.body_limit(limits.body_limit);

    Request request;
    // A refused request is answered, then the connection closes: what follows on it cannot be
    // trusted to start where the parser stopped.
    bool must_close = over_capacity;
    stream.expires_after(over_capacity ? kOverCapacityTimeout : options.header_timeout);
    auto [header_ec, header_n] = co_await bhttp::async_read_header(stream, buffer, parser, kNoThrow);
    if (header_ec == bhttp::error::body_limit) {
      request.transport_error = TooLarge(limits);
      must_close = true;
    } else if (header_ec == bhttp::error::header_limit) {
      request.transport_error = HeaderSizeError(parser.get(), limits);
      must_close = true;
    } else if (ClientGone(header_ec)) {
      break;
    } else if (header_ec) {
      request.transport_error = domain::Error::BadRequest("Malformed HTTP request");
      must_close = true;
    } else if (auto refused = CheckHead(parser.get(), limits)) {
      request.transport_error = std::move(refused);
      must_close = true;
    } else if (over_capacity) {
      Stats().connections_refused.Add();
      request.transport_error = domain::Error::Unavailable("Too many open connections");
    } else {
      auto& header = parser.get();
      if (beast::iequals(header[bhttp::field::expect], "100-continue")) {
        bhttp::response<bhttp::empty_body> proceed{bhttp::status::continue_, 11};
        stream.expires_after(options.io_timeout);
        auto [write_ec, w] = co_await bhttp::async_write(stream, proceed, kNoThrow);
        if (write_ec) break;
      }
      stream.expires_after(options.io_timeout);
      auto [body_ec, body_n] = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
      if (body_ec == bhttp::error::body_limit) {
        request.transport_error = TooLarge(limits);
        must_close = true;
      } else if (ClientGone(body_ec)) {
        break;  // the client went away or stalled: nobody to answer
      } else if (body_ec) {
        // A malformed body (a bad chunk): the connection is still writable, so say why.
        request.transport_error = domain::Error::BadRequest("Malformed HTTP request body");
        must_close = true;
      }
    }
    bool keep_alive = !must_close && parser.is_header_done() && parser.get().keep_alive();
    bool http10 = parser.is_header_done() && parser.get().version() < 11;
    if (!request.transport_error) {
      request = ToRequest(parser.get());
    } else if (parser.is_header_done()) {
      Request partial = ToRequest(parser.get());
      partial.body.clear();
      partial.transport_error = std::move(request.transport_error);
      request = std::move(partial);
    } else {
      // Its path picks the surface whose format answers.
      request.path = RefusedPath(parser.get(), {static_cast<const char*>(buffer.data().data()),
                                                buffer.data().size()});
    }
    request.client_address = client_address;
    request.peer_is_loopback = peer_is_loopback;
    bool head = request.method == "HEAD";

    shared.in_flight.fetch_add(1);
    Stats().requests_in_flight.Add(1);
    Response response = co_await Dispatch(shared, request);
    if (shared.stopping.load()) keep_alive = false;
    // An HTTP/1.0 client learns where a streamed body ends from the close of the connection.
    if (response.stream && http10) keep_alive = false;
    beast::error_code write_ec =
        co_await WriteResponse(stream, std::move(response), head, keep_alive, http10, shared);
    shared.in_flight.fetch_sub(1);
    Stats().requests_in_flight.Add(-1);
    if (write_ec) break;
    if (must_close) {
      co_await Drain(stream);
      break;
    }
    if (!keep_alive) break;
  }
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}

// Says at most once per interval that accept() fails, with how often it did meanwhile: a full
// file descriptor table makes every accept fail at once, and one line each would flood the log.
class AcceptFailureLog {
 public:
  void Failed(const beast::error_code& ec) {
    ++failures_;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::seconds(10)) return;
    spdlog::warn("accept failed: {} ({} failures in the last 10 s); backing off", ec.message(),
                 failures_);
    failures_ = 0;
    last_ = now;
  }

 private:
  std::int64_t failures_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

// Accepts on one thread and gives each connection to the next context in turn: a connection then
// lives on one thread, so requests need no strands and no cross-thread wake-ups.
net::awaitable<void> Listen(tcp::acceptor& acceptor,
                            const std::vector<std::unique_ptr<net::io_context>>& contexts,
                            Shared& shared) {
  // Past the cap, a few more connections are accepted only to be answered 503; beyond those
  // they are closed at once.
  const int hard_cap = shared.max_connections + shared.max_connections / 4 + 8;
  AcceptFailureLog failure_log;
  net::steady_timer backoff_timer(acceptor.get_executor());
  auto backoff = std::chrono::milliseconds(0);
  std::size_t next = 0;
  for (;;) {
    net::io_context& target = *contexts[next];
    auto [ec, socket] = co_await acceptor.async_accept(target, kNoThrow);
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) co_return;
      // Out of descriptors or memory: the pending connection stays queued and the next accept
      // would fail at once. Wait, longer each time, for sessions to close.
      failure_log.Failed(ec);
      backoff = std::clamp(backoff * 2, std::chrono::milliseconds(10),
                           std::chrono::milliseconds(1000));
      backoff_timer.expires_after(backoff);
      co_await backoff_timer.async_wait(kNoThrow);
      continue;
    }
    backoff = std::chrono::milliseconds(0);
    next = (next + 1) % contexts.size();
    int open = shared.connections.fetch_add(1) + 1;
    if (open > hard_cap) {
      shared.connections.fetch_sub(1);
      socket.close(ec);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    net::co_spawn(target,
                  Session(beast::tcp_stream(std::move(socket)), shared,
                          open > shared.max_connections),
                  [](std::exception_ptr error) {
                    if (!error) return;
                    try {
                      std::rethrow_exception(error);
                    } catch (const std::exception& e) {
                      spdlog::error("connection failed: {}", e.what());
                    }
                  });
  }
}

// Raises the soft limit on open files to the hard one (allowed without privileges) and returns
// the resulting limit.
rlim_t RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur;
}

// Connections the descriptor limit leaves room for, after the database's files (three per pooled
// connection: the file, its WAL and its shared memory), logs and listeners.
int DefaultMaxConnections(rlim_t file_limit, int pooled_threads) {
  constexpr rlim_t kMaxDefault = 100000;
  rlim_t reserve = 3 * static_cast<rlim_t>(pooled_threads) + 32;
  if (file_limit == RLIM_INFINITY) return static_cast<int>(kMaxDefault);
  rlim_t room = file_limit > reserve ? file_limit - reserve : 0;
  return static_cast<int>(std::clamp<rlim_t>(room, 8, kMaxDefault));
}

}  // namespace

Server::Server(ServerOptions options, RequestHandler& handler)
    : options_(std::move(options)), handler_(handler) {}

void Server::Run(const std::function<void(std::uint16_t)>& on_listening) {
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int threads = options_.threads > 0 ? options_.threads : cores;
  int write_threads = std::max(1, options_.write_threads);
  int read_threads = options_.read_threads > 0 ? options_.read_threads : 4 * cores;
  rlim_t file_limit = RaiseFileLimit();
  int max_connections =
      options_.max_connections > 0
          ? options_.max_connections
          : DefaultMaxConnections(file_limit, threads + write_threads + read_threads);

  net::thread_pool write_pool(static_cast<std::size_t>(write_threads));
  net::thread_pool read_pool(static_cast<std::size_t>(read_threads));
  Shared shared{options_, handler_, write_pool, read_pool, max_connections};
  // One single-threaded io_context per worker thread (see Listen).
  std::vector<std::unique_ptr<net::io_context>> contexts;
  for (int i = 0; i < threads; ++i) contexts.push_back(std::make_unique<net::io_context>(1));
  net::io_context& control = *contexts.front();

  tcp::acceptor acceptor{control};
  beast::error_code ec;
  tcp::endpoint endpoint{net::ip::make_address(options_.host, ec), options_.port};
  if (ec) throw std::runtime_error("invalid listen address " + options_.host);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + options_.host + ":" +
                             std::to_string(options_.port) + ": " + ec.message());
  }
  spdlog::info("serving at most {} connections (open files limit {})", max_connections,
               file_limit == RLIM_INFINITY ? std::string("unlimited") : std::to_string(file_limit));
  on_listening(acceptor.local_endpoint().port());
  net::co_spawn(control, Listen(acceptor, contexts, shared), net::detached);

  // Graceful stop: close the acceptor, then wait (bounded) for in-flight requests to answer.
  // Everything here runs on the control context's thread.
  net::signal_set signals{control, SIGINT, SIGTERM};
  net::steady_timer drain_timer{control};
  std::chrono::steady_clock::time_point deadline;
  std::function<void()> poll = [&] {
    int running = shared.in_flight.load();
    if (running == 0) {
      for (auto& context : contexts) context->stop();
      return;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      // A handler blocked in the database cannot be interrupted from here, and joining its
      // thread would outlast the grace period: end the process. Nothing acknowledged is lost
      // (a write is acknowledged only after its commit), and SQLite recovers the rest.
      spdlog::warn("{} request(s) still running after the {} s grace period; exiting", running,
                   options_.shutdown_grace.count());
      spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& logger) { logger->flush(); });
      std::_Exit(1);
    }
    drain_timer.expires_after(std::chrono::milliseconds(10));
    drain_timer.async_wait([&](beast::error_code) { poll(); });
  };
  signals.async_wait([&](beast::error_code error, int signal_number) {
    if (error) return;
    spdlog::info("received signal {}, stopping", signal_number);
    shared.stopping.store(true);
    beast::error_code ignored;
    acceptor.close(ignored);
    deadline = std::chrono::steady_clock::now() + options_.shutdown_grace;
    poll();
  });

  // Worker contexts have no work until a connection arrives: keep them running until stopped.
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
  std::vector<std::thread> workers;
  for (int i = 1; i < threads; ++i) {
    guards.push_back(net::make_work_guard(*contexts[i]));
    workers.emplace_back([&context = *contexts[i]] { context.run(); });
  }
  control.run();
  for (std::thread& worker : workers) worker.join();
  write_pool.join();
  read_pool.join();
}

}  // namespace contactd::http

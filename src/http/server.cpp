#include "http/server.hpp"

#include <atomic>
#include <csignal>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "domain/error.hpp"

namespace contactd::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);
constexpr std::size_t kMaxDrainBytes = 8 * 1024 * 1024;

// State shared by the listener and every session.
struct Shared {
  const ServerOptions& options;
  const RequestHandler& handler;
  net::thread_pool& write_pool;
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};
};

template <class Key>
std::string HeaderValue(const bhttp::request<bhttp::string_body>& message, Key key) {
  auto it = message.find(key);
  return it == message.end() ? std::string() : std::string(it->value());
}

Request ToRequest(bhttp::request<bhttp::string_body>& message) {
  Request request;
  request.method = std::string(message.method_string());
  std::string_view target = message.target();
  std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  request.content_type = HeaderValue(message, bhttp::field::content_type);
  request.authorization = HeaderValue(message, bhttp::field::authorization);
  request.request_id = HeaderValue(message, std::string_view("X-Request-Id"));
  request.body = std::move(message.body());
  return request;
}

// Reads and discards what the client is still sending, so that closing the socket after an early
// answer (413) does not reset the connection before the client has read that answer.
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

net::awaitable<void> Session(beast::tcp_stream stream, Shared& shared) {
  const ServerOptions& options = shared.options;
  beast::flat_buffer buffer;
  for (;;) {
    // Wait for the first byte of the next request under the idle timeout; the header timeout
    // starts only once a request has begun.
    if (buffer.size() == 0) {
      stream.expires_after(options.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(8192), kNoThrow);
      if (ec) break;
      buffer.commit(n);
    }
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    parser.body_limit(options.body_limit);

    Request request;
    bool must_close = false;
    stream.expires_after(options.header_timeout);
    auto [header_ec, header_n] = co_await bhttp::async_read_header(stream, buffer, parser, kNoThrow);
    if (header_ec == bhttp::error::body_limit) {
      request.transport_error = domain::Error{domain::ErrorCode::kPayloadTooLarge,
                                              "Request body exceeds the 1 MiB limit", {}};
      must_close = true;
    } else if (header_ec == beast::error::timeout || header_ec == bhttp::error::end_of_stream ||
               header_ec == net::error::eof || header_ec == net::error::connection_reset) {
      break;
    } else if (header_ec) {
      request.transport_error = domain::Error::BadRequest("Malformed HTTP request");
      must_close = true;
    } else {
      auto& header = parser.get();
      if (beast::iequals(HeaderValue(header, bhttp::field::expect), "100-continue")) {
        bhttp::response<bhttp::empty_body> proceed{bhttp::status::continue_, 11};
        stream.expires_after(options.io_timeout);
        auto [write_ec, w] = co_await bhttp::async_write(stream, proceed, kNoThrow);
        if (write_ec) break;
      }
      stream.expires_after(options.io_timeout);
      auto [body_ec, body_n] = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
      if (body_ec == bhttp::error::body_limit) {
        request.transport_error = domain::Error{domain::ErrorCode::kPayloadTooLarge,
                                                "Request body exceeds the 1 MiB limit", {}};
        must_close = true;
      } else if (body_ec) {
        break;  // the client went away or stalled: nobody to answer
      }
    }
    bool keep_alive = !must_close && parser.is_header_done() && parser.get().keep_alive();
    if (!request.transport_error) {
      request = ToRequest(parser.get());
    } else if (parser.is_header_done()) {
      Request partial = ToRequest(parser.get());
      partial.body.clear();
      partial.transport_error = std::move(request.transport_error);
      request = std::move(partial);
    }

    shared.in_flight.fetch_add(1);
    Response response;
    if (request.method == "GET" || request.method == "HEAD") {
      response = shared.handler(request);
    } else {
      // The coroutine resumes on its own thread once the write pool has answered.
      response = co_await net::co_spawn(
          shared.write_pool,
          [&]() -> net::awaitable<Response> { co_return shared.handler(request); },
          net::use_awaitable);
    }
    if (shared.stopping.load()) keep_alive = false;
    bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), 11};
    message.set(bhttp::field::server, "contactd");
    message.set(bhttp::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) message.set(name, value);
    message.body() = std::move(response.body);
    message.keep_alive(keep_alive);
    message.prepare_payload();
    stream.expires_after(options.io_timeout);
    auto [write_ec, written] = co_await bhttp::async_write(stream, message, kNoThrow);
    shared.in_flight.fetch_sub(1);
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

// Accepts on one thread and gives each connection to the next context in turn: a connection then
// lives on one thread, so requests need no strands and no cross-thread wake-ups.
net::awaitable<void> Listen(tcp::acceptor& acceptor,
                            const std::vector<std::unique_ptr<net::io_context>>& contexts,
                            Shared& shared) {
  std::size_t next = 0;
  for (;;) {
    net::io_context& target = *contexts[next];
    next = (next + 1) % contexts.size();
    auto [ec, socket] = co_await acceptor.async_accept(target, kNoThrow);
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) co_return;
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    net::co_spawn(target, Session(beast::tcp_stream(std::move(socket)), shared),
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

}  // namespace

Server::Server(ServerOptions options, RequestHandler handler)
    : options_(std::move(options)), handler_(std::move(handler)) {}

void Server::Run(const std::function<void(std::uint16_t)>& on_listening) {
  int threads = options_.threads > 0 ? options_.threads
                                     : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  net::thread_pool write_pool(static_cast<std::size_t>(std::max(1, options_.write_threads)));
  Shared shared{options_, handler_, write_pool};
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
  on_listening(acceptor.local_endpoint().port());
  net::co_spawn(control, Listen(acceptor, contexts, shared), net::detached);

  // Graceful stop: close the acceptor, then wait (bounded) for in-flight requests to answer.
  // Everything here runs on the control context's thread.
  net::signal_set signals{control, SIGINT, SIGTERM};
  net::steady_timer drain_timer{control};
  std::chrono::steady_clock::time_point deadline;
  std::function<void()> poll = [&] {
    if (shared.in_flight.load() == 0 || std::chrono::steady_clock::now() >= deadline) {
      for (auto& context : contexts) context->stop();
      return;
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
}

}  // namespace contactd::http

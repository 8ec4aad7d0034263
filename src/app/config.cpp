#include "app/config.hpp"

#include <charconv>
#include <chrono>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace contactd::app {

std::optional<ListenAddress> ParseListen(std::string_view text) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  std::string_view port_text = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return std::nullopt;
  }
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(port)};
}

void SetUpLogging() {
  auto errors = spdlog::stderr_logger_mt("contactd");
  errors->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  spdlog::set_default_logger(errors);
  auto access = spdlog::stdout_logger_mt("access");
  access->set_pattern("%v");
  // The access log is flushed once a second (and at exit), not per line: a write per request
  // would cost more than many requests do.
  access->flush_on(spdlog::level::warn);
  spdlog::flush_every(std::chrono::seconds(1));
  spdlog::flush_on(spdlog::level::info);
}

}  // namespace contactd::app

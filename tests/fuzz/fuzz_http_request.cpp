// Fuzzes the head checks of an HTTP request as the server applies them: http::ParseRequest runs
// Beast's parser over the bytes with the server's limits, then CheckHead / HeaderSizeError /
// ToRequest, the functions the connection loop calls on what it reads from a socket.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "check.hpp"
#include "domain/text.hpp"
#include "http/request_head.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Small limits, so that the fuzzer reaches each of them with short inputs.
  const contactd::http::RequestLimits limits{
      .body_limit = 512, .header_limit = 1024, .target_limit = 256};
  auto request = contactd::http::ParseRequest(bytes, limits);
  if (!request) return 0;
  if (!request->transport_error) {
    // An accepted request keeps to every limit.
    FUZZ_CHECK(request->body.size() <= limits.body_limit);
    FUZZ_CHECK(request->path.size() + request->query.size() <= limits.target_limit);
  } else {
    FUZZ_CHECK(request->body.empty());
    FUZZ_CHECK(!request->transport_error->message.empty());
  }
  return 0;
}

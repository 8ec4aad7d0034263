// Fuzzes the `cursor` list parameter: domain::CursorCodec::Decode on arbitrary text, and, since
// the HMAC keeps a fuzzer from ever passing that check, Decode on the input made into a cursor
// with a valid MAC, which reaches the payload parser. Every decoded id must encode back to a
// cursor that decodes to the same id.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "check.hpp"
#include "domain/crypto.hpp"
#include "domain/cursor.hpp"

namespace {

namespace domain = contactd::domain;

constexpr std::string_view kCursorKey = "contactd-fuzz-cursor-key";
constexpr std::size_t kMacBytes = 12;  // as in domain/cursor.cpp

const domain::CursorCodec& Cursors() {
  static const domain::CursorCodec codec{std::string(kCursorKey)};
  return codec;
}

void CheckRoundTrip(std::optional<std::int64_t> id) {
  if (!id) return;
  FUZZ_CHECK(*id >= 0);
  std::string cursor = Cursors().Encode(*id);
  FUZZ_CHECK(Cursors().Decode(cursor) == id);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckRoundTrip(Cursors().Decode(text));

  std::string mac = domain::HmacSha256(kCursorKey, text).substr(0, kMacBytes);
  std::string signed_cursor = domain::Base64UrlEncode(text) + "." + domain::Base64UrlEncode(mac);
  CheckRoundTrip(Cursors().Decode(signed_cursor));
  return 0;
}

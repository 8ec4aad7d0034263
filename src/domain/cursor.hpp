#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace contactd::domain {

// Encodes and checks the opaque keyset cursors of list endpoints. A cursor carries the id of the
// last row of a page and an HMAC under a server secret, so a cursor that was altered, forged or
// truncated is recognised and rejected rather than silently walking elsewhere.
// Thread-safe: immutable after construction.
class CursorCodec {
 public:
  // REQUIRES: !key.empty().
  explicit CursorCodec(std::string key);

  std::string Encode(std::int64_t last_id) const;

  // Returns the id carried by `cursor`, or nullopt if it is not a cursor this codec made.
  std::optional<std::int64_t> Decode(std::string_view cursor) const;

 private:
  std::string Mac(std::string_view payload) const;

  const std::string key_;  // Constant after construction
};

}  // namespace contactd::domain

// Fuzzes one line of an NDJSON import (`contactd import --file x.ndjson`) as the importer reads
// it: api::native::ParseImportRow, then domain::ValidateNewContact, as app/import.cpp's Prepare
// does before it looks at the account's companies.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "api/native/codec.hpp"
#include "check.hpp"
#include "domain/contacts.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"

namespace {

namespace domain = contactd::domain;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  auto row = contactd::api::native::ParseImportRow(line);
  if (!row) {
    FUZZ_CHECK(row.error().code == domain::ErrorCode::kBadRequest);
    return 0;
  }
  domain::FieldErrors errors = std::move(row->input.errors);
  domain::NewContact contact = domain::ValidateNewContact(row->input, {}, errors);
  if (row->created_at && !errors.Has("created_at")) {
    // An accepted creation time is rendered with FormatTimestamp; it must read back the same.
    FUZZ_CHECK(domain::ParseTimestamp(domain::FormatTimestamp(*row->created_at)) ==
               row->created_at);
  }
  if (errors.empty()) {
    FUZZ_CHECK(!contact.contact_types.empty());
    for (const domain::Phone& phone : contact.phones) {
      FUZZ_CHECK(phone.e164.size() > 1 && phone.e164.front() == '+');
    }
  }
  return 0;
}

// Fuzzes the body of POST /contacts (and PATCH /contacts/{id}) as the native API reads it:
// api::native::ParseContactInput, then domain::ValidateNewContact, the validation and
// normalization ContactService::Create runs before it touches the store. The update path
// (ContactService::Update) checks the same fields with the same helpers, but only behind a
// store::Store, so it is not reached here.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "api/native/codec.hpp"
#include "check.hpp"
#include "domain/contacts.hpp"
#include "domain/text.hpp"
#include "domain/validation.hpp"

namespace {

namespace domain = contactd::domain;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto input = contactd::api::native::ParseContactInput(body);
  if (!input) {
    FUZZ_CHECK(input.error().code == domain::ErrorCode::kBadRequest);
    return 0;
  }
  domain::FieldErrors errors = std::move(input->errors);
  domain::NewContact contact = domain::ValidateNewContact(*input, {}, errors);
  for (const domain::FieldError& error : errors.list()) {
    FUZZ_CHECK(!error.message.empty());  // the field may be "": a member named ""
  }
  if (errors.empty()) {
    // What a valid contact promises the store and the renderers.
    FUZZ_CHECK(!contact.contact_types.empty());
    FUZZ_CHECK(contact.phones.size() <= domain::kMaxPhonesPerContact);
    for (const domain::Phone& phone : contact.phones) {
      FUZZ_CHECK(phone.e164.size() > 1 && phone.e164.front() == '+');
      FUZZ_CHECK(phone.country.size() == 2);
    }
    for (const auto& text : contact.text) {
      if (!text) continue;
      FUZZ_CHECK(domain::IsValidUtf8(*text));
      FUZZ_CHECK(domain::Trim(*text) == *text);
      FUZZ_CHECK(!domain::HasControlCharacter(*text, /*allow_tab_newline=*/false));
      FUZZ_CHECK(domain::Utf8Length(*text) <= domain::kMaxTextLength);
    }
  }
  return 0;
}

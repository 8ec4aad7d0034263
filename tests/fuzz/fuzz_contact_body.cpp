// Fuzzes the body of POST /contacts (and PATCH /contacts/{id}) as the native API reads it:
// api::native::ParseContactInput, then domain::ValidateNewContact, the validation and
// normalization ContactService::Create runs before it touches the store, with custom fields of
// every type defined. The update path
// (ContactService::Update) checks the same fields with the same helpers, but only behind a
// store::Store, so it is not reached here.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "api/native/codec.hpp"
#include "check.hpp"
#include "definitions.hpp"
#include "domain/custom_fields.hpp"
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
  domain::WritePolicy policy;
  policy.custom_fields = FuzzCustomFields();
  domain::NewContact contact = domain::ValidateNewContact(*input, policy, errors);
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
    for (std::size_t i = 0; i < domain::kTextFieldCount; ++i) {
      const auto& text = contact.text[i];
      if (!text) continue;
      const domain::TextFieldSpec& spec = domain::kTextFields[i];
      FUZZ_CHECK(domain::IsValidUtf8(*text));
      FUZZ_CHECK(domain::Trim(*text) == *text);
      // Long text keeps tabs and newlines; a derived full name joins two names and a space.
      FUZZ_CHECK(!domain::HasControlCharacter(
          *text, /*allow_tab_newline=*/spec.rule == domain::TextRule::kMultiline));
      std::size_t limit = static_cast<domain::TextField>(i) == domain::TextField::kFullName
                              ? 2 * spec.max_length + 1
                              : spec.max_length;
      FUZZ_CHECK(domain::Utf8Length(*text) <= limit);
    }
    // Every custom value has its definition and the shape of its type (the store indexes it).
    for (const auto& [key, value] : contact.custom_fields) {
      const domain::CustomField* field = domain::FindCustomField(FuzzCustomFields(), key);
      FUZZ_CHECK(field != nullptr);
      auto keys = domain::CustomIndexKeys(*field, value);
      FUZZ_CHECK(keys.has_value() && !keys->empty());
    }
  }
  return 0;
}

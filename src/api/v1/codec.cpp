#include "api/v1/codec.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "api/json.hpp"
#include "api/json_writer.hpp"
#include "api/responses.hpp"
#include "domain/crypto.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"

namespace contactd::api::v1 {
namespace {

using domain::TextField;

constexpr std::string_view kContactEntity = "Contact";

// Top-level text members and the text field each one is.
constexpr std::array<std::pair<std::string_view, TextField>, 9> kTextMembers = {{
    {"name", TextField::kFullName},
    {"displayName", TextField::kDisplayName},
    {"code", TextField::kCode},
    {"email", TextField::kEmail},
    {"website", TextField::kWebsite},
    {"taxId", TextField::kTaxId},
    {"description", TextField::kDescription},
    {"notes", TextField::kNotes},
    {"status", TextField::kStatus},
}};

constexpr std::array<std::pair<std::string_view, TextField>, 3> kMetadataText = {{
    {"title", TextField::kTitle},
    {"department", TextField::kDepartment},
    {"preferredContactMethod", TextField::kPreferredContactMethod},
}};

// Members of metadata that are numbers of one type.
constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kMetadataPhones = {{
    {"mobilePhone", "mobile"},
    {"workPhone", "work"},
}};

// The domain's names of fields (in its errors) and seed 003's.
constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kFieldNames = {{
    {"full_name", "name"},
    {"display_name", "displayName"},
    {"tax_id", "taxId"},
    {"title", "metadata.title"},
    {"department", "metadata.department"},
    {"preferred_contact_method", "metadata.preferredContactMethod"},
    {"reports_to", "metadata.reportsTo"},
    {"company_id", "parentEntityId"},
    {"address.postal_code", "address.postalCode"},
    {"address.country_code", "address.countryCode"},
    {"address.company_name", "address.companyName"},
    {"address.phone", "address.phoneNumber"},
    {"address.state", "address.stateProvince"},
    {"addresses", "address"},
    {"phones", "phone"},
    {"contact_type", "entityTypes"},
}};
constexpr std::string_view kCustomPrefix = "custom_fields";

std::string FieldName(std::string_view field) {
  for (const auto& [domain_name, name] : kFieldNames) {
    if (field == domain_name) return std::string(name);
  }
  if (field.starts_with(kCustomPrefix)) {
    return "customFields" + std::string(field.substr(kCustomPrefix.size()));
  }
  return std::string(field);
}

std::size_t Index(TextField field) { return static_cast<std::size_t>(field); }

void ReadAddress(ObjectReader& reader, ContactBody& body) {
  const boost::json::value* member = reader.Member("address");
  body.input.first_address.present = member != nullptr;
  const boost::json::object* object = reader.Object("address");
  if (object == nullptr) return;
  domain::AddressInput address;
  ObjectReader nested(*object, "address", reader.errors());
  nested.String("id");  // the address's own id, kept whatever is sent: it names the one address
  address.addressee = nested.String("addressee");
  address.company_name = nested.String("companyName");
  address.attention = nested.String("attention");
  address.phone = nested.String("phoneNumber");
  address.line1 = nested.String("line1");
  address.line2 = nested.String("line2");
  address.city = nested.String("city");
  address.state = nested.String("stateProvince");
  address.postal_code = nested.String("postalCode");
  address.country_code = nested.String("countryCode");
  nested.RejectUnknown();
  body.input.first_address.value = std::move(address);
}

void ReadMetadata(ObjectReader& reader, ContactBody& body) {
  const boost::json::value* member = reader.Member("metadata");
  if (member == nullptr) return;
  domain::ContactInput& input = body.input;
  if (member->is_null()) {
    // null clears every member of metadata.
    for (const auto& [name, field] : kMetadataText) input.text[Index(field)].present = true;
    for (const auto& [name, type] : kMetadataPhones) {
      input.typed_phones.push_back(
          {std::string(type), "metadata." + std::string(name), {true, {}}, {}});
    }
    body.reports_to.present = true;
    return;
  }
  const boost::json::object* object = reader.Object("metadata");
  if (object == nullptr) return;
  ObjectReader nested(*object, "metadata", reader.errors());
  for (const auto& [name, field] : kMetadataText) input.text[Index(field)] = nested.String(name);
  for (const auto& [name, type] : kMetadataPhones) {
    auto raw = nested.String(name);
    if (raw.present) {
      input.typed_phones.push_back({std::string(type), nested.Path(name), std::move(raw), {}});
    }
  }
  body.reports_to = nested.String("reportsTo");
  nested.RejectUnknown();
}

void WriteTimestamp(JsonWriter& w, std::int64_t unix_seconds) {
  w.String(domain::FormatTimestampMs(unix_seconds * 1000));
}

std::optional<std::string> UidOf(const std::unordered_map<std::int64_t, std::string>& uids,
                                 std::optional<std::int64_t> id) {
  if (!id) return std::nullopt;
  auto found = uids.find(*id);
  if (found == uids.end()) return std::nullopt;
  return found->second;
}

void WriteAddress(JsonWriter& w, const domain::Contact& contact) {
  if (contact.addresses.empty()) {
    w.Null();
    return;
  }
  const domain::Address& a = contact.addresses.front();
  w.BeginObject();
  w.Key("id").String(AddressUid(contact.uid, a.id));
  w.Key("addressee").OptionalString(a.addressee);
  w.Key("companyName").OptionalString(a.company_name);
  w.Key("attention").OptionalString(a.attention);
  w.Key("phoneNumber").OptionalString(a.phone);
  w.Key("line1").OptionalString(a.line1);
  w.Key("line2").OptionalString(a.line2);
  w.Key("city").OptionalString(a.city);
  w.Key("stateProvince").OptionalString(a.state);
  w.Key("postalCode").OptionalString(a.postal_code);
  w.Key("countryCode").OptionalString(a.country_code);
  w.EndObject();
}

void WriteContact(JsonWriter& w, const domain::Contact& contact, const Names& names) {
  auto text = [&](TextField field) -> const std::optional<std::string>& {
    return contact.Text(field);
  };
  std::optional<std::string> status = text(TextField::kStatus);
  w.BeginObject();
  w.Key("id").String(contact.uid);
  w.Key("organizationId").String(names.organization);
  w.Key("name").OptionalString(text(TextField::kFullName));
  w.Key("displayName").OptionalString(text(TextField::kDisplayName));
  w.Key("code").OptionalString(text(TextField::kCode));
  w.Key("entityTypes").BeginArray().String(kContactEntity).EndArray();
  w.Key("email").OptionalString(text(TextField::kEmail));
  // Only the main number: what is shown can be written back without adding a number.
  w.Key("phone").OptionalString(contact.RawPhoneOfType("main"));
  w.Key("website").OptionalString(text(TextField::kWebsite));
  w.Key("address");
  WriteAddress(w, contact);
  w.Key("parentEntityId")
      .OptionalString(UidOf(names.uids.companies,
                            contact.company ? std::optional(contact.company->value)
                                            : std::nullopt));
  // Contacts are never the companies seed 003's primaryContactId belongs to.
  w.Key("primaryContactId").Null();
  w.Key("taxId").OptionalString(text(TextField::kTaxId));
  w.Key("description").OptionalString(text(TextField::kDescription));
  w.Key("notes").OptionalString(text(TextField::kNotes));
  w.Key("customFields");
  if (contact.custom_fields.empty()) {
    w.Null();
  } else {
    WriteCustomValues(w, contact.custom_fields);
  }
  w.Key("metadata").BeginObject();
  w.Key("title").OptionalString(text(TextField::kTitle));
  w.Key("department").OptionalString(text(TextField::kDepartment));
  w.Key("reportsTo")
      .OptionalString(UidOf(names.uids.contacts,
                            contact.reports_to ? std::optional(contact.reports_to->value)
                                               : std::nullopt));
  w.Key("mobilePhone").OptionalString(contact.RawPhoneOfType("mobile"));
  w.Key("workPhone").OptionalString(contact.RawPhoneOfType("work"));
  w.Key("preferredContactMethod").OptionalString(text(TextField::kPreferredContactMethod));
  w.EndObject();
  w.Key("status").OptionalString(status);
  w.Key("isActive").Bool(status == "active");
  w.Key("createdAt");
  WriteTimestamp(w, contact.created_at);
  w.Key("updatedAt");
  WriteTimestamp(w, contact.updated_at);
  w.EndObject();
}

struct Status {
  unsigned http;
  std::string_view code;
};

Status StatusOf(const domain::Error& error) {
  using domain::ErrorCode;
  switch (error.code) {
    case ErrorCode::kBadRequest:
    case ErrorCode::kValidation:
      return {400, "VALIDATION_ERROR"};
    case ErrorCode::kUnauthorized:
      return {401, "UNAUTHORIZED"};
    case ErrorCode::kForbidden:
      return {403, "FORBIDDEN"};
    case ErrorCode::kNotFound:
      // The domain says which resource is missing.
      if (error.message.starts_with("Contact")) return {404, "CONTACT_NOT_FOUND"};
      if (error.message.starts_with("Company")) return {404, "COMPANY_NOT_FOUND"};
      return {404, "NOT_FOUND"};
    case ErrorCode::kMethodNotAllowed:
      return {405, "METHOD_NOT_ALLOWED"};
    case ErrorCode::kConflict:
      return {409, "CONFLICT"};
    case ErrorCode::kPreconditionFailed:
      return {412, "PRECONDITION_FAILED"};
    case ErrorCode::kIdempotencyMismatch:
      return {422, "IDEMPOTENCY_KEY_REUSED"};
    case ErrorCode::kGone:
      return {410, "GONE"};
    case ErrorCode::kPayloadTooLarge:
      return {413, "PAYLOAD_TOO_LARGE"};
    case ErrorCode::kUriTooLong:
      return {414, "URI_TOO_LONG"};
    case ErrorCode::kHeadersTooLarge:
      return {431, "HEADERS_TOO_LARGE"};
    case ErrorCode::kUnsupportedMediaType:
      return {415, "UNSUPPORTED_MEDIA_TYPE"};
    case ErrorCode::kRateLimited:
      return {429, "RATE_LIMIT_EXCEEDED"};
    case ErrorCode::kUnavailable:
      return {503, "SERVICE_UNAVAILABLE"};
    case ErrorCode::kInternal:
      break;
  }
  return {500, "INTERNAL_SERVER_ERROR"};
}

}  // namespace

domain::Result<ContactBody> ParseContactBody(std::string_view text) {
  auto object = ParseObject(text);
  if (!object) return std::unexpected(object.error());
  ContactBody body;
  domain::ContactInput& input = body.input;
  ObjectReader reader(*object, "", input.errors);
  for (const auto& [name, field] : kTextMembers) input.text[Index(field)] = reader.String(name);
  auto phone = reader.String("phone");
  if (phone.present) input.typed_phones.push_back({"main", "phone", std::move(phone), {}});
  auto types = reader.StringArray("entityTypes", domain::kMaxContactTypes);
  if (types.present &&
      (!types.value || std::find(types.value->begin(), types.value->end(), kContactEntity) ==
                           types.value->end())) {
    input.errors.Add("entityTypes", "entityTypes must be an array that includes 'Contact'");
  }
  ReadAddress(reader, body);
  body.parent_entity_id = reader.String("parentEntityId");
  if (const auto* primary = reader.Member("primaryContactId"); primary && !primary->is_null()) {
    input.errors.Add("primaryContactId",
                     "primaryContactId belongs to companies; use POST "
                     "/contacts/{id}/set-primary/{companyId}");
  }
  input.custom_fields = ReadCustomValues(reader, "customFields");
  ReadMetadata(reader, body);
  body.is_active = reader.Bool("isActive");
  for (std::string_view ignored : {"id", "organizationId", "createdAt", "updatedAt"}) {
    reader.Member(ignored);
  }
  reader.RejectUnknown();
  return body;
}

std::optional<std::string> StatusAfter(const domain::Input<std::string>& status,
                                       const domain::Input<bool>& is_active,
                                       std::string_view current, domain::FieldErrors& errors) {
  if (!is_active.present) return std::nullopt;
  if (!is_active.value) {
    if (!errors.Has("isActive")) errors.Add("isActive", "isActive must be true or false");
    return std::nullopt;
  }
  bool active = *is_active.value;
  if (status.value) {
    std::string sent = domain::FoldCase(domain::Trim(*status.value));
    if ((sent == "active") != active) {
      errors.Add("isActive", "isActive must be " + std::string(active ? "false" : "true") +
                                 " when status is " + sent);
    }
    return std::nullopt;  // the status sent stands
  }
  if (active) return "active";
  return current == "active" || current.empty() ? std::optional<std::string>("inactive")
                                                 : std::nullopt;
}

http::Response RenderError(const http::RequestContext& context, const domain::Error& error) {
  return RenderError(context, error, StatusOf(error).code);
}

http::Response RenderError(const http::RequestContext& context, const domain::Error& error,
                           std::string_view code) {
  Status status = StatusOf(error);
  std::string message = ClientMessage(context, error);
  if (error.code == domain::ErrorCode::kValidation && !error.fields.empty()) {
    message = "Request data failed validation: " + FieldName(error.fields.front().field) +
              (error.fields.size() > 1 ? " and " + std::to_string(error.fields.size() - 1) +
                                             " more"
                                       : std::string());
  }
  std::string body;
  JsonWriter w(body);
  w.BeginObject();
  w.Key("error").String(code);
  // Messages may quote what a client sent; a JSON body must stay valid UTF-8 whatever it was.
  w.Key("message").String(domain::ToValidUtf8(message));
  w.Key("details").BeginArray();
  for (const domain::FieldError& field : error.fields) {
    std::string name = FieldName(field.field);
    std::string text = field.message;
    if (name != field.field && text.starts_with(field.field)) {
      text = name + text.substr(field.field.size());
    }
    w.BeginObject();
    w.Key("field").String(domain::ToValidUtf8(name));
    w.Key("message").String(domain::ToValidUtf8(text));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  http::Response response = JsonResponse(std::move(body), status.http);
  AddErrorHeaders(error, response);
  return response;
}

http::Response RenderContact(const domain::Contact& contact, const Names& names,
                             unsigned status) {
  std::string body;
  JsonWriter w(body);
  WriteContact(w, contact, names);
  return JsonResponse(std::move(body), status);
}

http::Response RenderContactPage(const store::Page<domain::Contact>& page, std::int64_t number,
                                 int limit, const Names& names) {
  std::string body;
  body.reserve(page.items.size() * 1024 + 128);
  JsonWriter w(body);
  w.BeginObject();
  w.Key("data").BeginArray();
  for (const domain::Contact& contact : page.items) WriteContact(w, contact, names);
  w.EndArray();
  w.Key("total").Int(page.total);
  w.Key("page").Int(number);
  w.Key("limit").Int(limit);
  w.Key("totalPages").Int((page.total + limit - 1) / limit);
  w.EndObject();
  return JsonResponse(std::move(body));
}

http::Response RenderHierarchy(const domain::ReportLinks& hierarchy, const store::Uids& uids) {
  std::string body;
  JsonWriter w(body);
  w.BeginObject();
  std::optional<std::int64_t> manager;
  for (const store::ReportLink& link : hierarchy.links) {
    auto manager_uid = UidOf(uids.contacts, link.manager.value);
    auto uid = UidOf(uids.contacts, link.id.value);
    if (!manager_uid || !uid) continue;
    if (manager != link.manager.value) {
      if (manager) w.EndArray();
      manager = link.manager.value;
      w.Key(*manager_uid).BeginArray();  // a UUID: nothing to escape
    }
    w.BeginObject();
    w.Key("id").String(*uid);
    w.Key("name").OptionalString(link.full_name);
    w.Key("displayName").OptionalString(link.display_name);
    w.Key("metadata").BeginObject();
    w.Key("title").OptionalString(link.title);
    w.Key("department").OptionalString(link.department);
    w.EndObject();
    w.EndObject();
  }
  if (manager) w.EndArray();
  w.EndObject();
  return JsonResponse(std::move(body));
}

http::Response RenderPrimarySet(const domain::Contact& contact, const domain::Company& company) {
  std::string body;
  JsonWriter w(body);
  w.BeginObject();
  w.Key("contact").BeginObject();
  w.Key("id").String(contact.uid);
  w.Key("name").OptionalString(contact.Text(TextField::kFullName));
  w.Key("displayName").OptionalString(contact.Text(TextField::kDisplayName));
  w.Key("email").OptionalString(contact.Text(TextField::kEmail));
  w.Key("parentEntityId").String(company.uid);
  w.EndObject();
  w.Key("company").BeginObject();
  w.Key("id").String(company.uid);
  w.Key("name").String(company.name);
  w.Key("primaryContactId").String(contact.uid);
  w.EndObject();
  w.EndObject();
  return JsonResponse(std::move(body));
}

std::string WebhookPayload(const domain::DueDelivery& delivery) {
  std::string body;
  JsonWriter w(body);
  w.BeginObject();
  if (delivery.kind == "ping" || !delivery.event) {
    w.Key("event").String("ping");
    w.Key("timestamp");
    WriteTimestamp(w, domain::NowSeconds());
    w.Key("data").BeginObject().Key("webhookId").Int(delivery.webhook.id).EndObject();
    w.EndObject();
    return body;
  }
  const domain::Event& event = *delivery.event;
  const std::optional<domain::Contact>& contact = event.contact;
  auto text = [&](TextField field) {
    return contact ? contact->Text(field) : std::optional<std::string>();
  };
  w.Key("event").String(event.type);
  w.Key("timestamp");
  WriteTimestamp(w, event.created_at);
  w.Key("data").BeginObject();
  w.Key("id").OptionalString(delivery.subject_uid);
  w.Key("organizationId").String(delivery.account_uid);
  w.Key("name").OptionalString(text(TextField::kFullName));
  w.Key("email").OptionalString(text(TextField::kEmail));
  w.Key("parentEntityId").OptionalString(delivery.company_uid);
  w.Key("status").OptionalString(text(TextField::kStatus));
  w.EndObject();
  w.EndObject();
  return body;
}

std::string AddressUid(std::string_view contact_uid, std::int64_t address_id) {
  std::string hex =
      domain::Sha256Hex(std::string(contact_uid) + "/address/" + std::to_string(address_id));
  // RFC 9562 version 8 (custom) with the RFC variant: 8-4-4-4-12 hex digits.
  hex[12] = '8';
  hex[16] = "89ab"[hex[16] % 4];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

}  // namespace contactd::api::v1

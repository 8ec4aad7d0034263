#include "api/native/codec.hpp"

#include <algorithm>
#include <array>

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "api/json.hpp"
#include "domain/cursor.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"

namespace contactd::api::native {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 20> kContactOutputFields = {
    "id",        "contact_type",     "contact_types", "company_id", "first_name",
    "last_name", "email",            "title",         "department", "address",
    "city",      "state",            "zip",           "linkedin_url", "phones",
    "is_primary", "is_connected",    "owner_account_id", "created_at", "updated_at",
};

struct Status {
  unsigned http;
  std::string_view code;
};

Status StatusOf(domain::ErrorCode code) {
  switch (code) {
    case domain::ErrorCode::kBadRequest:
      return {400, "bad_request"};
    case domain::ErrorCode::kUnauthorized:
      return {401, "unauthorized"};
    case domain::ErrorCode::kForbidden:
      return {403, "forbidden"};
    case domain::ErrorCode::kNotFound:
      return {404, "not_found"};
    case domain::ErrorCode::kMethodNotAllowed:
      return {405, "method_not_allowed"};
    case domain::ErrorCode::kConflict:
      return {409, "conflict"};
    case domain::ErrorCode::kPayloadTooLarge:
      return {413, "payload_too_large"};
    case domain::ErrorCode::kUriTooLong:
      return {414, "uri_too_long"};
    case domain::ErrorCode::kHeadersTooLarge:
      return {431, "request_header_fields_too_large"};
    case domain::ErrorCode::kUnsupportedMediaType:
      return {415, "unsupported_media_type"};
    case domain::ErrorCode::kValidation:
      return {422, "validation_error"};
    case domain::ErrorCode::kRateLimited:
      return {429, "rate_limited"};
    case domain::ErrorCode::kUnavailable:
      return {503, "service_unavailable"};
    case domain::ErrorCode::kInternal:
      return {500, "internal_error"};
  }
  return {500, "internal_error"};
}

json::value OptionalString(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::object Envelope(const http::RequestContext& context) {
  json::object body;
  body["request_id"] = context.request_id;
  body["timestamp"] = domain::FormatTimestamp(context.received_at);
  return body;
}

http::Response Respond(unsigned status, const json::object& body) {
  http::Response response;
  response.status = status;
  response.body = json::serialize(body);
  return response;
}

// Selects keys: an empty selection means every key.
class Selection {
 public:
  explicit Selection(const std::vector<std::string>& fields) : fields_(fields) {}
  bool operator()(std::string_view key) const {
    return fields_.empty() || std::find(fields_.begin(), fields_.end(), key) != fields_.end();
  }

 private:
  const std::vector<std::string>& fields_;
};

json::object ContactJson(const domain::Contact& contact, const Selection& want) {
  json::object out;
  out.reserve(kContactOutputFields.size());
  out["id"] = contact.id.value;
  if (want("contact_type")) {
    out["contact_type"] = contact.contact_types.empty() ? json::value(nullptr)
                                                        : json::value(contact.contact_types.front());
  }
  if (want("contact_types")) {
    json::array types;
    for (const std::string& type : contact.contact_types) types.emplace_back(type);
    out["contact_types"] = std::move(types);
  }
  if (want("company_id")) {
    out["company_id"] = contact.company ? json::value(contact.company->value) : json::value(nullptr);
  }
  for (std::size_t i = 0; i < domain::kTextFieldCount; ++i) {
    std::string_view name = domain::kTextFieldNames[i];
    if (want(name)) out[name] = OptionalString(contact.text[i]);
  }
  if (want("phones")) {
    json::array phones;
    for (const domain::Phone& phone : contact.phones) {
      phones.push_back(json::object{{"id", nullptr},
                                    {"type", phone.type},
                                    {"raw", phone.raw},
                                    {"country", phone.country},
                                    {"e164", phone.e164},
                                    {"extension", phone.extension}});
    }
    out["phones"] = std::move(phones);
  }
  if (want("is_primary")) out["is_primary"] = contact.is_primary;
  if (want("is_connected")) out["is_connected"] = contact.is_connected;
  if (want("owner_account_id")) out["owner_account_id"] = contact.account.value;
  if (want("created_at")) out["created_at"] = domain::FormatTimestamp(contact.created_at);
  if (want("updated_at")) out["updated_at"] = domain::FormatTimestamp(contact.updated_at);
  return out;
}

json::object CompanyJson(const domain::Company& company) {
  return json::object{
      {"id", company.id.value},
      {"name", company.name},
      {"company_type", OptionalString(company.company_type)},
      {"primary_contact_id",
       company.primary_contact ? json::value(company.primary_contact->value) : json::value(nullptr)},
      {"owner_account_id", company.account.value},
      {"created_at", domain::FormatTimestamp(company.created_at)},
      {"updated_at", domain::FormatTimestamp(company.updated_at)},
  };
}

template <class T>
json::object Pagination(const store::Page<T>& page, const domain::ListQuery& query,
                        const domain::CursorCodec& cursors, std::int64_t last_id) {
  // Keyset cursors follow id order only: a sorted list pages with offset.
  bool keyset = query.sort.empty() && page.has_more && !page.items.empty();
  return json::object{
      {"total", page.total},
      {"limit", query.limit},
      {"has_more", page.has_more},
      {"next_cursor", keyset ? json::value(cursors.Encode(last_id)) : json::value(nullptr)},
  };
}

std::optional<std::vector<domain::PhoneInput>> ReadPhones(ObjectReader& reader) {
  const json::array* array =
      reader.Array("phones", domain::kMaxPhonesPerContact, "phone objects");
  if (array == nullptr) return std::nullopt;
  domain::FieldErrors& errors = reader.errors();
  std::vector<domain::PhoneInput> phones;
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string path = "phones[" + std::to_string(i) + "]";
    if (!(*array)[i].is_object()) {
      errors.Add(path, path + " must be an object with raw, type, country and extension");
      continue;
    }
    ObjectReader phone_reader((*array)[i].get_object(), path, errors);
    domain::PhoneInput phone;
    auto raw = phone_reader.String("raw");
    if (!raw.value) {
      errors.Add(path + ".raw", path + ".raw is required");
    } else {
      phone.raw = std::move(*raw.value);
    }
    phone.type = phone_reader.String("type").value;
    phone.country = phone_reader.String("country").value;
    phone.extension = phone_reader.String("extension").value;
    phone_reader.ReadOnly({"id", "e164"});
    phone_reader.RejectUnknown();
    phones.push_back(std::move(phone));
  }
  return phones;
}

void ReadContactInput(ObjectReader& reader, domain::ContactInput& input,
                      bool allow_created_at = false) {
  input.contact_type = reader.String("contact_type");
  input.contact_types = reader.StringArray("contact_types", domain::kMaxContactTypes);
  input.company_id = reader.Integer("company_id");
  for (std::size_t i = 0; i < domain::kTextFieldCount; ++i) {
    input.text[i] = reader.String(domain::kTextFieldNames[i]);
  }
  input.phones.present = reader.Member("phones") != nullptr;
  input.phones.value = ReadPhones(reader);
  input.is_primary = reader.Bool("is_primary");
  input.is_connected = reader.Bool("is_connected");
  if (allow_created_at) {
    reader.Member("created_at");
    reader.ReadOnly({"id", "uid", "owner_account_id", "updated_at"});
  } else {
    reader.ReadOnly({"id", "uid", "owner_account_id", "created_at", "updated_at"});
  }
}

}  // namespace

std::span<const std::string_view> ContactOutputFields() { return kContactOutputFields; }

domain::Result<domain::ContactInput> ParseContactInput(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::unexpected(object.error());
  domain::ContactInput input;
  ObjectReader reader(*object, "", input.errors);
  ReadContactInput(reader, input);
  reader.RejectUnknown();
  return input;
}

domain::Result<ImportRow> ParseImportRow(std::string_view line) {
  auto object = ParseObject(line);
  if (!object) return std::unexpected(object.error());
  ImportRow row;
  domain::FieldErrors& errors = row.input.errors;
  ObjectReader reader(*object, "", errors);
  ReadContactInput(reader, row.input, /*allow_created_at=*/true);
  auto company_name = reader.String("company_name");
  if (company_name.present && !company_name.value) {
    errors.Add("company_name", "company_name must be a string");
  }
  row.company_name = std::move(company_name.value);
  // An import may keep the original creation time of records moved from another system.
  if (const json::value* created = object->if_contains("created_at")) {
    if (created->is_string()) row.created_at = domain::ParseTimestamp(created->get_string());
    if (!row.created_at) {
      errors.Add("created_at", "created_at must be an ISO 8601 date-time");
    } else if (*row.created_at < 0) {
      errors.Add("created_at", "created_at must not be before 1970-01-01T00:00:00Z");
    } else if (*row.created_at > domain::NowSeconds()) {
      errors.Add("created_at", "created_at must not be in the future");
    }
  }
  reader.RejectUnknown();
  return row;
}

domain::Result<domain::CompanyInput> ParseCompanyInput(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::unexpected(object.error());
  domain::CompanyInput input;
  ObjectReader reader(*object, "", input.errors);
  input.name = reader.String("name");
  input.company_type = reader.String("company_type");
  reader.ReadOnly({"id", "uid", "primary_contact_id", "owner_account_id", "created_at",
                   "updated_at"});
  reader.RejectUnknown();
  return input;
}

http::Response RenderContact(const http::RequestContext& context, const domain::Contact& contact,
                             unsigned status) {
  static const std::vector<std::string> kAll;
  json::object body = Envelope(context);
  body["data"] = ContactJson(contact, Selection(kAll));
  return Respond(status, body);
}

http::Response RenderContactPage(const http::RequestContext& context,
                                 const store::Page<domain::Contact>& page,
                                 const domain::ListQuery& query,
                                 const domain::CursorCodec& cursors) {
  Selection want(query.fields);
  json::array data;
  data.reserve(page.items.size());
  for (const domain::Contact& contact : page.items) data.push_back(ContactJson(contact, want));
  json::object body = Envelope(context);
  body["data"] = std::move(data);
  body["pagination"] = Pagination(page, query, cursors,
                                  page.items.empty() ? 0 : page.items.back().id.value);
  return Respond(200, body);
}

http::Response RenderCompany(const http::RequestContext& context, const domain::Company& company,
                             unsigned status) {
  json::object body = Envelope(context);
  body["data"] = CompanyJson(company);
  return Respond(status, body);
}

http::Response RenderCompanyPage(const http::RequestContext& context,
                                 const store::Page<domain::Company>& page,
                                 const domain::ListQuery& query,
                                 const domain::CursorCodec& cursors) {
  json::array data;
  data.reserve(page.items.size());
  for (const domain::Company& company : page.items) data.push_back(CompanyJson(company));
  json::object body = Envelope(context);
  body["data"] = std::move(data);
  body["pagination"] = Pagination(page, query, cursors,
                                  page.items.empty() ? 0 : page.items.back().id.value);
  return Respond(200, body);
}

http::Response RenderError(const http::RequestContext& context, const domain::Error& error) {
  Status status = StatusOf(error.code);
  std::string message = error.message;
  if (error.code == domain::ErrorCode::kInternal || error.code == domain::ErrorCode::kUnavailable) {
    spdlog::error("request {}: {}", context.request_id, error.message);
    message = error.code == domain::ErrorCode::kInternal
                  ? "An unexpected error occurred"
                  : "The service is temporarily unavailable; retry shortly";
  }
  // Messages may quote what a client sent; a JSON body must stay valid UTF-8 whatever it was.
  json::array details;
  for (const domain::FieldError& field : error.fields) {
    details.push_back(json::object{{"field", domain::ToValidUtf8(field.field)},
                                   {"message", domain::ToValidUtf8(field.message)}});
  }
  json::object body = Envelope(context);
  body["error"] = json::object{{"code", status.code},
                               {"message", domain::ToValidUtf8(message)},
                               {"details", std::move(details)}};
  http::Response response = Respond(status.http, body);
  if (error.code == domain::ErrorCode::kUnauthorized) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  if (error.code == domain::ErrorCode::kUnavailable) {
    response.headers.emplace_back("Retry-After", "1");
  }
  return response;
}

}  // namespace contactd::api::native

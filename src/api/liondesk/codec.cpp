#include "api/liondesk/codec.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include "api/json.hpp"
#include "api/json_writer.hpp"
#include "api/params.hpp"
#include "api/responses.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"

namespace contactd::api::liondesk {
namespace {

using domain::TextField;

constexpr std::array<std::string_view, 26> kRecordMembers = {
    "id",           "owner_user_id", "assigned_user_id", "first_name",   "last_name",
    "email",        "mobile_phone",  "home_phone",       "office_phone", "fax",
    "company",      "birthday",      "anniversary",      "spouse_name",  "spouse_email",
    "spouse_phone", "spouse_birthday", "tags",           "created_at",   "modified_at",
    "hotness_id",   "source_id",     "addresses",        "hotness",      "custom_fields",
    "source"};

constexpr std::array<std::pair<std::string_view, TextField>, 5> kTextMembers = {{
    {"first_name", TextField::kFirstName},
    {"last_name", TextField::kLastName},
    {"email", TextField::kEmail},
    {"birthday", TextField::kBirthday},
    {"anniversary", TextField::kAnniversary},
}};

// The members that are a contact's number of one type.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kPhoneMembers = {{
    {"mobile_phone", "mobile"},
    {"home_phone", "home"},
    {"office_phone", "office"},
    {"fax", "fax"},
}};

// The seed's limits, in characters, on the text it sends.
constexpr std::array<std::pair<std::string_view, std::size_t>, 13> kLimits = {{
    {"first_name", 255},
    {"last_name", 255},
    {"email", 255},
    {"mobile_phone", 255},
    {"home_phone", 45},
    {"office_phone", 45},
    {"fax", 45},
    {"company", 45},
    {"birthday", 45},
    {"anniversary", 45},
    {"spouse_name", 45},
    {"spouse_email", 45},
    {"tags", 508},
}};

// Seed 002's names of custom field data types (its example shows "Number"), by
// domain::CustomFieldType.
constexpr std::array<std::string_view, 11> kDataTypes = {
    "Text", "Text Area", "Number", "Boolean", "Date", "DateTime", "Select", "Multi Select",
    "URL",  "Email",     "Phone"};
static_assert(kDataTypes.size() == domain::kCustomFieldTypeNames.size());

std::size_t Index(TextField field) { return static_cast<std::size_t>(field); }

// Records an error when a string member is longer than the seed allows.
void CheckLimit(std::string_view member, const domain::Input<std::string>& input,
                domain::FieldErrors& errors) {
  if (!input.value) return;
  for (const auto& [name, limit] : kLimits) {
    if (name == member && domain::Utf8Length(*input.value) > limit) {
      errors.Add(std::string(member),
                 std::string(member) + " must be at most " + std::to_string(limit) +
                     " characters");
    }
  }
}

domain::Input<std::string> LimitedString(ObjectReader& reader, std::string_view member) {
  domain::Input<std::string> input = reader.String(member);
  CheckLimit(member, input, reader.errors());
  return input;
}

// An id given as an integer or, as the seed's PATCH does ("2"), a string of digits.
domain::Input<std::int64_t> IdMember(ObjectReader& reader, std::string_view member) {
  const boost::json::value* value = reader.Member(member);
  if (value == nullptr || !value->is_string()) return reader.Integer(member);
  domain::Input<std::int64_t> input{true, std::nullopt};
  input.value = ParseIntIn(value->get_string(), std::numeric_limits<std::int64_t>::min(),
                           std::numeric_limits<std::int64_t>::max());
  if (!input.value) {
    reader.errors().Add(std::string(member),
                        std::string(member) + " must be an integer or a string of digits");
  }
  return input;
}

// The seed's tags string: the tags between its commas, trimmed; null or "" for none.
domain::Input<std::vector<std::string>> ReadTags(ObjectReader& reader) {
  domain::Input<std::string> text = LimitedString(reader, "tags");
  domain::Input<std::vector<std::string>> tags{text.present, std::nullopt};
  if (!text.present || reader.errors().Has("tags")) return tags;
  tags.value.emplace();
  std::string_view rest = text.value ? std::string_view(*text.value) : std::string_view();
  while (!rest.empty()) {
    std::size_t comma = rest.find(',');
    std::string_view tag = domain::Trim(rest.substr(0, comma));
    if (!tag.empty()) tags.value->emplace_back(tag);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return tags;
}

domain::Input<std::vector<domain::AddressInput>> ReadAddresses(ObjectReader& reader) {
  domain::Input<std::vector<domain::AddressInput>> input;
  input.present = reader.Member("addresses") != nullptr;
  auto objects =
      reader.ObjectArray("addresses", domain::kMaxAddressesPerContact, "address objects");
  if (!objects) return input;
  input.value.emplace();
  for (const auto& [path, object] : *objects) {
    ObjectReader nested(*object, path, reader.errors());
    domain::AddressInput address;
    address.id = nested.Integer("id");
    address.type = nested.String("type");
    address.line1 = nested.String("street_address_1");
    address.line2 = nested.String("street_address_2");
    address.postal_code = nested.String("zip");
    address.city = nested.String("city");
    address.state = nested.String("state");
    nested.Member("created_at");  // shown as null: the seed's addresses keep no times here
    nested.Member("modified_at");
    nested.RejectUnknown();
    input.value->push_back(std::move(address));
  }
  return input;
}

// [{id, value}]: each id names one of the account's custom fields.
domain::Input<std::vector<domain::CustomValueInput>> ReadCustomFields(
    ObjectReader& reader, std::span<const domain::CustomField> fields) {
  domain::Input<std::vector<domain::CustomValueInput>> input;
  input.present = reader.Member("custom_fields") != nullptr;
  auto objects = reader.ObjectArray("custom_fields", domain::kMaxCustomFieldsPerAccount,
                                   "{id, value} objects");
  if (!objects) return input;
  input.value.emplace();
  for (const auto& [path, object] : *objects) {
    ObjectReader nested(*object, path, reader.errors());
    domain::Input<std::int64_t> id = nested.Integer("id");
    const boost::json::value* value = nested.Member("value");
    // Read back as a record shows it: the definition's own members are not the value.
    for (std::string_view shown : {"user_id", "name", "rank", "data_type"}) nested.Member(shown);
    nested.RejectUnknown();
    auto field = std::find_if(fields.begin(), fields.end(), [&](const domain::CustomField& f) {
      return id.value && f.id.value == *id.value;
    });
    if (field == fields.end()) {
      if (!reader.errors().Has(path + ".id")) {
        reader.errors().Add(path + ".id",
                            path + ".id must be the id of a custom field of your account");
      }
      continue;
    }
    if (value == nullptr) {
      reader.errors().Add(path + ".value", path + ".value is required (null removes it)");
      continue;
    }
    input.value->push_back(ReadCustomValue(field->key, *value));
  }
  return input;
}

void WriteTimestamp(JsonWriter& w, std::int64_t unix_seconds) {
  w.String(domain::FormatTimestampMs(unix_seconds * 1000));
}

std::optional<std::string> JoinedTags(const std::vector<std::string>& tags) {
  if (tags.empty()) return std::nullopt;
  std::string joined;
  for (const std::string& tag : tags) {
    if (!joined.empty()) joined += ',';
    joined += tag;
  }
  return joined;
}

void WriteAddresses(JsonWriter& w, const domain::Contact& contact) {
  w.BeginArray();
  for (const domain::Address& a : contact.addresses) {
    w.BeginObject();
    w.Key("id").Int(a.id);
    w.Key("type").OptionalString(a.type);
    w.Key("street_address_1").OptionalString(a.line1);
    w.Key("street_address_2").OptionalString(a.line2);
    w.Key("zip").OptionalString(a.postal_code);
    w.Key("city").OptionalString(a.city);
    w.Key("state").OptionalString(a.state);
    w.Key("created_at").Null();
    w.Key("modified_at").Null();
    w.EndObject();
  }
  w.EndArray();
}

void WriteCustomFields(JsonWriter& w, const domain::Contact& contact, const View& view) {
  w.BeginArray();
  for (const domain::CustomField& field : view.extras.custom_fields) {
    w.BeginObject();
    w.Key("id").Int(field.id.value);
    w.Key("user_id").Null();  // definitions are the account's, not one user's
    w.Key("name").String(field.name);
    w.Key("rank").Int(field.rank);
    w.Key("data_type").String(kDataTypes[static_cast<std::size_t>(field.type)]);
    w.Key("value");
    auto value = contact.custom_fields.find(field.key);
    if (value == contact.custom_fields.end()) {
      w.Null();
    } else {
      WriteCustomValue(w, value->second);
    }
    w.EndObject();
  }
  w.EndArray();
}

void WriteSource(JsonWriter& w, const domain::Contact& contact, const View& view) {
  const std::vector<domain::Source>& sources = view.extras.sources;
  auto source = std::find_if(sources.begin(), sources.end(),
                             [&](const domain::Source& s) { return s.id == contact.source_id; });
  if (!contact.source_id || source == sources.end()) {
    w.Null();
    return;
  }
  w.BeginObject();
  w.Key("id").Int(source->id);
  w.Key("name").String(source->name);
  w.Key("user_id").Null();  // sources are the account's
  w.Key("created_at");
  WriteTimestamp(w, source->created_at);
  w.EndObject();
}

void WriteRecord(JsonWriter& w, const domain::Contact& contact, const View& view) {
  auto member = [&](std::string_view name) {
    bool wanted = view.select.empty() || name == "id" ||
                  std::find(view.select.begin(), view.select.end(), name) != view.select.end();
    if (wanted) w.Key(name);
    return wanted;
  };
  auto text = [&](TextField field) -> const std::optional<std::string>& {
    return contact.Text(field);
  };
  auto spouse = [&](std::optional<std::string> domain::Spouse::*value) {
    return contact.spouse ? (*contact.spouse).*value : std::nullopt;
  };
  w.BeginObject();
  if (member("id")) w.Int(contact.id.value);
  if (member("owner_user_id")) {
    w.OptionalInt(contact.owner_user ? std::optional(contact.owner_user->value) : std::nullopt);
  }
  if (member("assigned_user_id")) {
    w.OptionalInt(contact.assigned_user ? std::optional(contact.assigned_user->value)
                                        : std::nullopt);
  }
  for (TextField field : {TextField::kFirstName, TextField::kLastName, TextField::kEmail}) {
    if (member(domain::TextFieldName(field))) w.OptionalString(text(field));
  }
  for (const auto& [name, type] : kPhoneMembers) {
    if (member(name)) w.OptionalString(contact.RawPhoneOfType(type));
  }
  if (member("company")) {
    std::optional<std::string> company;
    if (contact.company) {
      auto found = view.extras.company_names.find(contact.company->value);
      if (found != view.extras.company_names.end()) company = found->second;
    }
    w.OptionalString(company);
  }
  if (member("birthday")) w.OptionalString(text(TextField::kBirthday));
  if (member("anniversary")) w.OptionalString(text(TextField::kAnniversary));
  if (member("spouse_name")) w.OptionalString(spouse(&domain::Spouse::name));
  if (member("spouse_email")) w.OptionalString(spouse(&domain::Spouse::email));
  if (member("spouse_phone")) {
    auto raw = spouse(&domain::Spouse::phone_raw);
    w.OptionalString(raw ? raw : spouse(&domain::Spouse::phone));
  }
  if (member("spouse_birthday")) w.OptionalString(spouse(&domain::Spouse::birthday));
  if (member("tags")) w.OptionalString(JoinedTags(contact.tags));
  if (member("created_at")) WriteTimestamp(w, contact.created_at);
  if (member("modified_at")) WriteTimestamp(w, contact.updated_at);
  if (member("hotness_id")) {
    w.OptionalInt(contact.hotness ? std::optional(contact.hotness->id) : std::nullopt);
  }
  if (member("source_id")) w.OptionalInt(contact.source_id);
  if (member("addresses")) WriteAddresses(w, contact);
  if (member("hotness")) {
    if (contact.hotness) {
      w.BeginObject();
      w.Key("name").String(contact.hotness->name);
      w.Key("rank").Int(contact.hotness->rank);
      w.Key("color").OptionalString(contact.hotness->color);
      w.EndObject();
    } else {
      w.Null();
    }
  }
  if (member("custom_fields")) WriteCustomFields(w, contact, view);
  if (member("source")) WriteSource(w, contact, view);
  w.EndObject();
}

// Feathers' error classes by status: the name, and the className it shows.
struct ErrorClass {
  unsigned code;
  std::string_view name;
  std::string_view class_name;
};

ErrorClass ClassOf(domain::ErrorCode code) {
  using domain::ErrorCode;
  switch (code) {
    case ErrorCode::kBadRequest:
    case ErrorCode::kValidation:
      return {400, "BadRequest", "bad-request"};
    case ErrorCode::kUnauthorized:
      return {401, "NotAuthenticated", "not-authenticated"};
    case ErrorCode::kForbidden:
      return {403, "Forbidden", "forbidden"};
    case ErrorCode::kNotFound:
      return {404, "NotFound", "not-found"};
    case ErrorCode::kMethodNotAllowed:
      return {405, "MethodNotAllowed", "method-not-allowed"};
    case ErrorCode::kConflict:
      return {409, "Conflict", "conflict"};
    case ErrorCode::kGone:
      return {410, "Gone", "gone"};
    // Feathers has no classes for these: named in its style.
    case ErrorCode::kPreconditionFailed:
      return {412, "PreconditionFailed", "precondition-failed"};
    case ErrorCode::kPayloadTooLarge:
      return {413, "PayloadTooLarge", "payload-too-large"};
    case ErrorCode::kUriTooLong:
      return {414, "UriTooLong", "uri-too-long"};
    case ErrorCode::kUnsupportedMediaType:
      return {415, "UnsupportedMediaType", "unsupported-media-type"};
    case ErrorCode::kHeadersTooLarge:
      return {431, "RequestHeaderFieldsTooLarge", "request-header-fields-too-large"};
    case ErrorCode::kIdempotencyMismatch:
      return {422, "Unprocessable", "unprocessable"};
    case ErrorCode::kRateLimited:
      return {429, "TooManyRequests", "too-many-requests"};
    case ErrorCode::kUnavailable:
      return {503, "Unavailable", "unavailable"};
    case ErrorCode::kInternal:
      break;
  }
  return {500, "GeneralError", "general-error"};
}

}  // namespace

std::span<const std::string_view> RecordMembers() { return kRecordMembers; }

std::string FieldName(std::string_view name) {
  if (name.starts_with("spouse.")) return "spouse_" + std::string(name.substr(7));
  if (name == "company_name" || name == "company_id") return "company";
  if (name == "updated_at") return "modified_at";
  if (name.starts_with("tags")) return "tags";
  if (name.starts_with("custom_fields.")) return "custom_fields";
  if (name.starts_with("addresses[")) {
    std::string path(name);
    for (auto [from, to] : {std::pair{".line1", ".street_address_1"},
                            std::pair{".line2", ".street_address_2"},
                            std::pair{".postal_code", ".zip"}}) {
      if (path.ends_with(from)) {
        path.replace(path.size() - std::string_view(from).size(), std::string_view::npos, to);
      }
    }
    return path;
  }
  return std::string(name);
}

domain::ContactInput ParseContactBody(const boost::json::object& body, bool create,
                                      std::span<const domain::CustomField> fields) {
  domain::ContactInput input;
  ObjectReader reader(body, "", input.errors);
  for (const auto& [name, field] : kTextMembers) {
    input.text[Index(field)] = LimitedString(reader, name);
  }
  for (const auto& [name, type] : kPhoneMembers) {
    auto raw = LimitedString(reader, name);
    if (raw.present) input.typed_phones.push_back({std::string(type), std::string(name), raw, {}});
  }
  input.company_name = LimitedString(reader, "company");
  domain::SpouseInput spouse;
  spouse.name = LimitedString(reader, "spouse_name");
  spouse.email = LimitedString(reader, "spouse_email");
  spouse.phone = reader.String("spouse_phone");
  spouse.birthday = reader.String("spouse_birthday");
  if (spouse.name.present || spouse.email.present || spouse.phone.present ||
      spouse.birthday.present) {
    input.spouse = {true, std::move(spouse)};
    input.spouse_members = true;
  }
  input.tags = ReadTags(reader);
  input.assigned_user_id = IdMember(reader, "assigned_user_id");
  input.hotness_id = IdMember(reader, "hotness_id");
  input.source_id = IdMember(reader, "source_id");
  input.addresses = ReadAddresses(reader);
  input.custom_fields = ReadCustomFields(reader, fields);
  if (create) {
    input.created_at = reader.String("created_at");
    input.updated_at = reader.String("modified_at");
  }
  for (std::string_view ignored : {"id", "owner_user_id", "hotness", "source", "created_at",
                                   "modified_at"}) {
    reader.Member(ignored);
  }
  reader.RejectUnknown();
  return input;
}

http::Response RenderError(const http::RequestContext& context, const domain::Error& error) {
  ErrorClass kind = ClassOf(error.code);
  std::string message = ClientMessage(context, error);
  std::vector<std::pair<std::string, std::string>> fields = NamedFieldErrors(error, FieldName);
  if (error.code == domain::ErrorCode::kValidation && !fields.empty()) {
    message = fields.front().second;
  }
  std::string body;
  JsonWriter w(body);
  w.BeginObject();
  w.Key("name").String(kind.name);
  // Messages may quote what a client sent; a JSON body must stay valid UTF-8 whatever it was.
  w.Key("message").String(domain::ToValidUtf8(message));
  w.Key("code").Int(kind.code);
  w.Key("className").String(kind.class_name);
  w.Key("errors").BeginObject();
  for (const auto& [name, text] : fields) {
    // Field names may hold what a client sent (an unknown member).
    w.EscapedKey(domain::ToValidUtf8(name)).String(domain::ToValidUtf8(text));
  }
  w.EndObject();
  w.EndObject();
  http::Response response = JsonResponse(std::move(body), kind.code);
  AddErrorHeaders(error, response);
  return response;
}

http::Response RenderContact(const domain::Contact& contact, const View& view, unsigned status) {
  std::string body;
  JsonWriter w(body);
  WriteRecord(w, contact, view);
  return JsonResponse(std::move(body), status);
}

http::Response RenderContactPage(std::span<const domain::Contact> contacts, std::int64_t total,
                                 std::int64_t limit, std::int64_t skip, const View& view) {
  std::string body;
  body.reserve(contacts.size() * 1024 + 64);
  JsonWriter w(body);
  w.BeginObject();
  w.Key("total").Int(total);
  w.Key("limit").Int(limit);
  w.Key("skip").Int(skip);
  w.Key("data").BeginArray();
  for (const domain::Contact& contact : contacts) WriteRecord(w, contact, view);
  w.EndArray();
  w.EndObject();
  return JsonResponse(std::move(body));
}

}  // namespace contactd::api::liondesk

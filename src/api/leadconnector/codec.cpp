#include "api/leadconnector/codec.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include "api/json.hpp"
#include "api/json_writer.hpp"
#include "api/params.hpp"
#include "api/responses.hpp"
#include "domain/custom_fields.hpp"
#include "domain/locale.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"

namespace contactd::api::leadconnector {
namespace {

using domain::TextField;

constexpr std::size_t Index(TextField field) { return static_cast<std::size_t>(field); }

// The contact's single-valued text members, by the seed's names.
constexpr std::array<std::pair<std::string_view, TextField>, 13> kTextMembers = {{
    {"firstName", TextField::kFirstName},
    {"lastName", TextField::kLastName},
    {"name", TextField::kFullName},
    {"email", TextField::kEmail},
    {"address1", TextField::kAddress},
    {"city", TextField::kCity},
    {"state", TextField::kState},
    {"postalCode", TextField::kZip},
    {"country", TextField::kCountry},
    {"website", TextField::kWebsite},
    {"timezone", TextField::kTimezone},
    {"source", TextField::kSource},
    {"dateOfBirth", TextField::kBirthday},
}};

// dndSettings' channels: the seed's key for each of domain::kDndChannels, in its order.
constexpr std::array<std::string_view, 6> kDndKeys = {"Call",     "Email", "SMS",
                                                      "WhatsApp", "GMB",   "FB"};
static_assert(kDndKeys.size() == domain::kDndChannels.size());

// The number seed 004's one phone stands for: a write sets the contact's mobile number.
constexpr std::string_view kPhoneType = "mobile";

// HighLevel's custom field keys read "contact.<key>"; contactd's are the <key>.
constexpr std::string_view kKeyPrefix = "contact.";

// assignedTo: a user's id as a string (or a number), null to unassign.
domain::Input<std::int64_t> ReadUserId(ObjectReader& reader, std::string_view key) {
  domain::Input<std::int64_t> input;
  const boost::json::value* value = reader.Member(key);
  if (value == nullptr) return input;
  input.present = true;
  if (value->is_null()) return input;
  std::optional<std::int64_t> id;
  if (value->is_string()) {
    id = ParseIntIn(std::string_view(value->get_string()), 1,
                    std::numeric_limits<std::int64_t>::max());
  } else if (value->is_int64() && value->get_int64() > 0) {
    id = value->get_int64();
  }
  if (!id) {
    reader.errors().Add(reader.Path(key),
                        reader.Path(key) + " must be the id of a user of your account");
  }
  input.value = id;
  return input;
}

// The definition a customFields entry names: by `id` (the definition's id, a string or a
// number), else by `key` (with or without HighLevel's "contact." prefix).
const domain::CustomField* NamedField(ObjectReader& entry, const std::string& path,
                                      std::span<const domain::CustomField> fields) {
  const boost::json::value* id = entry.Member("id");
  const boost::json::value* key = entry.Member("key");
  if (id != nullptr && !id->is_null()) {
    std::optional<std::int64_t> number;
    if (id->is_string()) {
      number = ParseIntIn(std::string_view(id->get_string()), 1,
                          std::numeric_limits<std::int64_t>::max());
    } else if (id->is_int64()) {
      number = id->get_int64();
    }
    for (const domain::CustomField& field : fields) {
      if (number && field.id.value == *number) return &field;
    }
    entry.errors().Add(path + ".id",
                       path + ".id must be the id of a custom field of this location");
    return nullptr;
  }
  if (key != nullptr && key->is_string()) {
    std::string_view name = key->get_string();
    if (name.starts_with(kKeyPrefix)) name.remove_prefix(kKeyPrefix.size());
    if (const domain::CustomField* field = domain::FindCustomField(fields, name)) return field;
    entry.errors().Add(path + ".key",
                       path + ".key must be the key of a custom field of this location");
    return nullptr;
  }
  entry.errors().Add(path + ".id", path + " must name its custom field by id or key");
  return nullptr;
}

// customFields: [{id, value}] as the seed writes it, or [{id|key, field_value}] as HighLevel's
// API also takes it.
domain::Input<std::vector<domain::CustomValueInput>> ReadCustomFields(
    ObjectReader& reader, std::span<const domain::CustomField> fields) {
  domain::Input<std::vector<domain::CustomValueInput>> input;
  input.present = reader.Member("customFields") != nullptr;
  auto objects =
      reader.ObjectArray("customFields", domain::kMaxCustomFieldsPerAccount, "{id, value} objects");
  if (!objects) return input;
  input.value.emplace();
  for (const auto& [path, object] : *objects) {
    ObjectReader entry(*object, path, reader.errors());
    const domain::CustomField* field = NamedField(entry, path, fields);
    const boost::json::value* value = entry.Member("value");
    const boost::json::value* field_value = entry.Member("field_value");
    entry.RejectUnknown();
    if (field == nullptr) continue;
    if (value != nullptr && field_value != nullptr) {
      reader.errors().Add(path + ".value", path + " takes value or field_value, not both");
      continue;
    }
    if (value == nullptr) value = field_value;
    if (value == nullptr) {
      reader.errors().Add(path + ".value", path + ".value is required (null removes it)");
      continue;
    }
    input.value->push_back(ReadCustomValue(field->key, *value));
  }
  return input;
}

struct Status {
  unsigned code;
  std::string_view reason;
};

Status StatusOf(const domain::Error& error) {
  using domain::ErrorCode;
  switch (error.code) {
    case ErrorCode::kBadRequest:
      return {400, "Bad Request"};
    case ErrorCode::kValidation:
    case ErrorCode::kIdempotencyMismatch:
      return {422, "Unprocessable Entity"};
    case ErrorCode::kUnauthorized:
      return {401, "Unauthorized"};
    case ErrorCode::kForbidden:
      if (error.reason == domain::ErrorReason::kTokenScope) return {401, "Unauthorized"};
      return {403, "Forbidden"};
    case ErrorCode::kNotFound:
      return {404, "Not Found"};
    case ErrorCode::kMethodNotAllowed:
      return {405, "Method Not Allowed"};
    case ErrorCode::kConflict:
      // HighLevel refuses a duplicate contact with 400; other conflicts keep their 409.
      if (error.reason == domain::ErrorReason::kDuplicateContact) return {400, "Bad Request"};
      return {409, "Conflict"};
    case ErrorCode::kGone:
      return {410, "Gone"};
    case ErrorCode::kPreconditionFailed:
      return {412, "Precondition Failed"};
    case ErrorCode::kPayloadTooLarge:
      return {413, "Payload Too Large"};
    case ErrorCode::kUriTooLong:
      return {414, "URI Too Long"};
    case ErrorCode::kUnsupportedMediaType:
      return {415, "Unsupported Media Type"};
    case ErrorCode::kHeadersTooLarge:
      return {431, "Request Header Fields Too Large"};
    case ErrorCode::kRateLimited:
      return {429, "Too Many Requests"};
    case ErrorCode::kUnavailable:
      return {503, "Service Unavailable"};
    case ErrorCode::kInternal:
      break;
  }
  return {500, "Internal Server Error"};
}

void WriteTimestamp(JsonWriter& w, std::int64_t unix_seconds) {
  w.String(domain::FormatTimestampMs(unix_seconds * 1000));
}

void OptionalMember(JsonWriter& w, std::string_view key, const std::optional<std::string>& value) {
  if (value) w.Key(key).String(*value);
}

// Seed 004's one phone: the contact's first mobile number, else its first number; E.164 where it
// parsed.
std::optional<std::string> ShownPhone(const domain::Contact& contact) {
  const domain::Phone* shown = nullptr;
  for (const domain::Phone& phone : contact.phones) {
    if (phone.type == kPhoneType) {
      shown = &phone;
      break;
    }
    if (shown == nullptr) shown = &phone;
  }
  if (shown == nullptr) return std::nullopt;
  return shown->e164.empty() ? shown->raw : shown->e164;
}

void WriteContact(JsonWriter& w, const domain::Contact& contact, const View& view) {
  auto text = [&](TextField field) -> const std::optional<std::string>& {
    return contact.Text(field);
  };
  w.BeginObject();
  // The seed's members first, in its order.
  w.Key("id").String(std::to_string(contact.id.value));
  OptionalMember(w, "firstName", text(TextField::kFirstName));
  OptionalMember(w, "lastName", text(TextField::kLastName));
  OptionalMember(w, "name", text(TextField::kFullName));
  OptionalMember(w, "email", text(TextField::kEmail));
  OptionalMember(w, "phone", ShownPhone(contact));
  w.Key("locationId").String(view.location_id);
  w.Key("tags").BeginArray();
  for (const std::string& tag : contact.tags) w.String(tag);
  w.EndArray();
  OptionalMember(w, "source", text(TextField::kSource));
  if (contact.company) {
    auto name = view.company_names.find(contact.company->value);
    if (name != view.company_names.end()) w.Key("companyName").String(name->second);
  }
  OptionalMember(w, "address1", text(TextField::kAddress));
  OptionalMember(w, "city", text(TextField::kCity));
  OptionalMember(w, "state", text(TextField::kState));
  OptionalMember(w, "postalCode", text(TextField::kZip));
  OptionalMember(w, "country", text(TextField::kCountry));
  OptionalMember(w, "timezone", text(TextField::kTimezone));
  // Then the members of HighLevel's contact schema the seed's example leaves out.
  OptionalMember(w, "website", text(TextField::kWebsite));
  OptionalMember(w, "dateOfBirth", text(TextField::kBirthday));
  w.Key("dnd").Bool(contact.dnd);
  if (!contact.dnd_settings.empty()) {
    w.Key("dndSettings").BeginObject();
    for (const domain::DndChannel& channel : contact.dnd_settings) {
      auto known =
          std::find(domain::kDndChannels.begin(), domain::kDndChannels.end(), channel.channel);
      if (known == domain::kDndChannels.end()) continue;
      w.Key(kDndKeys[static_cast<std::size_t>(known - domain::kDndChannels.begin())]);
      w.BeginObject();
      w.Key("status").String(channel.status);
      if (channel.message) w.Key("message").String(*channel.message);
      if (channel.code) w.Key("code").String(*channel.code);
      w.EndObject();
    }
    w.EndObject();
  }
  w.Key("customFields").BeginArray();
  for (const auto& [key, value] : contact.custom_fields) {
    auto id = view.custom_field_ids.find(key);
    w.BeginObject();
    w.Key("id").String(id != view.custom_field_ids.end() ? std::to_string(id->second) : key);
    w.Key("value");
    WriteCustomValue(w, value);
    w.EndObject();
  }
  w.EndArray();
  if (contact.assigned_user) {
    w.Key("assignedTo").String(std::to_string(contact.assigned_user->value));
  }
  w.Key("dateAdded");
  WriteTimestamp(w, contact.created_at);
  w.Key("dateUpdated");
  WriteTimestamp(w, contact.updated_at);
  w.EndObject();
}

}  // namespace

std::string FieldName(std::string_view name) {
  for (const auto& [member, field] : kTextMembers) {
    if (name == domain::TextFieldName(field)) return std::string(member);
  }
  if (name.starts_with("dnd_settings.")) {
    std::string_view channel = name.substr(13);
    for (std::size_t i = 0; i < kDndKeys.size(); ++i) {
      if (channel.starts_with(domain::kDndChannels[i])) {
        return "dndSettings." + std::string(kDndKeys[i]) +
               std::string(channel.substr(domain::kDndChannels[i].size()));
      }
    }
    return "dndSettings";
  }
  if (name == "dnd_settings") return "dndSettings";
  if (name == "company_name" || name == "company_id") return "companyName";
  if (name == "assigned_user_id") return "assignedTo";
  if (name == "created_at") return "dateAdded";
  if (name == "updated_at") return "dateUpdated";
  if (name.starts_with("tags")) return "tags";
  // Each custom field's own errors, by its key (one list would keep only the first).
  if (name.starts_with("custom_fields.")) return "customFields." + std::string(name.substr(14));
  if (name.starts_with("custom_fields")) return "customFields";
  if (name.starts_with("phones")) return "phone";
  return std::string(name);
}

ContactBody ParseContactBody(const boost::json::object& body, BodyKind kind,
                             std::span<const domain::CustomField> fields) {
  ContactBody parsed;
  domain::ContactInput& input = parsed.input;
  ObjectReader reader(body, "", input.errors);
  for (const auto& [name, field] : kTextMembers) input.text[Index(field)] = reader.String(name);
  if (auto raw = reader.String("phone"); raw.present) {
    // A number without a '+' is read in the contact's country when the body sends one (one
    // that is none is the country's error alone; the account's then reads the number).
    const auto& country = input.text[Index(TextField::kCountry)].value;
    std::optional<std::string> hint =
        country ? domain::IsoCountry(domain::Trim(*country)) : std::nullopt;
    input.typed_phones.push_back({std::string(kPhoneType), "phone", std::move(raw), hint});
  }
  input.company_name = reader.String("companyName");
  input.tags = reader.StringArray("tags", domain::kMaxTagsPerContact);
  input.dnd = reader.Bool("dnd");
  input.dnd_settings = ReadDndSettings(reader, "dndSettings", kDndKeys);
  input.custom_fields = ReadCustomFields(reader, fields);
  input.assigned_user_id = ReadUserId(reader, "assignedTo");
  parsed.location_id = reader.String("locationId");
  if (kind == BodyKind::kUpsert) {
    auto duplicate = reader.Bool("createNewIfDuplicateAllowed");
    if (duplicate.value.value_or(false)) {
      input.errors.Add("createNewIfDuplicateAllowed",
                       "createNewIfDuplicateAllowed is not supported: an upsert updates the "
                       "contact it matches; POST /contacts/ creates one");
    }
  }
  // HighLevel takes these; contactd has nowhere to keep them, and says so rather than drop them.
  for (std::string_view unsupported : {"gender", "inboundDndSettings"}) {
    if (reader.Member(unsupported) != nullptr) {
      input.errors.Add(std::string(unsupported),
                       std::string(unsupported) + " is not supported by this server");
    }
  }
  reader.RejectUnknown();
  return parsed;
}

http::Response RenderError(const http::RequestContext& context, const domain::Error& error) {
  Status status = StatusOf(error);
  std::vector<std::pair<std::string, std::string>> fields = NamedFieldErrors(error, FieldName);
  std::string body;
  JsonWriter w(body);
  w.BeginObject();
  w.Key("statusCode").Int(status.code);
  w.Key("message");
  if (status.code == 401 && error.code == domain::ErrorCode::kForbidden) {
    w.String("The token is not authorized for this scope.");
  } else if (status.code != 422 || fields.empty()) {
    // Messages may quote what a client sent; a JSON body must stay valid UTF-8 whatever it was.
    w.String(domain::ToValidUtf8(ClientMessage(context, error)));
  } else {
    // NestJS's validation answer: every field's message, each naming its field.
    w.BeginArray();
    for (const auto& [name, text] : fields) {
      bool named = name.empty() || text.starts_with(name);
      w.String(domain::ToValidUtf8(named ? text : name + ": " + text));
    }
    w.EndArray();
  }
  w.Key("error").String(status.reason);
  w.EndObject();
  http::Response response = JsonResponse(std::move(body), status.code);
  AddErrorHeaders(error, response);
  if (status.code == 401 && error.code == domain::ErrorCode::kForbidden) {
    // RFC 6750: the token is good, its scope is not.
    response.headers.emplace_back("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
  }
  return response;
}

http::Response RenderContact(const domain::Contact& contact, const View& view, unsigned status) {
  std::string body;
  JsonWriter w(body);
  w.BeginObject();
  w.Key("contact");
  WriteContact(w, contact, view);
  w.EndObject();
  return JsonResponse(std::move(body), status);
}

http::Response RenderUpdated(const domain::Contact& contact, const View& view) {
  std::string body;
  JsonWriter w(body);
  w.BeginObject();
  w.Key("succeded").Bool(true);
  w.Key("contact");
  WriteContact(w, contact, view);
  w.EndObject();
  return JsonResponse(std::move(body));
}

http::Response RenderUpserted(const domain::Contact& contact, bool created,
                              std::string_view trace_id, const View& view) {
  std::string body;
  JsonWriter w(body);
  w.BeginObject();
  w.Key("new").Bool(created);
  w.Key("contact");
  WriteContact(w, contact, view);
  w.Key("traceId").String(trace_id);
  w.EndObject();
  return JsonResponse(std::move(body));
}

http::Response RenderDeleted() { return JsonResponse(R"({"succeded":true})"); }

http::Response RenderDuplicate(const domain::Contact* contact, const View& view) {
  if (contact != nullptr) return RenderContact(*contact, view);
  return JsonResponse(R"({"contact":null})");
}

http::Response RenderTags(const std::vector<std::string>& tags) {
  std::string body;
  JsonWriter w(body);
  w.BeginObject();
  w.Key("tags").BeginArray();
  for (const std::string& tag : tags) w.String(tag);
  w.EndArray();
  w.EndObject();
  return JsonResponse(std::move(body));
}

http::Response RenderSearchPage(std::span<const domain::Contact> contacts, std::int64_t total,
                                const View& view) {
  std::string body;
  body.reserve(contacts.size() * 768 + 64);
  JsonWriter w(body);
  w.BeginObject();
  w.Key("contacts").BeginArray();
  for (const domain::Contact& contact : contacts) WriteContact(w, contact, view);
  w.EndArray();
  w.Key("total").Int(total);
  w.EndObject();
  return JsonResponse(std::move(body));
}

http::Response RenderListPage(std::span<const domain::Contact> contacts, const ListMeta& meta,
                              const View& view) {
  std::string body;
  body.reserve(contacts.size() * 768 + 256);
  JsonWriter w(body);
  w.BeginObject();
  w.Key("contacts").BeginArray();
  for (const domain::Contact& contact : contacts) WriteContact(w, contact, view);
  w.EndArray();
  w.Key("count").Int(meta.total);
  w.Key("meta").BeginObject();
  w.Key("total").Int(meta.total);
  w.Key("nextPageUrl").OptionalString(meta.next_page_url);
  if (meta.start_after_id) {
    w.Key("startAfterId").String(std::to_string(*meta.start_after_id));
  } else {
    w.Key("startAfterId").Null();
  }
  w.Key("startAfter").OptionalInt(meta.start_after);
  w.EndObject();
  w.EndObject();
  return JsonResponse(std::move(body));
}

}  // namespace contactd::api::leadconnector

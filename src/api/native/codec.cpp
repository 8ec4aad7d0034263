#include "api/native/codec.hpp"

#include <algorithm>
#include <array>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include "api/conditional.hpp"
#include "api/json.hpp"
#include "api/json_writer.hpp"
#include "api/responses.hpp"
#include "api/native/envelope.hpp"
#include "domain/cursor.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "domain/validation.hpp"

namespace contactd::api::native {
namespace {

namespace json = boost::json;

// A rendered contact's keys, in order, and what each renders.
enum class Out {
  kId, kUid, kContactType, kContactTypes, kCompanyId, kText, kPhones, kSpouse, kDnd,
  kDndSettings, kTags, kAddresses, kIsPrimary, kIsConnected, kOwnerAccountId, kCreatedAt, kUpdatedAt,
  kFullNameGiven, kCustomFields, kSourceId, kHotnessId, kHotness, kReportsTo, kOwnerUserId,
  kAssignedUserId, kVersion,
};
struct OutputField {
  std::string_view name;
  Out out;
  domain::TextField text = domain::TextField::kFirstName;  // for Out::kText
};
using TF = domain::TextField;
constexpr std::array<OutputField, 49> kContactOutputs = {{
    {"id", Out::kId},
    {"uid", Out::kUid},
    {"contact_type", Out::kContactType},
    {"contact_types", Out::kContactTypes},
    {"company_id", Out::kCompanyId},
    {"first_name", Out::kText, TF::kFirstName},
    {"last_name", Out::kText, TF::kLastName},
    {"full_name", Out::kText, TF::kFullName},
    {"full_name_given", Out::kFullNameGiven},
    {"display_name", Out::kText, TF::kDisplayName},
    {"email", Out::kText, TF::kEmail},
    {"title", Out::kText, TF::kTitle},
    {"department", Out::kText, TF::kDepartment},
    {"reports_to", Out::kReportsTo},
    {"address", Out::kText, TF::kAddress},
    {"city", Out::kText, TF::kCity},
    {"state", Out::kText, TF::kState},
    {"zip", Out::kText, TF::kZip},
    {"addresses", Out::kAddresses},
    {"country", Out::kText, TF::kCountry},
    {"linkedin_url", Out::kText, TF::kLinkedinUrl},
    {"website", Out::kText, TF::kWebsite},
    {"phones", Out::kPhones},
    {"code", Out::kText, TF::kCode},
    {"tax_id", Out::kText, TF::kTaxId},
    {"description", Out::kText, TF::kDescription},
    {"notes", Out::kText, TF::kNotes},
    {"timezone", Out::kText, TF::kTimezone},
    {"birthday", Out::kText, TF::kBirthday},
    {"anniversary", Out::kText, TF::kAnniversary},
    {"spouse", Out::kSpouse},
    {"preferred_contact_method", Out::kText, TF::kPreferredContactMethod},
    {"source", Out::kText, TF::kSource},
    {"source_id", Out::kSourceId},
    {"hotness_id", Out::kHotnessId},
    {"hotness", Out::kHotness},
    {"status", Out::kText, TF::kStatus},
    {"dnd", Out::kDnd},
    {"dnd_settings", Out::kDndSettings},
    {"tags", Out::kTags},
    {"custom_fields", Out::kCustomFields},
    {"is_primary", Out::kIsPrimary},
    {"is_connected", Out::kIsConnected},
    {"owner_account_id", Out::kOwnerAccountId},
    {"owner_user_id", Out::kOwnerUserId},
    {"assigned_user_id", Out::kAssignedUserId},
    {"created_at", Out::kCreatedAt},
    {"updated_at", Out::kUpdatedAt},
    {"version", Out::kVersion},
}};
constexpr auto kContactOutputFields = [] {
  std::array<std::string_view, kContactOutputs.size()> names{};
  for (std::size_t i = 0; i < names.size(); ++i) names[i] = kContactOutputs[i].name;
  return names;
}();

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
    case domain::ErrorCode::kPreconditionFailed:
      return {412, "precondition_failed"};
    case domain::ErrorCode::kIdempotencyMismatch:
      return {422, "idempotency_error"};
    case domain::ErrorCode::kGone:
      return {410, "gone"};
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

void WriteSpouse(JsonWriter& w, const std::optional<domain::Spouse>& spouse) {
  if (!spouse) {
    w.Null();
    return;
  }
  w.BeginObject();
  w.Key("name").OptionalString(spouse->name);
  w.Key("email").OptionalString(spouse->email);
  w.Key("phone").OptionalString(spouse->phone);
  w.Key("birthday").OptionalString(spouse->birthday);
  w.EndObject();
}

// One address; `with_id` false for a company's, which has only one.
void WriteAddress(JsonWriter& w, const domain::Address& a, bool with_id) {
  w.BeginObject();
  if (with_id) w.Key("id").Int(a.id);
  w.Key("type").OptionalString(a.type);
  w.Key("line1").OptionalString(a.line1);
  w.Key("line2").OptionalString(a.line2);
  w.Key("city").OptionalString(a.city);
  w.Key("state").OptionalString(a.state);
  w.Key("postal_code").OptionalString(a.postal_code);
  w.Key("country_code").OptionalString(a.country_code);
  w.Key("addressee").OptionalString(a.addressee);
  w.Key("company_name").OptionalString(a.company_name);
  w.Key("attention").OptionalString(a.attention);
  w.Key("phone").OptionalString(a.phone);
  w.EndObject();
}

void WriteStrings(JsonWriter& w, const std::vector<std::string>& strings) {
  w.BeginArray();
  for (const std::string& s : strings) w.String(s);
  w.EndArray();
}

void WriteDndSettings(JsonWriter& w, const std::vector<domain::DndChannel>& settings) {
  w.BeginObject();
  for (const domain::DndChannel& channel : settings) {
    w.Key(channel.channel).BeginObject();
    w.Key("status").String(channel.status);
    if (channel.message) w.Key("message").String(*channel.message);
    if (channel.code) w.Key("code").String(*channel.code);
    w.EndObject();
  }
  w.EndObject();
}

void WriteHotness(JsonWriter& w, const domain::HotnessLevel& level) {
  w.BeginObject();
  w.Key("id").Int(level.id);
  w.Key("name").String(level.name);
  w.Key("rank").Int(level.rank);
  w.Key("color").OptionalString(level.color);
  w.EndObject();
}

void WritePhones(JsonWriter& w, const std::vector<domain::Phone>& phones) {
  w.BeginArray();
  for (const domain::Phone& phone : phones) {
    w.BeginObject();
    w.Key("id").Null();
    w.Key("type").String(phone.type);
    w.Key("raw").String(phone.raw);
    w.Key("country").String(phone.country);
    w.Key("e164");
    if (phone.e164.empty()) {
      w.Null();
    } else {
      w.String(phone.e164);
    }
    w.Key("extension").String(phone.extension);
    w.EndObject();
  }
  w.EndArray();
}

void WriteContact(JsonWriter& w, const domain::Contact& contact, const Selection& want) {
  w.BeginObject();
  for (const OutputField& field : kContactOutputs) {
    if (field.out != Out::kId && !want(field.name)) continue;
    w.Key(field.name);
    switch (field.out) {
      case Out::kId:
        w.Int(contact.id.value);
        break;
      case Out::kUid:
        w.String(contact.uid);
        break;
      case Out::kContactType:
        if (contact.contact_types.empty()) {
          w.Null();
        } else {
          w.String(contact.contact_types.front());
        }
        break;
      case Out::kContactTypes:
        WriteStrings(w, contact.contact_types);
        break;
      case Out::kCompanyId:
        w.OptionalInt(contact.company ? std::optional(contact.company->value) : std::nullopt);
        break;
      case Out::kText:
        w.OptionalString(contact.Text(field.text));
        break;
      case Out::kPhones:
        WritePhones(w, contact.phones);
        break;
      case Out::kSpouse:
        WriteSpouse(w, contact.spouse);
        break;
      case Out::kDnd:
        w.Bool(contact.dnd);
        break;
      case Out::kDndSettings:
        WriteDndSettings(w, contact.dnd_settings);
        break;
      case Out::kTags:
        WriteStrings(w, contact.tags);
        break;
      case Out::kAddresses:
        w.BeginArray();
        for (const domain::Address& address : contact.addresses) WriteAddress(w, address, true);
        w.EndArray();
        break;
      case Out::kIsPrimary:
        w.Bool(contact.is_primary);
        break;
      case Out::kIsConnected:
        w.Bool(contact.is_connected);
        break;
      case Out::kOwnerAccountId:
        w.Int(contact.account.value);
        break;
      case Out::kCreatedAt:
        w.String(domain::FormatTimestamp(contact.created_at));
        break;
      case Out::kUpdatedAt:
        w.String(domain::FormatTimestamp(contact.updated_at));
        break;
      case Out::kVersion:
        w.Int(contact.version);
        break;
      case Out::kFullNameGiven:
        w.Bool(contact.full_name_given);
        break;
      case Out::kCustomFields:
        WriteCustomValues(w, contact.custom_fields);
        break;
      case Out::kSourceId:
        w.OptionalInt(contact.source_id);
        break;
      case Out::kOwnerUserId:
        w.OptionalInt(contact.owner_user ? std::optional(contact.owner_user->value)
                                         : std::nullopt);
        break;
      case Out::kAssignedUserId:
        w.OptionalInt(contact.assigned_user ? std::optional(contact.assigned_user->value)
                                            : std::nullopt);
        break;
      case Out::kReportsTo:
        w.OptionalInt(contact.reports_to ? std::optional(contact.reports_to->value)
                                         : std::nullopt);
        break;
      case Out::kHotnessId:
        w.OptionalInt(contact.hotness ? std::optional(contact.hotness->id) : std::nullopt);
        break;
      case Out::kHotness:
        if (contact.hotness) {
          WriteHotness(w, *contact.hotness);
        } else {
          w.Null();
        }
        break;
    }
  }
  if (contact.deleted_at) w.Key("deleted_at").String(domain::FormatTimestamp(*contact.deleted_at));
  w.EndObject();
}

// The {request_id, timestamp, ...} envelope, left open for the caller's members.
void BeginEnvelope(JsonWriter& w, const http::RequestContext& context) {
  w.BeginObject();
  w.Key("request_id").String(context.request_id);
  w.Key("timestamp").String(domain::FormatTimestamp(context.received_at));
}

json::object CompanyJson(const domain::Company& company) {
  json::array tags;
  for (const std::string& tag : company.tags) tags.emplace_back(tag);
  json::value address = nullptr;
  if (company.address) {
    std::string text;
    JsonWriter w(text);
    WriteAddress(w, *company.address, /*with_id=*/false);
    address = json::parse(text);
  }
  return json::object{
      {"id", company.id.value},
      {"uid", company.uid},
      {"name", company.name},
      {"company_type", OptionalString(company.company_type)},
      {"website", OptionalString(company.website)},
      {"phone", OptionalString(company.phone)},
      {"address", std::move(address)},
      {"tags", std::move(tags)},
      {"status", company.status},
      {"primary_contact_id",
       company.primary_contact ? json::value(company.primary_contact->value) : json::value(nullptr)},
      {"owner_account_id", company.account.value},
      {"created_at", domain::FormatTimestamp(company.created_at)},
      {"updated_at", domain::FormatTimestamp(company.updated_at)},
      {"version", company.version},
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

domain::AddressInput ReadAddress(const json::object& object, const std::string& path,
                                 domain::FieldErrors& errors) {
  ObjectReader address(object, path, errors);
  domain::AddressInput input;
  input.id = address.Integer("id");
  input.type = address.String("type");
  input.line1 = address.String("line1");
  input.line2 = address.String("line2");
  input.city = address.String("city");
  input.state = address.String("state");
  input.postal_code = address.String("postal_code");
  input.country_code = address.String("country_code");
  input.addressee = address.String("addressee");
  input.company_name = address.String("company_name");
  input.attention = address.String("attention");
  input.phone = address.String("phone");
  address.RejectUnknown();
  return input;
}

std::optional<std::vector<domain::AddressInput>> ReadAddresses(ObjectReader& reader) {
  const json::array* array =
      reader.Array("addresses", domain::kMaxAddressesPerContact, "address objects");
  if (array == nullptr) return std::nullopt;
  std::vector<domain::AddressInput> addresses;
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string path = "addresses[" + std::to_string(i) + "]";
    if (!(*array)[i].is_object()) {
      reader.errors().Add(path, path + " must be an address object");
      continue;
    }
    addresses.push_back(ReadAddress((*array)[i].get_object(), path, reader.errors()));
  }
  return addresses;
}

domain::Input<domain::SpouseInput> ReadSpouse(ObjectReader& reader) {
  domain::Input<domain::SpouseInput> input;
  input.present = reader.Member("spouse") != nullptr;
  const json::object* object = reader.Object("spouse");
  if (object == nullptr) return input;
  ObjectReader spouse(*object, "spouse", reader.errors());
  input.value.emplace();
  input.value->name = spouse.String("name");
  input.value->email = spouse.String("email");
  input.value->phone = spouse.String("phone");
  input.value->birthday = spouse.String("birthday");
  spouse.RejectUnknown();
  return input;
}

void ReadContactInput(ObjectReader& reader, domain::ContactInput& input,
                      bool allow_created_at = false) {
  input.contact_type = reader.String("contact_type");
  input.contact_types = reader.StringArray("contact_types", domain::kMaxContactTypes);
  input.company_id = reader.Integer("company_id");
  for (std::size_t i = 0; i < domain::kTextFieldCount; ++i) {
    input.text[i] = reader.String(domain::kTextFields[i].name);
  }
  input.phones.present = reader.Member("phones") != nullptr;
  input.phones.value = ReadPhones(reader);
  input.spouse = ReadSpouse(reader);
  input.dnd = reader.Bool("dnd");
  input.dnd_settings = ReadDndSettings(reader, "dnd_settings", domain::kDndChannels);
  input.tags = reader.StringArray("tags", domain::kMaxTagsPerContact);
  input.addresses.present = reader.Member("addresses") != nullptr;
  input.addresses.value = ReadAddresses(reader);
  input.custom_fields = ReadCustomValues(reader, "custom_fields");
  input.source_id = reader.Integer("source_id");
  input.hotness_id = reader.Integer("hotness_id");
  input.reports_to = reader.Integer("reports_to");
  input.owner_user_id = reader.Integer("owner_user_id");
  input.assigned_user_id = reader.Integer("assigned_user_id");
  input.is_primary = reader.Bool("is_primary");
  input.is_connected = reader.Bool("is_connected");
  ReadVersion(reader, input.expected);
  if (allow_created_at) {
    reader.Member("created_at");
    reader.ReadOnly({"id", "uid", "owner_account_id", "updated_at", "full_name_given", "hotness"});
  } else {
    reader.ReadOnly(
        {"id", "uid", "owner_account_id", "created_at", "updated_at", "full_name_given",
         "hotness"});
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

domain::Result<UpsertInput> ParseUpsertInput(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::unexpected(object.error());
  UpsertInput input;
  ObjectReader reader(*object, "", input.contact.errors);
  ReadContactInput(reader, input.contact);
  auto match_on = reader.StringArray("match_on", 2);
  if (match_on.present && !match_on.value) {
    input.contact.errors.Add("match_on", "match_on must be an array of email and/or phone");
  }
  if (match_on.value) input.match_on = std::move(*match_on.value);
  reader.RejectUnknown();
  return input;
}

domain::Result<domain::SettingsInput> ParseSettingsInput(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::unexpected(object.error());
  domain::SettingsInput input;
  ObjectReader reader(*object, "", input.errors);
  input.duplicate_contacts = reader.String("duplicate_contacts");
  input.default_country = reader.String("default_country");
  reader.RejectUnknown();
  return input;
}

http::Response RenderSettings(const http::RequestContext& context,
                              const domain::AccountSettings& settings) {
  json::object body = Envelope(context);
  body["data"] = json::object{
      {"duplicate_contacts",
       settings.reject_duplicates ? domain::kRejectDuplicates : domain::kAllowDuplicates},
      {"default_country", settings.default_country}};
  return Respond(200, body);
}

http::Response RenderUpsert(const http::RequestContext& context, const domain::Contact& contact,
                            bool created) {
  static const std::vector<std::string> kAll;
  http::Response response;
  response.status = created ? 201 : 200;
  response.headers.emplace_back("ETag", EntityTag(contact.version));
  JsonWriter w(response.body);
  BeginEnvelope(w, context);
  w.Key("created").Bool(created);
  w.Key("data");
  WriteContact(w, contact, Selection(kAll));
  w.EndObject();
  return response;
}

domain::Result<domain::ShareInput> ParseShareInput(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::unexpected(object.error());
  domain::ShareInput input;
  ObjectReader reader(*object, "", input.errors);
  input.user_id = reader.Integer("user_id");
  reader.ReadOnly({"created_at"});
  reader.RejectUnknown();
  return input;
}

namespace {

json::object ShareJson(const domain::Share& share) {
  return json::object{{"user_id", share.user.value},
                      {"created_at", domain::FormatTimestamp(share.created_at)}};
}

}  // namespace

http::Response RenderShare(const http::RequestContext& context, const domain::Share& share,
                           bool created) {
  json::object body = Envelope(context);
  body["data"] = ShareJson(share);
  return Respond(created ? 201 : 200, body);
}

http::Response RenderShares(const http::RequestContext& context,
                            const std::vector<domain::Share>& shares) {
  json::array data;
  for (const domain::Share& share : shares) data.push_back(ShareJson(share));
  json::object body = Envelope(context);
  body["data"] = std::move(data);
  return Respond(200, body);
}

http::Response RenderTagPage(const http::RequestContext& context,
                             const store::Page<domain::TagCount>& page,
                             const domain::ListQuery& query) {
  json::array data;
  data.reserve(page.items.size());
  for (const domain::TagCount& tag : page.items) {
    data.push_back(json::object{{"name", tag.name}, {"contacts", tag.contacts}});
  }
  json::object body = Envelope(context);
  body["data"] = std::move(data);
  body["pagination"] = json::object{{"total", page.total},
                                    {"limit", query.limit},
                                    {"offset", query.offset},
                                    {"has_more", page.has_more}};
  return Respond(200, body);
}

domain::Result<domain::CustomFieldInput> ParseCustomFieldInput(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::unexpected(object.error());
  domain::CustomFieldInput input;
  ObjectReader reader(*object, "", input.errors);
  input.key = reader.String("key");
  input.name = reader.String("name");
  input.data_type = reader.String("data_type");
  input.options = reader.StringArray("options", domain::kMaxCustomFieldOptions);
  input.rank = reader.Integer("rank");
  reader.ReadOnly({"id", "created_at", "updated_at"});
  reader.RejectUnknown();
  return input;
}

namespace {

json::object CustomFieldObject(const domain::CustomField& field) {
  json::array options;
  for (const std::string& option : field.options) options.emplace_back(option);
  return json::object{{"id", field.id.value},
                      {"key", field.key},
                      {"name", field.name},
                      {"data_type", domain::CustomFieldTypeName(field.type)},
                      {"options", std::move(options)},
                      {"rank", field.rank},
                      {"created_at", domain::FormatTimestamp(field.created_at)},
                      {"updated_at", domain::FormatTimestamp(field.updated_at)}};
}

}  // namespace

http::Response RenderCustomField(const http::RequestContext& context,
                                 const domain::CustomField& field, unsigned status) {
  json::object body = Envelope(context);
  body["data"] = CustomFieldObject(field);
  return Respond(status, body);
}


namespace {

void WriteChartEntry(JsonWriter& w, const store::ReportLink& link) {
  w.Key("id").Int(link.id.value);
  w.Key("full_name").OptionalString(link.full_name);
  w.Key("display_name").OptionalString(link.display_name);
  w.Key("title").OptionalString(link.title);
  w.Key("department").OptionalString(link.department);
}

}  // namespace

http::Response RenderReports(const http::RequestContext& context,
                             const domain::ReportLinks& reports) {
  http::Response response;
  JsonWriter w(response.body);
  BeginEnvelope(w, context);
  w.Key("data").BeginArray();
  for (const store::ReportLink& link : reports.links) {
    w.BeginObject();
    WriteChartEntry(w, link);
    w.Key("reports_to").Int(link.manager.value);
    w.Key("depth").Int(link.depth);
    w.EndObject();
  }
  w.EndArray();
  w.Key("has_more").Bool(reports.has_more);
  w.EndObject();
  return response;
}

http::Response RenderHierarchy(const http::RequestContext& context,
                               const domain::ReportLinks& hierarchy) {
  http::Response response;
  JsonWriter w(response.body);
  BeginEnvelope(w, context);
  w.Key("data").BeginObject();
  // Links come by manager: one member per manager, its reports in id order.
  for (std::size_t i = 0; i < hierarchy.links.size(); ++i) {
    const store::ReportLink& link = hierarchy.links[i];
    if (i == 0 || hierarchy.links[i - 1].manager != link.manager) {
      if (i > 0) w.EndArray();
      w.Key(std::to_string(link.manager.value)).BeginArray();
    }
    w.BeginObject();
    WriteChartEntry(w, link);
    w.EndObject();
  }
  if (!hierarchy.links.empty()) w.EndArray();
  w.EndObject();
  w.Key("has_more").Bool(hierarchy.has_more);
  w.EndObject();
  return response;
}

domain::Result<domain::ContactId> ParsePrimaryContactInput(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::unexpected(object.error());
  domain::FieldErrors errors;
  ObjectReader reader(*object, "", errors);
  auto contact_id = reader.Integer("contact_id");
  if (!contact_id.value && !errors.Has("contact_id")) {
    errors.Add("contact_id", "contact_id is required");
  }
  reader.RejectUnknown();
  if (!errors.empty()) return std::unexpected(domain::Error::Validation(std::move(errors).Take()));
  return domain::ContactId{*contact_id.value};
}

domain::Result<domain::ListItemInput> ParseListItemInput(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::unexpected(object.error());
  domain::ListItemInput input;
  ObjectReader reader(*object, "", input.errors);
  input.name = reader.String("name");
  input.rank = reader.Integer("rank");
  input.color = reader.String("color");
  reader.ReadOnly({"id", "created_at", "updated_at"});
  reader.RejectUnknown();
  return input;
}

namespace {

json::object SourceObject(const domain::Source& source) {
  return json::object{{"id", source.id},
                      {"name", source.name},
                      {"created_at", domain::FormatTimestamp(source.created_at)},
                      {"updated_at", domain::FormatTimestamp(source.updated_at)}};
}

json::object LevelObject(const domain::StoredHotnessLevel& level) {
  return json::object{{"id", level.level.id},
                      {"name", level.level.name},
                      {"rank", level.level.rank},
                      {"color", OptionalString(level.level.color)},
                      {"created_at", domain::FormatTimestamp(level.created_at)},
                      {"updated_at", domain::FormatTimestamp(level.updated_at)}};
}

template <class T, class ToJson>
http::Response RenderItems(const http::RequestContext& context, const std::vector<T>& items,
                           ToJson to_json) {
  json::array data;
  data.reserve(items.size());
  for (const T& item : items) data.push_back(to_json(item));
  json::object body = Envelope(context);
  body["data"] = std::move(data);
  return Respond(200, body);
}

}  // namespace

http::Response RenderSource(const http::RequestContext& context, const domain::Source& source,
                            unsigned status) {
  json::object body = Envelope(context);
  body["data"] = SourceObject(source);
  return Respond(status, body);
}

http::Response RenderCustomFields(const http::RequestContext& context,
                                  const std::vector<domain::CustomField>& fields) {
  return RenderItems(context, fields, CustomFieldObject);
}

http::Response RenderSources(const http::RequestContext& context,
                             const std::vector<domain::Source>& sources) {
  return RenderItems(context, sources, SourceObject);
}

http::Response RenderHotnessLevel(const http::RequestContext& context,
                                  const domain::StoredHotnessLevel& level, unsigned status) {
  json::object body = Envelope(context);
  body["data"] = LevelObject(level);
  return Respond(status, body);
}

http::Response RenderHotnessLevels(const http::RequestContext& context,
                                   const std::vector<domain::StoredHotnessLevel>& levels) {
  return RenderItems(context, levels, LevelObject);
}

domain::Result<domain::CompanyInput> ParseCompanyInput(std::string_view body) {
  auto object = ParseObject(body);
  if (!object) return std::unexpected(object.error());
  domain::CompanyInput input;
  ObjectReader reader(*object, "", input.errors);
  input.name = reader.String("name");
  input.company_type = reader.String("company_type");
  input.website = reader.String("website");
  input.phone = reader.String("phone");
  input.address.present = reader.Member("address") != nullptr;
  if (const json::object* address = reader.Object("address")) {
    input.address.value = ReadAddress(*address, "address", input.errors);
  }
  input.tags = reader.StringArray("tags", domain::kMaxTagsPerContact);
  input.status = reader.String("status");
  ReadVersion(reader, input.expected);
  reader.ReadOnly({"id", "uid", "primary_contact_id", "owner_account_id", "created_at",
                   "updated_at"});
  reader.RejectUnknown();
  return input;
}

http::Response RenderContact(const http::RequestContext& context, const domain::Contact& contact,
                             unsigned status) {
  static const std::vector<std::string> kAll;
  http::Response response;
  response.status = status;
  response.headers.emplace_back("ETag", EntityTag(contact.version));
  JsonWriter w(response.body);
  BeginEnvelope(w, context);
  w.Key("data");
  WriteContact(w, contact, Selection(kAll));
  w.EndObject();
  return response;
}

http::Response RenderContactPage(const http::RequestContext& context,
                                 const store::Page<domain::Contact>& page,
                                 const domain::ListQuery& query,
                                 const domain::CursorCodec& cursors) {
  Selection want(query.fields);
  http::Response response;
  response.body.reserve(2048 + page.items.size() * 1536);
  JsonWriter w(response.body);
  BeginEnvelope(w, context);
  w.Key("data").BeginArray();
  for (const domain::Contact& contact : page.items) WriteContact(w, contact, want);
  w.EndArray();
  w.Key("pagination").Raw(json::serialize(
      Pagination(page, query, cursors, page.items.empty() ? 0 : page.items.back().id.value)));
  w.EndObject();
  return response;
}

http::Response RenderCompany(const http::RequestContext& context, const domain::Company& company,
                             unsigned status) {
  json::object body = Envelope(context);
  body["data"] = CompanyJson(company);
  http::Response response = Respond(status, body);
  response.headers.emplace_back("ETag", EntityTag(company.version));
  return response;
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

json::object ContactObject(const domain::Contact& contact) {
  static const std::vector<std::string> kAll;
  std::string text;
  JsonWriter w(text);
  WriteContact(w, contact, Selection(kAll));
  return json::parse(text).as_object();
}

json::object CompanyObject(const domain::Company& company) { return CompanyJson(company); }

http::Response RenderError(const http::RequestContext& context, const domain::Error& error) {
  Status status = StatusOf(error.code);
  std::string message = ClientMessage(context, error);
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
  AddErrorHeaders(error, response);
  return response;
}

}  // namespace contactd::api::native

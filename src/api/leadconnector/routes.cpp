#include "api/leadconnector/routes.hpp"

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "api/conditional.hpp"
#include "api/json.hpp"
#include "api/leadconnector/codec.hpp"
#include "api/params.hpp"
#include "domain/contacts.hpp"
#include "domain/query.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "http/router.hpp"

namespace contactd::api::leadconnector {
namespace {

namespace json = boost::json;

constexpr std::string_view kBase = "/compat/leadconnector";
// The seed's version, and the one the official SDK 3.x sends by default.
constexpr std::array<std::string_view, 2> kVersions = {"2021-07-28", "2023-02-21"};
// The deprecated list: 20 a page by default, at most 100 (HighLevel's bounds).
constexpr std::int64_t kDefaultListLimit = 20;
constexpr std::int64_t kMaxListLimit = 100;
// Search pages: HighLevel's pageLimit goes up to 500.
constexpr std::int64_t kDefaultPageLimit = 20;
constexpr std::int64_t kMaxPageLimit = 500;
constexpr std::int64_t kUnbounded = std::numeric_limits<std::int64_t>::max();

// Seed 004 asks for E.164 numbers (others parse in the country sent, else the account's) and
// shows one with the fictional 555 range, has contacts without a company or a type, and names
// companies by name.
domain::WritePolicy Policy() {
  domain::WritePolicy policy;
  policy.phones = domain::PhonePolicy::kPossible;
  policy.requires_type_and_company = false;
  policy.requires_email_or_phone = true;
  policy.moves_companies = true;
  return policy;
}

std::optional<domain::Error> VersionError(const http::Request& request) {
  if (request.api_version.empty()) {
    return domain::Error::BadRequest("Version header was not found");
  }
  if (std::find(kVersions.begin(), kVersions.end(), request.api_version) == kVersions.end()) {
    return domain::Error::BadRequest("Version header is invalid: '" + request.api_version +
                                     "'; use 2021-07-28 or 2023-02-21");
  }
  return std::nullopt;
}

domain::Error Missing() { return domain::Error::NotFound("Contact not found"); }

domain::Result<domain::ContactId> IdParam(const http::RequestContext& context) {
  auto value = ParseIntIn(context.path_params[0], 1, kUnbounded);
  if (!value) return std::unexpected(Missing());
  return domain::ContactId{*value};
}

domain::Error Named(domain::Error error) {
  if (error.code == domain::ErrorCode::kNotFound) return Missing();
  return error;
}

domain::Error WrongLocation() {
  return domain::Error::Forbidden("The token does not have access to this location.");
}

// A locationId sent must be the caller's account's uid (403 otherwise, before anything else is
// looked at); a missing one where the API requires it is a field error.
domain::Result<void> CheckLocation(const http::RequestContext& context,
                                   const std::optional<std::string>& location, bool required,
                                   domain::FieldErrors& errors) {
  if (location) {
    if (*location != context.caller().account_uid) return std::unexpected(WrongLocation());
  } else if (required) {
    errors.Add("locationId", "locationId should not be empty");
  }
  return {};
}

// Calls `render` with the view the contacts need (their account's custom field definitions and
// companies' names, each read only when one of them has some).
template <class Render>
http::Response Answer(const Services& s, const http::RequestContext& context,
                      std::span<const domain::Contact> contacts, Render render) {
  domain::ExtrasWanted wanted{false, false, false};
  for (const domain::Contact& contact : contacts) {
    wanted.custom_fields = wanted.custom_fields || !contact.custom_fields.empty();
    wanted.company_names = wanted.company_names || contact.company.has_value();
  }
  domain::ContactExtras extras;
  if (wanted.custom_fields || wanted.company_names) {
    auto read = s.contacts.ExtrasOf(context.caller(), contacts, wanted);
    if (!read) return RenderError(context, read.error());
    extras = std::move(*read);
  }
  // Definitions by key, once per answer rather than once per value shown.
  std::unordered_map<std::string_view, std::int64_t> custom_field_ids;
  for (const domain::CustomField& field : extras.custom_fields) {
    custom_field_ids.emplace(field.key, field.id.value);
  }
  return render(View{context.caller().account_uid, custom_field_ids, extras.company_names});
}

// The account's custom field definitions, which bodies and searches name by id.
domain::Result<std::vector<domain::CustomField>> CustomFields(const Services& s,
                                                              const http::RequestContext& context) {
  auto read = s.contacts.ExtrasOf(context.caller(), {}, {true, false, false});
  if (!read) return std::unexpected(read.error());
  return std::move(read->custom_fields);
}

domain::Result<ContactBody> ReadBody(const Services& s, const http::Request& request,
                                     const http::RequestContext& context, BodyKind kind) {
  auto object = ParseObject(request.body);
  if (!object) return std::unexpected(object.error());
  // Another location is refused before anything is read for the request.
  if (const json::value* location = object->if_contains("locationId");
      location != nullptr && location->is_string() &&
      location->get_string() != context.caller().account_uid) {
    return std::unexpected(WrongLocation());
  }
  std::vector<domain::CustomField> fields;
  if (object->contains("customFields")) {
    auto read = CustomFields(s, context);
    if (!read) return std::unexpected(read.error());
    fields = std::move(*read);
  }
  ContactBody body = ParseContactBody(*object, kind, fields);
  domain::FieldErrors& errors = body.input.errors;
  bool creates = kind != BodyKind::kUpdate;
  if (auto checked = CheckLocation(context, body.location_id.value, creates, errors); !checked) {
    return std::unexpected(checked.error());
  }
  return body;
}

// A request that takes no query parameters.
std::optional<domain::Error> UnexpectedQuery(const http::Request& request) {
  if (request.query.empty()) return std::nullopt;
  return domain::Error::BadRequest("This request takes no query parameters");
}

http::Response CreateContact(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  if (auto error = UnexpectedQuery(request)) return RenderError(context, *error);
  auto body = ReadBody(s, request, context, BodyKind::kCreate);
  if (!body) return RenderError(context, body.error());
  auto contact = s.contacts.Create(context.caller(), std::move(body->input), Policy());
  if (!contact) return RenderError(context, contact.error());
  return Answer(s, context, std::span(&*contact, 1),
                [&](const View& view) { return RenderContact(*contact, view, 201); });
}

http::Response GetContact(const Services& s, const http::Request& request,
                          http::RequestContext& context) {
  if (auto error = UnexpectedQuery(request)) return RenderError(context, *error);
  auto id = IdParam(context);
  if (!id) return RenderError(context, id.error());
  auto contact = s.contacts.Get(context.caller(), *id);
  if (!contact) return RenderError(context, Named(contact.error()));
  if (NoneMatch(request.if_none_match, contact->version)) return NotModified(contact->version);
  http::Response response = Answer(s, context, std::span(&*contact, 1),
                                   [&](const View& view) { return RenderContact(*contact, view); });
  if (response.status == 200) response.headers.emplace_back("ETag", EntityTag(contact->version));
  return response;
}

http::Response UpdateContact(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  if (auto error = UnexpectedQuery(request)) return RenderError(context, *error);
  auto id = IdParam(context);
  if (!id) return RenderError(context, id.error());
  auto body = ReadBody(s, request, context, BodyKind::kUpdate);
  if (!body) return RenderError(context, body.error());
  ApplyIfMatch(request.if_match, body->input.expected);
  auto contact = s.contacts.Update(context.caller(), *id, std::move(body->input), Policy());
  if (!contact) return RenderError(context, Named(contact.error()));
  return Answer(s, context, std::span(&*contact, 1),
                [&](const View& view) { return RenderUpdated(*contact, view); });
}

// Deletes as the native API does: restorable for 30 days there.
http::Response DeleteContact(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  if (auto error = UnexpectedQuery(request)) return RenderError(context, *error);
  auto id = IdParam(context);
  if (!id) return RenderError(context, id.error());
  domain::VersionCheck expected;
  ApplyIfMatch(request.if_match, expected);
  auto deleted = s.contacts.Delete(context.caller(), *id, /*permanent=*/false, expected);
  if (!deleted) return RenderError(context, Named(deleted.error()));
  return RenderDeleted();
}

http::Response UpsertContact(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  if (auto error = UnexpectedQuery(request)) return RenderError(context, *error);
  auto body = ReadBody(s, request, context, BodyKind::kUpsert);
  if (!body) return RenderError(context, body.error());
  auto outcome = s.contacts.Upsert(context.caller(), std::move(body->input), {}, Policy(),
                                   domain::SeveralMatches::kByPriority);
  if (!outcome) return RenderError(context, outcome.error());
  return Answer(s, context, std::span(&outcome->contact, 1), [&](const View& view) {
    return RenderUpserted(outcome->contact, outcome->created, context.request_id, view);
  });
}

http::Response ChangeTags(const Services& s, const http::Request& request,
                          http::RequestContext& context, bool add) {
  if (auto error = UnexpectedQuery(request)) return RenderError(context, *error);
  auto id = IdParam(context);
  if (!id) return RenderError(context, id.error());
  auto input = ParseTagsInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto contact = s.contacts.ChangeTags(context.caller(), *id, std::move(*input), add);
  if (!contact) return RenderError(context, Named(contact.error()));
  http::Response response = RenderTags(contact->tags);
  if (add) response.status = 201;  // as HighLevel's add-tags answers
  return response;
}

http::Response AddTags(const Services& s, const http::Request& request,
                       http::RequestContext& context) {
  return ChangeTags(s, request, context, /*add=*/true);
}

http::Response RemoveTags(const Services& s, const http::Request& request,
                          http::RequestContext& context) {
  return ChangeTags(s, request, context, /*add=*/false);
}

// The query parameters of a GET, each at most once, none but `known`.
domain::Result<std::vector<std::pair<std::string, std::string>>> ReadQuery(
    std::string_view query, std::span<const std::string_view> known) {
  auto params = ParseQueryString(query);
  if (!params) return std::unexpected(params.error());
  domain::FieldErrors errors;
  std::vector<std::string_view> seen;
  for (const auto& [key, value] : *params) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      errors.Add(key, "unknown query parameter '" + key + "'");
    } else if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      errors.Add(key, "query parameter '" + key + "' is given more than once");
    } else {
      seen.push_back(key);
    }
  }
  if (!errors.empty()) return std::unexpected(domain::BadRequestOf(std::move(errors)));
  return std::move(*params);
}

std::optional<std::string> QueryValue(
    const std::vector<std::pair<std::string, std::string>>& params, std::string_view key) {
  for (const auto& [name, value] : params) {
    if (name == key) return value;
  }
  return std::nullopt;
}

// GET /contacts/search/duplicate?locationId&email&number
http::Response FindDuplicate(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  static constexpr std::array<std::string_view, 3> kKnown = {"locationId", "email", "number"};
  auto params = ReadQuery(request.query, kKnown);
  if (!params) return RenderError(context, params.error());
  domain::FieldErrors errors;
  auto location = CheckLocation(context, QueryValue(*params, "locationId"), true, errors);
  if (!location) return RenderError(context, location.error());
  if (!errors.empty()) {
    return RenderError(context, domain::Error::Validation(std::move(errors).Take()));
  }
  auto found = s.contacts.FindDuplicate(context.caller(), QueryValue(*params, "email"),
                                        QueryValue(*params, "number"));
  if (!found) {
    domain::Error error = RenamedFields(found.error(), std::array{RenamedParam{"phone", "number"}});
    // A number that is none is a bad value, as a bad limit of the list is.
    if (error.code == domain::ErrorCode::kBadRequest) error.code = domain::ErrorCode::kValidation;
    return RenderError(context, error);
  }
  if (!*found) return RenderDuplicate(nullptr, View{context.caller().account_uid, {}, {}});
  const domain::Contact& contact = **found;
  return Answer(s, context, std::span(&contact, 1),
                [&](const View& view) { return RenderDuplicate(&contact, view); });
}

std::string Encoded(std::string_view value) {
  return boost::urls::encode(value, boost::urls::unreserved_chars);
}

// GET /contacts/ (deprecated): locationId, query, limit, and startAfterId (the last contact of
// the previous page; startAfter, its time, is taken and not needed: pages go by id).
http::Response ListContacts(const Services& s, const http::Request& request,
                            http::RequestContext& context) {
  static constexpr std::array<std::string_view, 5> kKnown = {"locationId", "query", "limit",
                                                             "startAfterId", "startAfter"};
  auto params = ReadQuery(request.query, kKnown);
  if (!params) return RenderError(context, params.error());
  domain::FieldErrors errors;
  auto location_id = QueryValue(*params, "locationId");
  auto location = CheckLocation(context, location_id, true, errors);
  if (!location) return RenderError(context, location.error());
  std::int64_t limit = kDefaultListLimit;
  if (auto text = QueryValue(*params, "limit")) {
    auto parsed = ParseIntIn(*text, 1, kMaxListLimit);
    if (!parsed) errors.Add("limit", "limit must be an integer between 1 and 100");
    limit = parsed.value_or(kDefaultListLimit);
  }
  std::optional<std::int64_t> after;
  if (auto text = QueryValue(*params, "startAfterId")) {
    after = ParseIntIn(*text, 1, kUnbounded);
    if (!after) errors.Add("startAfterId", "startAfterId must be the id of a contact");
  }
  if (auto text = QueryValue(*params, "startAfter"); text && !ParseIntIn(*text, 0, kUnbounded)) {
    errors.Add("startAfter", "startAfter must be a time in milliseconds");
  }
  if (!errors.empty()) {
    return RenderError(context, domain::Error::Validation(std::move(errors).Take()));
  }
  domain::QueryParams list{{"is_connected", "all"}, {"limit", std::to_string(limit)}};
  auto search = QueryValue(*params, "query");
  if (search && !domain::Trim(*search).empty()) list.emplace_back("search", *search);
  auto query = domain::ParseContactListQuery(list, s.cursors, {});
  if (!query)
    return RenderError(context,
                       RenamedFields(query.error(), std::array{RenamedParam{"search", "query"}}));
  query->after_id = after;
  auto page = s.contacts.List(context.caller(), *query);
  if (!page)
    return RenderError(context,
                       RenamedFields(page.error(), std::array{RenamedParam{"search", "query"}}));
  ListMeta meta;
  meta.total = page->total;
  if (page->has_more && !page->items.empty()) {
    const domain::Contact& last = page->items.back();
    meta.start_after_id = last.id.value;
    meta.start_after = last.created_at * 1000;
    std::string url = std::string(kBase) + "/contacts/?locationId=" + Encoded(*location_id) +
                      "&limit=" + std::to_string(limit);
    if (search) url += "&query=" + Encoded(*search);
    url += "&startAfter=" + std::to_string(*meta.start_after) +
           "&startAfterId=" + std::to_string(last.id.value);
    meta.next_page_url = std::move(url);
  }
  return Answer(s, context, page->items,
                [&](const View& view) { return RenderListPage(page->items, meta, view); });
}

// POST /contacts/search, as the domain's list parameters: each filter a condition under its
// domain name, and what each parameter was sent as (for the domain's errors).
struct SearchRequest {
  domain::QueryParams params{{"is_connected", "all"}};
  std::vector<RenamedParam> renamed;
  // For each filter's path, the domain's name of its field and the name it was sent as.
  std::vector<std::tuple<std::string, std::string, std::string>> field_names;
  std::int64_t limit = kDefaultPageLimit;
  std::int64_t offset = 0;
};

// The domain's error about a search in its terms: each parameter named by the filter it came
// from, the field by the name it was sent as, and a value no field takes a validation error.
domain::Error InSearchTerms(domain::Error error, const SearchRequest& search) {
  error = RenamedFields(std::move(error), search.renamed);
  for (domain::FieldError& field : error.fields) {
    for (const auto& [path, domain_name, sent] : search.field_names) {
      if (field.field != path) continue;
      std::size_t at = field.message.find(domain_name, path.size());
      if (at != std::string::npos) field.message.replace(at, domain_name.size(), sent);
      break;
    }
  }
  if (!error.fields.empty()) error.message = error.fields.front().message;
  if (error.code == domain::ErrorCode::kBadRequest) error.code = domain::ErrorCode::kValidation;
  return error;
}

// The kind of a field of the domain's list queries (custom fields: kCustom).
domain::FieldKind KindOf(std::string_view domain_name) {
  for (const domain::QueryField& field : domain::ContactQueryFields()) {
    if (field.name == domain_name) return field.kind;
  }
  return domain::FieldKind::kCustom;
}

// The fields searches filter and sort on, by the seed's names (and the lower-case ones
// HighLevel's search documents), and the domain's name of each.
constexpr std::array<std::pair<std::string_view, std::string_view>, 25> kSearchFields = {{
    {"id", "id"},
    {"firstName", "first_name"},
    {"firstNameLowerCase", "first_name"},
    {"lastName", "last_name"},
    {"lastNameLowerCase", "last_name"},
    {"name", "full_name"},
    {"fullNameLowerCase", "full_name"},
    {"email", "email"},
    {"phone", "phone"},
    {"companyName", "company_name"},
    {"address", "address"},
    {"address1", "address"},
    {"city", "city"},
    {"state", "state"},
    {"postalCode", "zip"},
    {"country", "country"},
    {"timezone", "timezone"},
    {"website", "website"},
    {"source", "source"},
    {"tags", "tags"},
    {"dnd", "dnd"},
    {"dateOfBirth", "birthday"},
    {"dateAdded", "created_at"},
    {"dateUpdated", "updated_at"},
    {"assignedTo", "assigned_user_id"},
}};

// The custom fields of a search: customFields.<id> (or .<key>).
constexpr std::string_view kCustomPrefix = "customFields.";

class SearchReader {
 public:
  // `custom_fields` reads the account's definitions, the first time a field names one.
  SearchReader(std::function<domain::Result<std::vector<domain::CustomField>>()> custom_fields,
               SearchRequest& out, domain::FieldErrors& errors)
      : custom_fields_(std::move(custom_fields)), out_(out), errors_(errors) {}

  // The error reading the definitions met, if it did.
  const std::optional<domain::Error>& failure() const { return failure_; }

  // The domain's name of a field the search names, or nullopt (recorded under `path`).
  std::optional<std::string> DomainField(const json::value* field, const std::string& path) {
    if (field == nullptr || !field->is_string()) {
      errors_.Add(path, path + " must name a field");
      return std::nullopt;
    }
    std::string_view name = field->get_string();
    for (const auto& [seed, domain_name] : kSearchFields) {
      if (seed == name) return std::string(domain_name);
    }
    if (name.starts_with(kCustomPrefix)) {
      std::string_view ref = name.substr(kCustomPrefix.size());
      auto id = ParseIntIn(ref, 1, kUnbounded);
      if (!fields_) {
        auto read = custom_fields_();
        if (!read) {
          failure_ = read.error();
          return std::nullopt;
        }
        fields_ = std::move(*read);
      }
      for (const domain::CustomField& custom : *fields_) {
        if ((id && custom.id.value == *id) || custom.key == ref) {
          return "custom_fields." + custom.key;
        }
      }
      errors_.Add(path, path + ": no custom field of this location has the id or key '" +
                            std::string(ref) + "'");
      return std::nullopt;
    }
    errors_.Add(path, path + ": '" + std::string(name) + "' cannot be searched on");
    return std::nullopt;
  }

  // One {field, operator, value} filter, as a condition of the query (`branch` empty) or of
  // $or branch `branch`.
  void AddFilter(const json::object& filter, const std::string& path, const std::string& branch) {
    domain::FieldErrors& errors = errors_;
    // The domain's bound on conditions, checked here too: what a body holds past it is not read.
    if (++conditions_ > domain::kMaxFilterTerms) {
      errors.Add("filters", "filters hold at most " + std::to_string(domain::kMaxFilterTerms) +
                                " conditions; " + path + " is one too many");
      return;
    }
    ObjectReader reader(filter, path, errors);
    const json::value* field_value = reader.Member("field");
    auto op = reader.String("operator");
    const json::value* value = reader.Member("value");
    reader.RejectUnknown();
    auto field = DomainField(field_value, path + ".field");
    if (!field || !op.value) {
      if (!op.value) errors.Add(path + ".operator", path + ".operator must be a string");
      return;
    }
    bool dates = *field == "created_at" || *field == "updated_at";
    auto key = [&](std::string_view operation) {
      std::string base = branch.empty() ? *field : branch + "[" + *field + "]";
      return operation.empty() ? base : base + "[" + std::string(operation) + "]";
    };
    auto add = [&](std::string param, std::string text) {
      out_.renamed.emplace_back(param, path);
      out_.params.emplace_back(std::move(param), std::move(text));
    };
    out_.field_names.emplace_back(path, *field, std::string(field_value->get_string()));
    // The domain names a custom field by its key in what it refuses.
    if (KindOf(*field) == domain::FieldKind::kCustom) out_.renamed.emplace_back(*field, path);
    const std::string& name = *op.value;
    bool tags = *field == "tags";
    domain::FieldKind kind = KindOf(*field);
    if ((name == "contains" || name == "not_contains") && !tags &&
        kind != domain::FieldKind::kText && kind != domain::FieldKind::kCustom) {
      errors.Add(path + ".operator", path + ".operator " + name +
                                         " applies to text fields and "
                                         "tags; " +
                                         std::string(field_value->get_string()) + " is neither");
      return;
    }
    if (name == "exists" || name == "not_exists") {
      if (value != nullptr && !value->is_null()) {
        errors.Add(path + ".value", path + ".value is not taken by " + name);
        return;
      }
      add(key("$exists"), name == "exists" ? "true" : "false");
    } else if (name == "eq" || name == "not_eq" ||
               (tags && (name == "contains" || name == "not_contains"))) {
      // A set of tags contains a tag: contains is equality there.
      bool negated = name == "not_eq" || name == "not_contains";
      if (value != nullptr && value->is_array()) {
        const json::array& values = value->get_array();
        if (values.empty() || values.size() > domain::kMaxInValues) {
          errors.Add(path + ".value", path + ".value holds 1 to 100 values");
          return;
        }
        for (std::size_t i = 0; i < values.size(); ++i) {
          auto text = Text(&values[i], path + ".value[" + std::to_string(i) + "]", dates);
          if (text) add(key(negated ? "$nin" : "$in") + "[]", std::move(*text));
        }
      } else if (auto text = Text(value, path + ".value", dates)) {
        add(key(negated ? "$ne" : ""), std::move(*text));
      }
    } else if (name == "contains" || name == "not_contains") {
      if (auto text = Text(value, path + ".value", dates)) {
        add(key(name == "contains" ? "$contains" : "$ncontains"), std::move(*text));
      }
    } else if (name == "range") {
      if (value == nullptr || !value->is_object() || value->get_object().empty()) {
        errors.Add(path + ".value", path + ".value must be an object of gt, gte, lt and lte");
        return;
      }
      ObjectReader bounds(value->get_object(), path + ".value", errors);
      for (std::string_view bound : {"gt", "gte", "lt", "lte"}) {
        const json::value* limit = bounds.Member(bound);
        if (limit == nullptr) continue;
        if (auto text = Text(limit, bounds.Path(bound), dates)) {
          add(key("$" + std::string(bound)), std::move(*text));
        }
      }
      bounds.RejectUnknown();
    } else {
      errors.Add(path + ".operator", path +
                                         ".operator must be one of eq, not_eq, contains, "
                                         "not_contains, exists, not_exists and range");
    }
  }

  // filters[]: filters, and groups {group: "AND"|"OR", filters} of filters (an OR group's
  // members may be AND groups of filters). At most one OR group: the domain's $or.
  void AddFilters(const json::array& filters) {
    bool has_or = false;
    for (std::size_t i = 0; i < filters.size() && Reading(); ++i) {
      std::string path = "filters[" + std::to_string(i) + "]";
      const json::object* filter = filters[i].if_object();
      if (filter == nullptr) {
        errors_.Add(path, path + " must be an object");
        continue;
      }
      auto group = Group(*filter, path);
      if (!group) {
        if (!filter->contains("group")) AddFilter(*filter, path, "");
        continue;
      }
      if (group->first == "AND") {
        AddGroup(*group->second, path, "");
        continue;
      }
      if (has_or) {
        errors_.Add(path, path + ": a search takes at most one OR group");
        continue;
      }
      has_or = true;
      for (std::size_t j = 0; j < group->second->size() && Reading(); ++j) {
        std::string member = path + ".filters[" + std::to_string(j) + "]";
        std::string branch = "$or[" + std::to_string(j) + "]";
        const json::object* nested = (*group->second)[j].if_object();
        if (nested == nullptr) {
          errors_.Add(member, member + " must be an object");
          continue;
        }
        auto inner = Group(*nested, member);
        if (inner && inner->first == "AND") {
          AddGroup(*inner->second, member, branch);
        } else if (inner) {
          errors_.Add(member, member + ": an OR group holds filters and AND groups");
        } else if (!nested->contains("group")) {
          AddFilter(*nested, member, branch);
        }
      }
    }
  }

 private:
  // A group's kind and filters, or nullopt for a plain filter (or a broken group, recorded).
  std::optional<std::pair<std::string, const json::array*>> Group(const json::object& filter,
                                                                  const std::string& path) {
    const json::value* group = filter.if_contains("group");
    if (group == nullptr) return std::nullopt;
    const json::value* members = filter.if_contains("filters");
    if (!group->is_string() || (group->get_string() != "AND" && group->get_string() != "OR")) {
      errors_.Add(path + ".group", path + ".group must be AND or OR");
      return std::nullopt;
    }
    if (members == nullptr || !members->is_array()) {
      errors_.Add(path + ".filters", path + ".filters must be an array");
      return std::nullopt;
    }
    for (const auto& member : filter) {
      if (member.key() != "group" && member.key() != "filters") {
        errors_.Add(path + "." + std::string(member.key()),
                    path + "." + std::string(member.key()) + " is not a known field");
      }
    }
    return std::pair{std::string(group->get_string()), &members->get_array()};
  }

  // An AND group's filters, each a condition of the query or of one $or branch.
  void AddGroup(const json::array& filters, const std::string& path, const std::string& branch) {
    for (std::size_t j = 0; j < filters.size() && Reading(); ++j) {
      std::string member = path + ".filters[" + std::to_string(j) + "]";
      const json::object* nested = filters[j].if_object();
      if (nested == nullptr || nested->contains("group")) {
        errors_.Add(member, member + " must be a filter (groups nest one level)");
        continue;
      }
      AddFilter(*nested, member, branch);
    }
  }

  // A filter value as query text: a string, a number or a boolean; for dateAdded and
  // dateUpdated, a number is a time in milliseconds.
  std::optional<std::string> Text(const json::value* value, const std::string& path, bool dates) {
    if (value != nullptr) {
      if (value->is_string()) return std::string(value->get_string());
      if (value->is_bool()) return value->get_bool() ? "true" : "false";
      // Times in milliseconds from the years 0001 to 9999, the range of ISO 8601's dates.
      constexpr std::int64_t kFirstMs = -62'135'596'800'000;
      constexpr std::int64_t kLastMs = 253'402'300'799'999;
      bool fits = value->is_int64() || (value->is_uint64() && value->get_uint64() <= kUnbounded);
      if (fits) {
        std::int64_t number =
            value->is_int64() ? value->get_int64() : static_cast<std::int64_t>(value->get_uint64());
        if (!dates) return std::to_string(number);
        if (number >= kFirstMs && number <= kLastMs) return domain::FormatTimestampMs(number);
        errors_.Add(path, path + " must be a time in milliseconds of the years 0001 to 9999");
        return std::nullopt;
      }
      if (value->is_double() && !dates) return json::serialize(*value);
    }
    errors_.Add(path, path + " must be a string, a number or a boolean");
    return std::nullopt;
  }

  // Whether to read on: neither the error list nor the conditions are full.
  bool Reading() const { return !errors_.full() && conditions_ <= domain::kMaxFilterTerms; }

  std::size_t conditions_ = 0;
  std::function<domain::Result<std::vector<domain::CustomField>>()> custom_fields_;
  std::optional<std::vector<domain::CustomField>> fields_;
  std::optional<domain::Error> failure_;
  SearchRequest& out_;
  domain::FieldErrors& errors_;
};

domain::Result<SearchRequest> ParseSearch(const Services& s, const http::RequestContext& context,
                                          const json::object& body) {
  SearchRequest search;
  domain::FieldErrors errors;
  ObjectReader reader(body, "", errors);
  auto location = reader.String("locationId");
  if (auto checked = CheckLocation(context, location.value, true, errors); !checked) {
    return std::unexpected(checked.error());
  }
  auto page = reader.Integer("page");
  auto page_limit = reader.Integer("pageLimit");
  auto query = reader.String("query");
  const json::value* sort = reader.Member("sort");
  const json::array* filters = reader.Array("filters", domain::kMaxFilterTerms * 2, "filters");
  if (reader.Member("searchAfter") != nullptr) {
    errors.Add("searchAfter", "searchAfter is not supported; page through with page and pageLimit");
  }
  reader.RejectUnknown();
  if (page_limit.value) {
    if (*page_limit.value < 1 || *page_limit.value > kMaxPageLimit) {
      errors.Add("pageLimit", "pageLimit must be an integer between 1 and 500");
    }
    search.limit = *page_limit.value;
  }
  if (page.value) {
    std::int64_t number = *page.value;
    if (number < 1 || (number - 1) > domain::kMaxOffset / std::max<std::int64_t>(search.limit, 1)) {
      errors.Add("page", "page must be an integer from 1, and page * pageLimit at most 10000000");
    } else {
      search.offset = (number - 1) * search.limit;
    }
  }
  if (query.value && !domain::Trim(*query.value).empty()) {
    search.params.emplace_back("search", *query.value);
    search.renamed.emplace_back("search", "query");
  }
  SearchReader filter_reader([&] { return CustomFields(s, context); }, search, errors);
  if (filters != nullptr) filter_reader.AddFilters(*filters);
  if (sort != nullptr) {
    const json::array* keys = sort->if_array();
    if (keys == nullptr) errors.Add("sort", "sort must be an array of {field, direction}");
    if (keys != nullptr && keys->size() > domain::kMaxSortKeys) {
      errors.Add("sort", "sort takes at most " + std::to_string(domain::kMaxSortKeys) + " fields");
      keys = nullptr;
    }
    std::string order;
    for (std::size_t i = 0; keys != nullptr && i < keys->size(); ++i) {
      std::string path = "sort[" + std::to_string(i) + "]";
      const json::object* key = (*keys)[i].if_object();
      if (key == nullptr) {
        errors.Add(path, path + " must be an object {field, direction}");
        continue;
      }
      ObjectReader key_reader(*key, path, errors);
      const json::value* field_value = key_reader.Member("field");
      auto direction = key_reader.String("direction");
      key_reader.RejectUnknown();
      auto field = filter_reader.DomainField(field_value, path + ".field");
      bool descending = direction.value && *direction.value == "desc";
      if (direction.present && (!direction.value || (*direction.value != "asc" && !descending))) {
        errors.Add(path + ".direction", path + ".direction must be asc or desc");
      }
      if (!field) continue;
      domain::FieldKind kind = KindOf(*field);
      if (kind == domain::FieldKind::kPhone || kind == domain::FieldKind::kCustom) {
        errors.Add(path + ".field", path + ".field: " + std::string(field_value->get_string()) +
                                        " cannot be sorted on");
        continue;
      }
      if (!order.empty()) order += ',';
      order += (descending ? "-" : "") + *field;
    }
    if (!order.empty()) {
      search.params.emplace_back("sort", order);
      search.renamed.emplace_back("sort", "sort");
    }
  }
  if (filter_reader.failure()) return std::unexpected(*filter_reader.failure());
  if (!errors.empty()) return std::unexpected(domain::Error::Validation(std::move(errors).Take()));
  return search;
}

http::Response SearchContacts(const Services& s, const http::Request& request,
                              http::RequestContext& context) {
  if (auto error = UnexpectedQuery(request)) return RenderError(context, *error);
  auto body = ParseObject(request.body);
  if (!body) return RenderError(context, body.error());
  auto search = ParseSearch(s, context, *body);
  if (!search) return RenderError(context, search.error());
  auto query = domain::ParseContactListQuery(search->params, s.cursors, {});
  if (!query) return RenderError(context, InSearchTerms(query.error(), *search));
  query->limit = static_cast<int>(search->limit);
  query->offset = search->offset;
  auto page = s.contacts.List(context.caller(), *query);
  if (!page) return RenderError(context, InSearchTerms(page.error(), *search));
  return Answer(s, context, page->items,
                [&](const View& view) { return RenderSearchPage(page->items, page->total, view); });
}

}  // namespace

void AddRoutes(http::Router& router, const Services& services) {
  router.SetSurface("leadconnector");
  using HandlerFn =
      http::Response (*)(const Services&, const http::Request&, http::RequestContext&);
  auto add = [&](const char* method, std::string_view path, HandlerFn fn,
                 const http::RouteOptions& options) {
    router.Add(
        method, std::string(kBase) + std::string(path),
        [services, fn](const http::Request& request, http::RequestContext& context) {
          // Every request of the API names the version it is written for.
          if (auto error = VersionError(request)) return RenderError(context, *error);
          return fn(services, request, context);
        },
        [](const http::RequestContext& context, const domain::Error& error) {
          return RenderError(context, error);
        },
        options);
  };
  using domain::Permission;
  auto needs = [](Permission permission) {
    return http::RouteOptions{.permission = permission, .resource = "contact"};
  };
  // The literal paths before /contacts/{id}, which would take "search" or "upsert" for an id.
  add("POST", "/contacts/search", SearchContacts, needs(Permission::kRead));
  add("GET", "/contacts/search/duplicate", FindDuplicate, needs(Permission::kRead));
  add("POST", "/contacts/upsert", UpsertContact, needs(Permission::kCreate));
  // The trailing slash of the seed's /contacts/ is optional (the router ignores it).
  add("POST", "/contacts", CreateContact, needs(Permission::kCreate));
  add("GET", "/contacts", ListContacts, needs(Permission::kRead));
  add("GET", "/contacts/{id}", GetContact, needs(Permission::kRead));
  add("PUT", "/contacts/{id}", UpdateContact, http::Versioned(needs(Permission::kUpdate)));
  add("DELETE", "/contacts/{id}", DeleteContact, http::Versioned(needs(Permission::kUpdate)));
  add("POST", "/contacts/{id}/tags", AddTags, needs(Permission::kUpdate));
  add("DELETE", "/contacts/{id}/tags", RemoveTags, needs(Permission::kUpdate));
}

}  // namespace contactd::api::leadconnector

#include "api/liondesk/routes.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "api/conditional.hpp"
#include "api/json.hpp"
#include "api/liondesk/codec.hpp"
#include "api/params.hpp"
#include "domain/contacts.hpp"
#include "domain/query.hpp"
#include "http/router.hpp"

namespace contactd::api::liondesk {
namespace {

constexpr std::string_view kBase = "/compat/liondesk";
// The seed's example shows a default limit of 10; Feathers serves a larger $limit as its max.
constexpr std::int64_t kDefaultLimit = 10;
constexpr std::int64_t kMaxLimit = 100;
// No bound but the integer's own (ids, $limit before it is capped, array indexes).
constexpr std::int64_t kUnbounded = std::numeric_limits<std::int64_t>::max();

// The record's scalar members that finds filter and sort on, and the domain's name of each.
constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kQueryFields = {{
    {"id", "id"},
    {"owner_user_id", "owner_user_id"},
    {"assigned_user_id", "assigned_user_id"},
    {"first_name", "first_name"},
    {"last_name", "last_name"},
    {"email", "email"},
    {"mobile_phone", "mobile_phone"},
    {"home_phone", "home_phone"},
    {"office_phone", "office_phone"},
    {"fax", "fax"},
    {"company", "company_name"},
    {"birthday", "birthday"},
    {"anniversary", "anniversary"},
    {"spouse_name", "spouse_name"},
    {"spouse_email", "spouse_email"},
    {"spouse_phone", "spouse_phone"},
    {"spouse_birthday", "spouse_birthday"},
    {"tags", "tags"},
    {"created_at", "created_at"},
    {"modified_at", "updated_at"},
    {"hotness_id", "hotness_id"},
    {"source_id", "source_id"},
}};

// Seed 002 writes phones as free text, has contacts without a company or a type, names companies
// by name (a PATCH may change it) and lets a create say when a contact was created and changed.
domain::WritePolicy Policy() {
  domain::WritePolicy policy;
  policy.phones = domain::PhonePolicy::kKeepUnparsed;
  policy.requires_type_and_company = false;
  policy.moves_companies = true;
  policy.writes_timestamps = true;
  return policy;
}

// Feathers' answer for an id that names no record the caller sees.
domain::Error Missing(const std::string& id) {
  return domain::Error::NotFound("No record found for id '" + id + "'");
}

// The path's id, or NotFound naming it as sent.
domain::Result<domain::ContactId> IdParam(const http::RequestContext& context) {
  const std::string& id = context.path_params[0];
  auto value = ParseIntIn(id, 1, kUnbounded);
  if (!value) return std::unexpected(Missing(id));
  return domain::ContactId{*value};
}

// A contact use case's error, with a missing contact named as Feathers names it.
domain::Error Named(const http::RequestContext& context, domain::Error error) {
  if (error.code == domain::ErrorCode::kNotFound) return Missing(context.path_params[0]);
  return error;
}

// Adds a $select member (`$select`, `$select[N]` or `$select[]`) to `select`.
void AddSelect(const std::string& key, std::span<const std::string_view> parts,
               const std::string& value, std::vector<std::string>& select,
               domain::FieldErrors& errors) {
  bool indexed = parts.size() == 2 && (parts[1].empty() || ParseIntIn(parts[1], 0, kUnbounded));
  if (parts.size() > 2 || (parts.size() == 2 && !indexed)) {
    errors.Add(key, "malformed query parameter '" + key + "'");
    return;
  }
  std::span<const std::string_view> members = RecordMembers();
  if (std::find(members.begin(), members.end(), value) == members.end()) {
    errors.Add(key, key + ": unknown field '" + value + "'");
    return;
  }
  if (select.size() < members.size() && std::find(select.begin(), select.end(), value) ==
                                            select.end()) {
    select.push_back(value);
  }
}

// A record request's query: only $select.
domain::Result<std::vector<std::string>> ParseSelect(std::string_view query) {
  auto params = ParseQueryString(query);
  if (!params) return std::unexpected(params.error());
  std::vector<std::string> select;
  domain::FieldErrors errors;
  for (const auto& [key, value] : *params) {
    auto parts = domain::SplitBracketKey(key);
    if (parts && parts->front() == "$select") {
      AddSelect(key, *parts, value, select, errors);
    } else {
      errors.Add(key, "unknown query parameter '" + key + "'; a record takes only $select");
    }
  }
  if (!errors.empty()) {
    return std::unexpected(domain::BadRequestOf(std::move(errors)));
  }
  return select;
}

// What records show beside their contacts, read once per answer, and the $select it keeps.
struct Shown {
  domain::ContactExtras extras;
  std::vector<std::string> select;

  View view() const { return {extras, select}; }
};

domain::Result<Shown> ShownFor(const Services& s, const domain::Principal& caller,
                               std::span<const domain::Contact> contacts,
                               std::vector<std::string> select) {
  auto wants = [&](std::string_view member) {
    return select.empty() || std::find(select.begin(), select.end(), member) != select.end();
  };
  auto extras = s.contacts.ExtrasOf(
      caller, contacts, {wants("custom_fields"), wants("source"), wants("company")});
  if (!extras) return std::unexpected(extras.error());
  return Shown{std::move(*extras), std::move(select)};
}

// One record's answer. Whole, it carries its version as ETag (a $select is another
// representation, which that tag would not name).
http::Response Record(const Services& s, const http::RequestContext& context,
                      const domain::Contact& contact, std::vector<std::string> select = {},
                      unsigned status = 200) {
  bool whole = select.empty();
  auto shown = ShownFor(s, context.caller(), std::span(&contact, 1), std::move(select));
  if (!shown) return RenderError(context, shown.error());
  http::Response response = RenderContact(contact, shown->view(), status);
  if (whole) response.headers.emplace_back("ETag", EntityTag(contact.version));
  return response;
}

// custom_fields in a body name definitions by id: the account's are read when it sends them.
domain::Result<domain::ContactInput> ReadBody(const Services& s, const http::Request& request,
                                              const http::RequestContext& context, bool create) {
  auto object = ParseObject(request.body);
  if (!object) return std::unexpected(object.error());
  domain::ContactExtras extras;
  if (object->contains("custom_fields")) {
    auto read = s.contacts.ExtrasOf(context.caller(), {}, {.sources = false,
                                                           .company_names = false});
    if (!read) return std::unexpected(read.error());
    extras = std::move(*read);
  }
  return ParseContactBody(*object, create, extras.custom_fields);
}

http::Response CreateContact(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto input = ReadBody(s, request, context, /*create=*/true);
  if (!input) return RenderError(context, input.error());
  auto contact = s.contacts.Create(context.caller(), std::move(*input), Policy());
  if (!contact) return RenderError(context, contact.error());
  return Record(s, context, *contact, {}, 201);
}

http::Response GetContact(const Services& s, const http::Request& request,
                          http::RequestContext& context) {
  auto id = IdParam(context);
  if (!id) return RenderError(context, id.error());
  auto select = ParseSelect(request.query);
  if (!select) return RenderError(context, select.error());
  auto contact = s.contacts.Get(context.caller(), *id);
  if (!contact) return RenderError(context, Named(context, contact.error()));
  if (select->empty() && NoneMatch(request.if_none_match, contact->version)) {
    return NotModified(contact->version);
  }
  return Record(s, context, *contact, std::move(*select));
}

http::Response PatchContact(const Services& s, const http::Request& request,
                            http::RequestContext& context) {
  auto id = IdParam(context);
  if (!id) return RenderError(context, id.error());
  auto select = ParseSelect(request.query);
  if (!select) return RenderError(context, select.error());
  auto input = ReadBody(s, request, context, /*create=*/false);
  if (!input) return RenderError(context, input.error());
  ApplyIfMatch(request.if_match, input->expected);
  auto contact = s.contacts.Update(context.caller(), *id, std::move(*input), Policy());
  if (!contact) return RenderError(context, Named(context, contact.error()));
  return Record(s, context, *contact, std::move(*select));
}

// Feathers' remove answers with the record removed, as it was when it was deleted.
http::Response RemoveContact(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto id = IdParam(context);
  if (!id) return RenderError(context, id.error());
  auto select = ParseSelect(request.query);
  if (!select) return RenderError(context, select.error());
  domain::VersionCheck expected;
  ApplyIfMatch(request.if_match, expected);
  auto removed = s.contacts.Remove(context.caller(), *id, expected);
  if (!removed) return RenderError(context, Named(context, removed.error()));
  auto shown = ShownFor(s, context.caller(), std::span(&*removed, 1), std::move(*select));
  if (!shown) return RenderError(context, shown.error());
  return RenderContact(*removed, shown->view());
}

// A find in the domain's list parameters: the seed's fields by their domain names, $limit,
// $skip, $sort and $select read here.
struct FindRequest {
  domain::QueryParams params{{"is_connected", "all"}};
  std::int64_t limit = kDefaultLimit;
  std::int64_t skip = 0;
  std::vector<std::string> select;
  // The parameters renamed for the domain, and the keys they were sent as (for its errors).
  std::vector<RenamedParam> renamed;
};

std::optional<std::string_view> DomainField(std::string_view name) {
  for (const auto& [field, domain_name] : kQueryFields) {
    if (field == name) return domain_name;
  }
  return std::nullopt;
}

// `parts` with parts[index] (a field of the seed) in the domain's name, as a key again.
std::optional<std::string> DomainKey(std::span<const std::string_view> parts, std::size_t index) {
  if (index >= parts.size()) return std::nullopt;
  auto field = DomainField(parts[index]);
  if (!field) return std::nullopt;
  std::string key(index == 0 ? *field : parts[0]);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    key += '[';
    key += i == index ? *field : parts[i];
    key += ']';
  }
  return key;
}

domain::Result<FindRequest> ParseFind(std::string_view query) {
  auto params = ParseQueryString(query);
  if (!params) return std::unexpected(params.error());
  FindRequest find;
  std::string sort;
  domain::FieldErrors errors;
  for (const auto& [key, value] : *params) {
    auto parts = domain::SplitBracketKey(key);
    if (!parts) {
      errors.Add(key, "malformed query parameter '" + key + "'");
      continue;
    }
    std::string_view head = parts->front();
    if (head == "$limit" && parts->size() == 1) {
      auto limit = ParseIntIn(value, 0, kUnbounded);
      if (!limit) errors.Add(key, "$limit must be a non-negative integer");
      find.limit = std::min(limit.value_or(kDefaultLimit), kMaxLimit);
    } else if (head == "$skip" && parts->size() == 1) {
      auto skip = ParseIntIn(value, 0, domain::kMaxOffset);
      if (!skip) errors.Add(key, "$skip must be an integer between 0 and 10000000");
      find.skip = skip.value_or(0);
    } else if (head == "$sort" && parts->size() == 2) {
      auto field = DomainField((*parts)[1]);
      if (!field) {
        errors.Add(key, key + ": unknown field '" + std::string((*parts)[1]) + "'");
      } else if (value != "1" && value != "-1") {
        errors.Add(key, key + " must be 1 (ascending) or -1 (descending)");
      } else {
        if (!sort.empty()) sort += ',';
        sort += (value == "-1" ? "-" : "") + std::string(*field);
      }
    } else if (head == "$select") {
      AddSelect(key, *parts, value, find.select, errors);
    } else if (head == "$or" || !head.starts_with('$')) {
      auto renamed = DomainKey(*parts, head == "$or" ? 2 : 0);
      if (!renamed) {
        errors.Add(key, "unknown query parameter '" + key + "'");
        continue;
      }
      find.renamed.emplace_back(*renamed, key);
      find.params.emplace_back(std::move(*renamed), value);
    } else {
      errors.Add(key, "unknown query parameter '" + key +
                          "'; use $limit, $skip, $sort, $select, $or or a field");
    }
  }
  if (!errors.empty()) {
    return std::unexpected(domain::BadRequestOf(std::move(errors)));
  }
  if (!sort.empty()) {
    find.params.emplace_back("sort", sort);
    find.renamed.emplace_back("sort", "$sort");
  }
  // $limit=0 asks for the total alone: one row is read and not shown.
  find.params.emplace_back("limit", std::to_string(std::max<std::int64_t>(find.limit, 1)));
  find.params.emplace_back("offset", std::to_string(find.skip));
  return find;
}

http::Response FindContacts(const Services& s, const http::Request& request,
                            http::RequestContext& context) {
  auto find = ParseFind(request.query);
  if (!find) return RenderError(context, find.error());
  auto query = domain::ParseContactListQuery(find->params, s.cursors, {});
  if (!query) return RenderError(context, RenamedFields(query.error(), find->renamed));
  auto page = s.contacts.List(context.caller(), *query);
  if (!page) return RenderError(context, RenamedFields(page.error(), find->renamed));
  if (find->limit == 0) page->items.clear();
  auto shown = ShownFor(s, context.caller(), page->items, std::move(find->select));
  if (!shown) return RenderError(context, shown.error());
  return RenderContactPage(page->items, page->total, find->limit, find->skip, shown->view());
}

}  // namespace

void AddRoutes(http::Router& router, const Services& services) {
  router.SetSurface("liondesk");
  using HandlerFn = http::Response (*)(const Services&, const http::Request&,
                                       http::RequestContext&);
  auto add = [&](const char* method, std::string_view path, HandlerFn fn,
                 const http::RouteOptions& options) {
    // The seed's URLs have a double slash (https://api-v2.liondesk.com//contacts).
    for (std::string_view slash : {"", "/"}) {
      router.Add(
          method, std::string(kBase) + std::string(slash) + std::string(path),
          [services, fn](const http::Request& request, http::RequestContext& context) {
            return fn(services, request, context);
          },
          [](const http::RequestContext& context, const domain::Error& error) {
            return RenderError(context, error);
          },
          options);
    }
  };
  using domain::Permission;
  auto needs = [](Permission permission, bool bounded_read = false) {
    return http::RouteOptions{
        .permission = permission, .resource = "contact", .bounded_read = bounded_read};
  };
  add("POST", "/contacts", CreateContact, needs(Permission::kCreate));
  add("GET", "/contacts", FindContacts, needs(Permission::kRead));
  add("GET", "/contacts/{id}", GetContact, needs(Permission::kRead));
  add("PATCH", "/contacts/{id}", PatchContact, http::Versioned(needs(Permission::kUpdate)));
  add("DELETE", "/contacts/{id}", RemoveContact, http::Versioned(needs(Permission::kUpdate)));
}

}  // namespace contactd::api::liondesk

#include "api/v1/routes.hpp"

#include <cctype>
#include <span>
#include <string>
#include <vector>

#include "api/conditional.hpp"
#include "api/params.hpp"
#include "api/v1/codec.hpp"
#include "domain/access.hpp"
#include "domain/companies.hpp"
#include "domain/contacts.hpp"
#include "domain/query.hpp"
#include "domain/text.hpp"
#include "http/router.hpp"

namespace contactd::api::v1 {
namespace {

constexpr std::string_view kBase = "/api/v1";
constexpr int kDefaultLimit = 20;
constexpr int kMaxLimit = 100;
// Pages past this one would only walk rows to skip them: 10,000,000 contacts at 100 a page.
constexpr std::int64_t kMaxPage = 100'000;

// Seed 003 writes phones as free text and has contacts without a company or a type.
domain::WritePolicy Policy() {
  domain::WritePolicy policy;
  policy.phones = domain::PhonePolicy::kKeepUnparsed;
  policy.requires_type_and_company = false;
  policy.defines_custom_fields = true;
  policy.moves_companies = true;
  return policy;
}

// 8-4-4-4-12 hex digits.
bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

domain::Error Invalid(const std::string& field, std::string message) {
  return domain::Error::BadRequest(message, {{field, message}});
}

// The uids of the companies and managers `contacts` name.
domain::Result<store::Uids> UidsFor(const Services& s, const domain::Principal& caller,
                                    std::span<const domain::Contact> contacts) {
  std::vector<domain::ContactId> managers;
  std::vector<domain::CompanyId> companies;
  for (const domain::Contact& contact : contacts) {
    if (contact.reports_to) managers.push_back(*contact.reports_to);
    if (contact.company) companies.push_back(*contact.company);
  }
  return s.contacts.UidsOf(caller, managers, companies);
}

http::Response Render(const Services& s, const http::RequestContext& context,
                      const domain::Contact& contact, unsigned status = 200) {
  auto uids = UidsFor(s, context.caller(), std::span(&contact, 1));
  if (!uids) return RenderError(context, uids.error());
  return RenderContact(contact, {context.caller().account_uid, *uids}, status);
}

// Resolves what the body names by UUID into the domain input: a missing company is 404
// COMPANY_NOT_FOUND (the resource the request is about), a missing manager a field error.
domain::Result<void> Resolve(const Services& s, const domain::Principal& caller,
                             ContactBody& body) {
  domain::ContactInput& input = body.input;
  if (body.parent_entity_id.present) {
    input.company_id.present = true;
    if (body.parent_entity_id.value) {
      auto company = s.companies.FindByUid(caller, *body.parent_entity_id.value);
      if (!company) return std::unexpected(company.error());
      input.company_id.value = company->value;
    }
  }
  if (body.reports_to.present) {
    input.reports_to.present = true;
    if (body.reports_to.value) {
      auto manager = s.contacts.FindByUid(caller, *body.reports_to.value);
      if (manager) {
        input.reports_to.value = manager->value;
      } else if (manager.error().code == domain::ErrorCode::kNotFound) {
        input.errors.Add("metadata.reportsTo",
                         "metadata.reportsTo must be the id of a contact of your organization");
      } else {
        return std::unexpected(manager.error());
      }
    }
  }
  return {};
}

// Seed 003's contacts always have a name: a create must send one, an update cannot clear it.
void RequireName(domain::ContactInput& input, bool create) {
  const auto& name = input.text[static_cast<std::size_t>(domain::TextField::kFullName)];
  bool blank = !name.value || domain::Trim(*name.value).empty();
  if ((create || name.present) && blank) input.errors.Add("name", "name is required");
}

// A single contact's answer carries its version.
http::Response Tagged(http::Response response, std::int64_t version) {
  if (response.status < 300) response.headers.emplace_back("ETag", EntityTag(version));
  return response;
}

// Applies isActive to the status the write leaves (see StatusAfter).
void ApplyIsActive(ContactBody& body, std::string_view current_status) {
  auto& status = body.input.text[static_cast<std::size_t>(domain::TextField::kStatus)];
  if (auto next = StatusAfter(status, body.is_active, current_status, body.input.errors)) {
    status = {true, std::move(next)};
  }
}

http::Response CreateContact(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto body = ParseContactBody(request.body);
  if (!body) return RenderError(context, body.error());
  if (auto resolved = Resolve(s, context.caller(), *body); !resolved) {
    return RenderError(context, resolved.error());
  }
  ApplyIsActive(*body, "");
  RequireName(body->input, /*create=*/true);
  auto contact = s.contacts.Create(context.caller(), std::move(body->input), Policy());
  if (!contact) return RenderError(context, contact.error());
  return Tagged(Render(s, context, *contact, 201), contact->version);
}

domain::Result<domain::ContactId> ContactParam(const Services& s, const http::RequestContext& c,
                                               std::size_t index = 0) {
  return s.contacts.FindByUid(c.caller(), c.path_params[index]);
}

http::Response GetContact(const Services& s, const http::Request& request,
                          http::RequestContext& context) {
  auto id = ContactParam(s, context);
  if (!id) return RenderError(context, id.error());
  auto contact = s.contacts.Get(context.caller(), *id);
  if (!contact) return RenderError(context, contact.error());
  if (NoneMatch(request.if_none_match, contact->version)) return NotModified(contact->version);
  return Tagged(Render(s, context, *contact), contact->version);
}

// PUT is a partial update; metadata, address and customFields merge member by member.
http::Response UpdateContact(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto id = ContactParam(s, context);
  if (!id) return RenderError(context, id.error());
  auto body = ParseContactBody(request.body);
  if (!body) return RenderError(context, body.error());
  if (auto resolved = Resolve(s, context.caller(), *body); !resolved) {
    return RenderError(context, resolved.error());
  }
  RequireName(body->input, /*create=*/false);
  ApplyIfMatch(request.if_match, body->input.expected);
  bool client_pinned = !body->input.expected.any_of.empty();
  // isActive false keeps an inactive or archived status: the status it leaves depends on the
  // stored one, so the change applies to the version read, read again if another write won.
  for (int attempt = 1;; ++attempt) {
    ContactBody tried = *body;
    if (tried.is_active.present) {
      auto current = s.contacts.Get(context.caller(), *id);
      if (!current) return RenderError(context, current.error());
      ApplyIsActive(tried, current->Text(domain::TextField::kStatus).value_or(""));
      if (!client_pinned) tried.input.expected.any_of = {current->version};
    }
    auto contact = s.contacts.Update(context.caller(), *id, std::move(tried.input), Policy());
    if (!contact && contact.error().code == domain::ErrorCode::kPreconditionFailed &&
        body->is_active.present && !client_pinned && attempt < 3) {
      continue;
    }
    if (!contact) return RenderError(context, contact.error());
    return Tagged(Render(s, context, *contact), contact->version);
  }
}

http::Response DeleteContact(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto id = ContactParam(s, context);
  if (!id) return RenderError(context, id.error());
  domain::VersionCheck expected;
  ApplyIfMatch(request.if_match, expected);
  auto deleted = s.contacts.Delete(context.caller(), *id, /*permanent=*/false, expected);
  if (!deleted) return RenderError(context, deleted.error());
  http::Response response;
  response.status = 204;
  return response;
}

// A list request in seed 003's terms, as the domain's list parameters (the endpoints by
// company, department and contact method add their filter to them).
struct ListRequest {
  domain::QueryParams params{{"is_connected", "all"}};
  std::int64_t page = 1;
  int limit = kDefaultLimit;
};

domain::Result<ListRequest> ParseList(const Services& s, const domain::Principal& caller,
                                      std::string_view query, bool filters) {
  auto params = ParseQueryString(query);
  if (!params) return std::unexpected(params.error());
  ListRequest list;
  std::string order;  // none: by id, which is creation order and needs no sort
  std::string direction = "asc";
  domain::FieldErrors errors;
  for (const auto& [key, value] : *params) {
    if (key == "page") {
      auto page = ParseIntIn(value, 1, kMaxPage);
      if (!page) errors.Add(key, "page must be an integer between 1 and 100000");
      list.page = page.value_or(1);
    } else if (key == "limit") {
      auto limit = ParseIntIn(value, 1, kMaxLimit);
      if (!limit) errors.Add(key, "limit must be an integer between 1 and 100");
      list.limit = static_cast<int>(limit.value_or(kDefaultLimit));
    } else if (key == "orderBy") {
      if (value != "name" && value != "createdAt" && value != "updatedAt") {
        errors.Add(key, "orderBy must be name, createdAt or updatedAt");
      }
      order = value;
    } else if (key == "orderDirection") {
      if (value != "asc" && value != "desc") errors.Add(key, "orderDirection must be asc or desc");
      direction = value;
    } else if (filters && key == "status") {
      if (value != "active" && value != "inactive" && value != "archived") {
        errors.Add(key, "status must be active, inactive or archived");
      }
      list.params.emplace_back("status", value);
    } else if (filters && key == "search") {
      list.params.emplace_back("search", value);
    } else if (filters && key == "isActive") {
      if (value != "true" && value != "false") errors.Add(key, "isActive must be true or false");
      list.params.emplace_back(value == "false" ? "status[$ne]" : "status", "active");
    } else if (filters && key == "parentEntityId") {
      if (!IsUuid(value)) {
        errors.Add(key, "parentEntityId must be a company's UUID");
        continue;
      }
      auto company = s.companies.FindByUid(caller, value);
      if (company) {
        list.params.emplace_back("company_id", std::to_string(company->value));
      } else if (company.error().code == domain::ErrorCode::kNotFound) {
        list.params.emplace_back("company_id", "0");  // no company has it: an empty list
      } else {
        return std::unexpected(company.error());
      }
    } else {
      errors.Add(key, "unknown query parameter '" + key + "'");
    }
  }
  if (!errors.empty()) {
    return std::unexpected(domain::BadRequestOf(std::move(errors)));
  }
  std::string sort = order == "name"        ? "full_name"
                     : order == "updatedAt" ? "updated_at"
                     : order == "createdAt" ? "created_at"
                                            : "";
  std::string prefix = direction == "desc" ? "-" : "";
  if (!sort.empty()) {
    list.params.emplace_back("sort", prefix + sort + "," + prefix + "id");
  } else if (direction == "desc") {
    list.params.emplace_back("sort", "-id");
  }  // else the list's own order: by id, an index walk of the account's contacts
  list.params.emplace_back("limit", std::to_string(list.limit));
  list.params.emplace_back("offset", std::to_string((list.page - 1) * list.limit));
  return list;
}

http::Response RunList(const Services& s, http::RequestContext& context, ListRequest list) {
  auto query = domain::ParseContactListQuery(list.params, s.cursors, {});
  if (!query) return RenderError(context, query.error());
  auto page = s.contacts.List(context.caller(), *query);
  if (!page) return RenderError(context, page.error());
  auto uids = UidsFor(s, context.caller(), page->items);
  if (!uids) return RenderError(context, uids.error());
  return RenderContactPage(*page, list.page, list.limit,
                           {context.caller().account_uid, *uids});
}

http::Response ListContacts(const Services& s, const http::Request& request,
                            http::RequestContext& context) {
  auto list = ParseList(s, context.caller(), request.query, /*filters=*/true);
  if (!list) return RenderError(context, list.error());
  return RunList(s, context, std::move(*list));
}

http::Response CompanyContacts(const Services& s, const http::Request& request,
                               http::RequestContext& context) {
  auto company = s.companies.FindByUid(context.caller(), context.path_params[0]);
  if (!company) return RenderError(context, company.error());
  auto list = ParseList(s, context.caller(), request.query, /*filters=*/false);
  if (!list) return RenderError(context, list.error());
  list->params.emplace_back("company_id", std::to_string(company->value));
  return RunList(s, context, std::move(*list));
}

http::Response DepartmentContacts(const Services& s, const http::Request& request,
                                  http::RequestContext& context) {
  auto list = ParseList(s, context.caller(), request.query, /*filters=*/false);
  if (!list) return RenderError(context, list.error());
  list->params.emplace_back("department", context.path_params[0]);
  return RunList(s, context, std::move(*list));
}

http::Response MethodContacts(const Services& s, const http::Request& request,
                              http::RequestContext& context) {
  const std::string& method = context.path_params[0];
  if (method != "email" && method != "phone" && method != "mobile") {
    return RenderError(context, Invalid("method", "method must be email, phone or mobile"));
  }
  auto list = ParseList(s, context.caller(), request.query, /*filters=*/false);
  if (!list) return RenderError(context, list.error());
  list->params.emplace_back("preferred_contact_method", method);
  return RunList(s, context, std::move(*list));
}

http::Response Hierarchy(const Services& s, const http::Request&,
                         http::RequestContext& context) {
  auto hierarchy = s.contacts.Hierarchy(context.caller());
  if (!hierarchy) return RenderError(context, hierarchy.error());
  std::vector<domain::ContactId> ids;
  ids.reserve(hierarchy->links.size() * 2);
  for (const store::ReportLink& link : hierarchy->links) {
    ids.push_back(link.manager);
    ids.push_back(link.id);
  }
  auto uids = s.contacts.UidsOf(context.caller(), ids, {});
  if (!uids) return RenderError(context, uids.error());
  http::Response response = RenderHierarchy(*hierarchy, *uids);
  // The seed's map has no room for it: more links than one answer holds is said in a header.
  if (hierarchy->has_more) response.headers.emplace_back("X-Has-More", "true");
  return response;
}

http::Response SetPrimary(const Services& s, const http::Request& request,
                          http::RequestContext& context) {
  auto id = ContactParam(s, context);
  if (!id) return RenderError(context, id.error());
  auto company_id = s.companies.FindByUid(context.caller(), context.path_params[1]);
  if (!company_id) return RenderError(context, company_id.error());
  auto contact = s.contacts.Get(context.caller(), *id);
  if (!contact) return RenderError(context, contact.error());
  auto not_its = [&] {
    return RenderError(context,
                       domain::Error::BadRequest("The contact does not belong to this company",
                                                 {{"companyId", "must be the contact's company"}}),
                       "INVALID_ENTITY_TYPE");
  };
  if (contact->company != *company_id) return not_its();
  domain::VersionCheck expected;
  ApplyIfMatch(request.if_match, expected);
  auto company = s.companies.SetPrimaryContact(context.caller(), *company_id, *id, expected);
  if (!company) {
    // The contact left the company meanwhile.
    if (company.error().code == domain::ErrorCode::kValidation) return not_its();
    return RenderError(context, company.error());
  }
  return RenderPrimarySet(*contact, *company);
}

}  // namespace

void AddRoutes(http::Router& router, const Services& services) {
  router.SetSurface("v1");
  using HandlerFn = http::Response (*)(const Services&, const http::Request&,
                                       http::RequestContext&);
  // As on the native API: a route that does not read the query string refuses any parameter.
  auto add = [&](const char* method, std::string_view path, HandlerFn fn,
                 http::RouteOptions options, bool reads_query = false) {
    router.Add(
        method, std::string(kBase) + std::string(path),
        [services, fn, reads_query](const http::Request& request, http::RequestContext& context) {
          if (!reads_query && !request.query.empty()) {
            if (auto none = ParseNoParams(request.query); !none) {
              return RenderError(context, none.error());
            }
          }
          return fn(services, request, context);
        },
        [](const http::RequestContext& context, const domain::Error& error) {
          return RenderError(context, error);
        },
        std::move(options));
  };
  using domain::Permission;
  auto needs = [](Permission permission, bool bounded_read = false) {
    return http::RouteOptions{
        .permission = permission, .resource = "contact", .bounded_read = bounded_read};
  };
  add("POST", "/contacts", CreateContact, needs(Permission::kCreate));
  add("GET", "/contacts", ListContacts, needs(Permission::kRead), /*reads_query=*/true);
  add("GET", "/contacts/hierarchy", Hierarchy, needs(Permission::kRead));
  add("GET", "/contacts/company/{companyId}", CompanyContacts, needs(Permission::kRead),
      /*reads_query=*/true);
  add("GET", "/contacts/department/{department}", DepartmentContacts, needs(Permission::kRead),
      /*reads_query=*/true);
  add("GET", "/contacts/contact-method/{method}", MethodContacts, needs(Permission::kRead),
      /*reads_query=*/true);
  add("GET", "/contacts/{id}", GetContact, needs(Permission::kRead, /*bounded_read=*/true));
  add("PUT", "/contacts/{id}", UpdateContact, http::Versioned(needs(Permission::kUpdate)));
  add("DELETE", "/contacts/{id}", DeleteContact, http::Versioned(needs(Permission::kUpdate)));
  // If-Match names the company's version: it is the company that changes.
  add("POST", "/contacts/{id}/set-primary/{companyId}", SetPrimary,
      http::Versioned(needs(Permission::kUpdate)));
}

}  // namespace contactd::api::v1

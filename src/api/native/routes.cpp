#include "api/native/routes.hpp"

#include "api/conditional.hpp"
#include "api/native/codec.hpp"
#include "api/native/events_codec.hpp"
#include "api/native/export.hpp"
#include "api/native/users_routes.hpp"
#include "api/native/webhooks_routes.hpp"
#include "api/params.hpp"
#include "domain/access.hpp"
#include "domain/account_lists.hpp"
#include "domain/companies.hpp"
#include "domain/contacts.hpp"
#include "domain/cursor.hpp"
#include "domain/custom_fields.hpp"
#include "domain/events.hpp"
#include "domain/settings.hpp"
#include "http/router.hpp"

namespace contactd::api::native {
namespace {

constexpr std::string_view kBase = "/api/external/v2";

http::Response NoContent() {
  http::Response response;
  response.status = 204;
  return response;
}

http::Response ListContacts(const Services& s, const http::Request& request,
                            http::RequestContext& context) {
  auto params = ParseQueryString(request.query);
  if (!params) return RenderError(context, params.error());
  auto query = domain::ParseContactListQuery(*params, s.cursors, ContactOutputFields());
  if (!query) return RenderError(context, query.error());
  auto page = s.contacts.List(context.caller(), *query);
  if (!page) return RenderError(context, page.error());
  return RenderContactPage(context, *page, *query, s.cursors);
}

// Streams every contact the list's filters match as CSV or NDJSON that `contactd import` reads
// back (see ContactExport).
http::Response ExportContacts(const Services& s, const http::Request& request,
                              http::RequestContext& context) {
  auto params = ParseQueryString(request.query);
  if (!params) return RenderError(context, params.error());
  ExportFormat format = ExportFormat::kNdjson;
  auto query = ParseExportQuery(std::move(*params), s.cursors, format);
  if (!query) return RenderError(context, query.error());
  auto stream = ContactExport::Open(s.contacts, context.caller(), std::move(*query), format);
  if (!stream) return RenderError(context, stream.error());
  http::Response response;
  bool csv = format == ExportFormat::kCsv;
  response.content_type = csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
  response.headers.emplace_back(
      "Content-Disposition",
      csv ? "attachment; filename=\"contacts.csv\"" : "attachment; filename=\"contacts.ndjson\"");
  response.stream = std::move(*stream);
  return response;
}

http::Response GetContact(const Services& s, const http::Request& request,
                          http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "contact_id");
  if (!id) return RenderError(context, id.error());
  auto contact = s.contacts.Get(context.caller(), domain::ContactId{*id});
  if (!contact) return RenderError(context, contact.error());
  if (NoneMatch(request.if_none_match, contact->version)) return NotModified(contact->version);
  return RenderContact(context, *contact);
}

http::Response CreateContact(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto input = ParseContactInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto contact = s.contacts.Create(context.caller(), std::move(*input));
  return contact ? RenderContact(context, *contact, 201) : RenderError(context, contact.error());
}

http::Response UpdateContact(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "contact_id");
  if (!id) return RenderError(context, id.error());
  auto input = ParseContactInput(request.body);
  if (!input) return RenderError(context, input.error());
  ApplyIfMatch(request.if_match, input->expected);
  auto contact = s.contacts.Update(context.caller(), domain::ContactId{*id}, std::move(*input));
  return contact ? RenderContact(context, *contact) : RenderError(context, contact.error());
}

http::Response DeleteContact(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "contact_id");
  if (!id) return RenderError(context, id.error());
  auto permanent = ParseFlagParams(request.query, "permanent");
  if (!permanent) return RenderError(context, permanent.error());
  domain::VersionCheck expected;
  ApplyIfMatch(request.if_match, expected);
  auto deleted = s.contacts.Delete(context.caller(), domain::ContactId{*id}, *permanent, expected);
  if (!deleted) return RenderError(context, deleted.error());
  return NoContent();
}

http::Response RestoreContact(const Services& s, const http::Request&,
                              http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "contact_id");
  if (!id) return RenderError(context, id.error());
  auto contact = s.contacts.Restore(context.caller(), domain::ContactId{*id});
  return contact ? RenderContact(context, *contact) : RenderError(context, contact.error());
}

http::Response UpsertContact(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto input = ParseUpsertInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto outcome = s.contacts.Upsert(context.caller(), std::move(input->contact), input->match_on);
  if (!outcome) return RenderError(context, outcome.error());
  return RenderUpsert(context, outcome->contact, outcome->created);
}

http::Response GetSettings(const Services& s, const http::Request&,
                           http::RequestContext& context) {
  auto settings = s.settings.Get(context.caller());
  return settings ? RenderSettings(context, *settings) : RenderError(context, settings.error());
}

http::Response UpdateSettings(const Services& s, const http::Request& request,
                              http::RequestContext& context) {
  auto input = ParseSettingsInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto settings = s.settings.Update(context.caller(), std::move(*input));
  return settings ? RenderSettings(context, *settings) : RenderError(context, settings.error());
}

http::Response ListCustomFields(const Services& s, const http::Request&,
                                http::RequestContext& context) {
  auto fields = s.custom_fields.List(context.caller());
  return fields ? RenderCustomFields(context, *fields) : RenderError(context, fields.error());
}

http::Response GetCustomField(const Services& s, const http::Request&,
                              http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "field_id");
  if (!id) return RenderError(context, id.error());
  auto field = s.custom_fields.Get(context.caller(), domain::CustomFieldId{*id});
  return field ? RenderCustomField(context, *field) : RenderError(context, field.error());
}

http::Response CreateCustomField(const Services& s, const http::Request& request,
                                 http::RequestContext& context) {
  auto input = ParseCustomFieldInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto field = s.custom_fields.Create(context.caller(), std::move(*input));
  return field ? RenderCustomField(context, *field, 201) : RenderError(context, field.error());
}

http::Response UpdateCustomField(const Services& s, const http::Request& request,
                                 http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "field_id");
  if (!id) return RenderError(context, id.error());
  auto input = ParseCustomFieldInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto field =
      s.custom_fields.Update(context.caller(), domain::CustomFieldId{*id}, std::move(*input));
  return field ? RenderCustomField(context, *field) : RenderError(context, field.error());
}

http::Response DeleteCustomField(const Services& s, const http::Request&,
                                 http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "field_id");
  if (!id) return RenderError(context, id.error());
  auto deleted = s.custom_fields.Delete(context.caller(), domain::CustomFieldId{*id});
  return deleted ? NoContent() : RenderError(context, deleted.error());
}

http::Response ContactReports(const Services& s, const http::Request& request,
                              http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "contact_id");
  if (!id) return RenderError(context, id.error());
  auto params = ParseQueryString(request.query);
  if (!params) return RenderError(context, params.error());
  bool all = false;
  for (const auto& [key, value] : *params) {
    if (key == "depth" && (value == "1" || value == "all")) {
      all = value == "all";
    } else {
      std::string message = key == "depth" ? "depth must be 1 or all"
                                           : "unknown query parameter '" + key + "'";
      return RenderError(context, domain::Error::BadRequest(message, {{key, message}}));
    }
  }
  auto reports = s.contacts.Reports(context.caller(), domain::ContactId{*id}, all);
  return reports ? RenderReports(context, *reports) : RenderError(context, reports.error());
}

http::Response ContactHierarchy(const Services& s, const http::Request&,
                                http::RequestContext& context) {
  auto hierarchy = s.contacts.Hierarchy(context.caller());
  return hierarchy ? RenderHierarchy(context, *hierarchy) : RenderError(context, hierarchy.error());
}

http::Response ListSources(const Services& s, const http::Request&,
                           http::RequestContext& context) {
  auto sources = s.lists.ListSources(context.caller());
  return sources ? RenderSources(context, *sources) : RenderError(context, sources.error());
}

http::Response CreateSource(const Services& s, const http::Request& request,
                            http::RequestContext& context) {
  auto input = ParseListItemInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto source = s.lists.CreateSource(context.caller(), std::move(*input));
  return source ? RenderSource(context, *source, 201) : RenderError(context, source.error());
}

http::Response UpdateSource(const Services& s, const http::Request& request,
                            http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "source_id");
  if (!id) return RenderError(context, id.error());
  auto input = ParseListItemInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto source = s.lists.UpdateSource(context.caller(), *id, std::move(*input));
  return source ? RenderSource(context, *source) : RenderError(context, source.error());
}

http::Response DeleteSource(const Services& s, const http::Request&,
                            http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "source_id");
  if (!id) return RenderError(context, id.error());
  auto deleted = s.lists.DeleteSource(context.caller(), *id);
  return deleted ? NoContent() : RenderError(context, deleted.error());
}

http::Response ListHotnessLevels(const Services& s, const http::Request&,
                                 http::RequestContext& context) {
  auto levels = s.lists.ListHotnessLevels(context.caller());
  return levels ? RenderHotnessLevels(context, *levels) : RenderError(context, levels.error());
}

http::Response CreateHotnessLevel(const Services& s, const http::Request& request,
                                  http::RequestContext& context) {
  auto input = ParseListItemInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto level = s.lists.CreateHotnessLevel(context.caller(), std::move(*input));
  return level ? RenderHotnessLevel(context, *level, 201) : RenderError(context, level.error());
}

http::Response UpdateHotnessLevel(const Services& s, const http::Request& request,
                                  http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "level_id");
  if (!id) return RenderError(context, id.error());
  auto input = ParseListItemInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto level = s.lists.UpdateHotnessLevel(context.caller(), *id, std::move(*input));
  return level ? RenderHotnessLevel(context, *level) : RenderError(context, level.error());
}

http::Response DeleteHotnessLevel(const Services& s, const http::Request&,
                                  http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "level_id");
  if (!id) return RenderError(context, id.error());
  auto deleted = s.lists.DeleteHotnessLevel(context.caller(), *id);
  return deleted ? NoContent() : RenderError(context, deleted.error());
}

http::Response ChangeTags(const Services& s, const http::Request& request,
                          http::RequestContext& context, bool add) {
  auto id = ParseIdParam(context.path_params[0], "contact_id");
  if (!id) return RenderError(context, id.error());
  auto input = ParseTagsInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto contact = s.contacts.ChangeTags(context.caller(), domain::ContactId{*id}, std::move(*input),
                                       add);
  return contact ? RenderContact(context, *contact) : RenderError(context, contact.error());
}

http::Response AddTags(const Services& s, const http::Request& request,
                       http::RequestContext& context) {
  return ChangeTags(s, request, context, /*add=*/true);
}

http::Response RemoveTags(const Services& s, const http::Request& request,
                          http::RequestContext& context) {
  return ChangeTags(s, request, context, /*add=*/false);
}

http::Response ListShares(const Services& s, const http::Request&,
                          http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "contact_id");
  if (!id) return RenderError(context, id.error());
  auto shares = s.contacts.ListShares(context.caller(), domain::ContactId{*id});
  return shares ? RenderShares(context, *shares) : RenderError(context, shares.error());
}

http::Response ShareContact(const Services& s, const http::Request& request,
                            http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "contact_id");
  if (!id) return RenderError(context, id.error());
  auto input = ParseShareInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto shared = s.contacts.ShareWith(context.caller(), domain::ContactId{*id}, std::move(*input));
  return shared ? RenderShare(context, shared->share, shared->created)
                : RenderError(context, shared.error());
}

http::Response UnshareContact(const Services& s, const http::Request&,
                              http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "contact_id");
  if (!id) return RenderError(context, id.error());
  auto user = ParseIdParam(context.path_params[1], "user_id");
  if (!user) return RenderError(context, user.error());
  auto removed =
      s.contacts.Unshare(context.caller(), domain::ContactId{*id}, domain::UserId{*user});
  return removed ? NoContent() : RenderError(context, removed.error());
}

http::Response ListTags(const Services& s, const http::Request& request,
                        http::RequestContext& context) {
  auto params = ParseQueryString(request.query);
  if (!params) return RenderError(context, params.error());
  auto query = domain::ParseOffsetPageQuery(*params);
  if (!query) return RenderError(context, query.error());
  auto page = s.contacts.ListTags(context.caller(), *query);
  if (!page) return RenderError(context, page.error());
  return RenderTagPage(context, *page, *query);
}

http::Response ListCompanies(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto params = ParseQueryString(request.query);
  if (!params) return RenderError(context, params.error());
  auto query = domain::ParsePageQuery(*params, s.cursors);
  if (!query) return RenderError(context, query.error());
  auto page = s.companies.List(context.caller(), *query);
  if (!page) return RenderError(context, page.error());
  return RenderCompanyPage(context, *page, *query, s.cursors);
}

http::Response GetCompany(const Services& s, const http::Request& request,
                          http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "company_id");
  if (!id) return RenderError(context, id.error());
  auto company = s.companies.Get(context.caller(), domain::CompanyId{*id});
  if (!company) return RenderError(context, company.error());
  if (NoneMatch(request.if_none_match, company->version)) return NotModified(company->version);
  return RenderCompany(context, *company);
}

http::Response CreateCompany(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto input = ParseCompanyInput(request.body);
  if (!input) return RenderError(context, input.error());
  auto company = s.companies.Create(context.caller(), std::move(*input));
  return company ? RenderCompany(context, *company, 201) : RenderError(context, company.error());
}

http::Response UpdateCompany(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "company_id");
  if (!id) return RenderError(context, id.error());
  auto input = ParseCompanyInput(request.body);
  if (!input) return RenderError(context, input.error());
  ApplyIfMatch(request.if_match, input->expected);
  auto company = s.companies.Update(context.caller(), domain::CompanyId{*id}, std::move(*input));
  return company ? RenderCompany(context, *company) : RenderError(context, company.error());
}

http::Response SetPrimaryContact(const Services& s, const http::Request& request,
                                 http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "company_id");
  if (!id) return RenderError(context, id.error());
  auto contact = ParsePrimaryContactInput(request.body);
  if (!contact) return RenderError(context, contact.error());
  domain::VersionCheck expected;
  ApplyIfMatch(request.if_match, expected);
  auto company =
      s.companies.SetPrimaryContact(context.caller(), domain::CompanyId{*id}, *contact, expected);
  return company ? RenderCompany(context, *company) : RenderError(context, company.error());
}

http::Response ClearPrimaryContact(const Services& s, const http::Request& request,
                                   http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "company_id");
  if (!id) return RenderError(context, id.error());
  domain::VersionCheck expected;
  ApplyIfMatch(request.if_match, expected);
  auto company = s.companies.SetPrimaryContact(context.caller(), domain::CompanyId{*id},
                                               std::nullopt, expected);
  return company ? RenderCompany(context, *company) : RenderError(context, company.error());
}

http::Response DeleteCompany(const Services& s, const http::Request& request,
                             http::RequestContext& context) {
  auto id = ParseIdParam(context.path_params[0], "company_id");
  if (!id) return RenderError(context, id.error());
  auto detach = ParseFlagParams(request.query, "detach");
  if (!detach) return RenderError(context, detach.error());
  domain::VersionCheck expected;
  ApplyIfMatch(request.if_match, expected);
  auto deleted = s.companies.Delete(context.caller(), domain::CompanyId{*id}, *detach, expected);
  if (!deleted) return RenderError(context, deleted.error());
  return NoContent();
}

// GET /events?after=<cursor>&types=a,b&limit=N
http::Response ListEvents(const Services& s, const http::Request& request,
                          http::RequestContext& context) {
  auto params = ParseQueryString(request.query);
  if (!params) return RenderError(context, params.error());
  domain::EventQuery query;
  auto bad = [&](const std::string& key, std::string message) {
    return RenderError(context, domain::Error::BadRequest(message, {{key, message}}));
  };
  for (const auto& [key, value] : *params) {
    if (key == "after") {
      auto id = s.event_cursors.Decode(value);
      if (!id) return bad(key, "after must be a next_cursor of this feed");
      query.after_id = *id;
    } else if (key == "types") {
      std::size_t start = 0;
      while (start <= value.size()) {
        std::size_t comma = std::min(value.find(',', start), value.size());
        if (comma > start) query.types.push_back(value.substr(start, comma - start));
        if (query.types.size() > domain::kEventTypes.size()) {
          return bad(key, "types names at most 9 event types");
        }
        start = comma + 1;
      }
    } else if (key == "limit") {
      auto limit = ParseIdParam(value, "limit");
      if (!limit || *limit > 200) return bad(key, "limit must be an integer between 1 and 200");
      query.limit = static_cast<int>(*limit);
    } else {
      return bad(key, "unknown query parameter '" + key + "'");
    }
  }
  auto page = s.events.List(context.caller(), query);
  if (!page) return RenderError(context, page.error());
  return RenderEventPage(context, *page, query.limit, s.event_cursors);
}

http::Response Health(const Services& s, const http::Request&, http::RequestContext& context) {
  auto ok = s.store.Ping();
  if (!ok) return RenderError(context, ok.error());
  http::Response response;
  response.body = R"({"status":"ok"})";
  return response;
}

}  // namespace

void AddRoutes(http::Router& router, const Services& services) {
  router.SetSurface("native");
  router.SetDefaultRenderer(RenderError);
  using HandlerFn = http::Response (*)(const Services&, const http::Request&,
                                       http::RequestContext&);
  // A handler that reads the query string names each parameter it does not know; a parameter
  // sent to any other route is refused the same way, never silently ignored.
  auto add = [&](const char* method, std::string path, HandlerFn fn, http::RouteOptions options,
                 bool reads_query = false) {
    router.Add(
        method, path,
        [services, fn, reads_query](const http::Request& request, http::RequestContext& context) {
          if (!reads_query && !request.query.empty()) {
            if (auto none = ParseNoParams(request.query); !none) {
              return RenderError(context, none.error());
            }
          }
          return fn(services, request, context);
        },
        RenderError, std::move(options));
  };
  using domain::Permission;
  auto needs = [](Permission permission, const char* resource, bool bounded_read = false) {
    return http::RouteOptions{.permission = permission,
                              .resource = resource,
                              .bounded_read = bounded_read};
  };
  std::string base(kBase);
  for (const char* contacts : {"/contacts", "/build/contacts"}) {
    add("GET", base + contacts, ListContacts, needs(Permission::kRead, "contact"),
        /*reads_query=*/true);
    add("GET", base + contacts + "/hierarchy", ContactHierarchy,
        needs(Permission::kRead, "contact"));
    add("GET", base + contacts + "/export", ExportContacts, needs(Permission::kRead, "contact"),
        /*reads_query=*/true);
    add("GET", base + contacts + "/{contact_id}/reports", ContactReports,
        needs(Permission::kRead, "contact"), /*reads_query=*/true);
    add("POST", base + contacts, CreateContact, needs(Permission::kCreate, "contact"));
    add("GET", base + contacts + "/{contact_id}", GetContact,
        needs(Permission::kRead, "contact", /*bounded_read=*/true));
    add("PATCH", base + contacts + "/{contact_id}", UpdateContact,
        http::Versioned(needs(Permission::kUpdate, "contact")));
    add("POST", base + contacts + "/upsert", UpsertContact,
        needs(Permission::kUpdate, "contact"));
    add("DELETE", base + contacts + "/{contact_id}", DeleteContact,
        http::Versioned(needs(Permission::kUpdate, "contact")), /*reads_query=*/true);
    add("POST", base + contacts + "/{contact_id}/restore", RestoreContact,
        needs(Permission::kDelete, "contact"));
    add("GET", base + contacts + "/{contact_id}/shares", ListShares,
        needs(Permission::kRead, "contact", /*bounded_read=*/true));
    add("POST", base + contacts + "/{contact_id}/shares", ShareContact,
        needs(Permission::kUpdate, "contact"));
    add("DELETE", base + contacts + "/{contact_id}/shares/{user_id}", UnshareContact,
        needs(Permission::kUpdate, "contact"));
    add("POST", base + contacts + "/{contact_id}/tags", AddTags,
        needs(Permission::kUpdate, "contact"));
    add("DELETE", base + contacts + "/{contact_id}/tags", RemoveTags,
        needs(Permission::kUpdate, "contact"));
  }
  add("GET", base + "/tags", ListTags, needs(Permission::kRead, "contact"), /*reads_query=*/true);
  // Everyone reads the definitions; the service lets only admins change them.
  add("GET", base + "/custom-fields", ListCustomFields, needs(Permission::kRead, "custom field"));
  add("POST", base + "/custom-fields", CreateCustomField,
      needs(Permission::kUpdate, "custom field"));
  add("GET", base + "/custom-fields/{field_id}", GetCustomField,
      needs(Permission::kRead, "custom field"));
  add("PATCH", base + "/custom-fields/{field_id}", UpdateCustomField,
      needs(Permission::kUpdate, "custom field"));
  add("DELETE", base + "/custom-fields/{field_id}", DeleteCustomField,
      needs(Permission::kUpdate, "custom field"));
  add("GET", base + "/sources", ListSources, needs(Permission::kRead, "source"));
  add("POST", base + "/sources", CreateSource, needs(Permission::kUpdate, "source"));
  add("PATCH", base + "/sources/{source_id}", UpdateSource, needs(Permission::kUpdate, "source"));
  add("DELETE", base + "/sources/{source_id}", DeleteSource, needs(Permission::kUpdate, "source"));
  add("GET", base + "/hotness-levels", ListHotnessLevels,
      needs(Permission::kRead, "hotness level"));
  add("POST", base + "/hotness-levels", CreateHotnessLevel,
      needs(Permission::kUpdate, "hotness level"));
  add("PATCH", base + "/hotness-levels/{level_id}", UpdateHotnessLevel,
      needs(Permission::kUpdate, "hotness level"));
  add("DELETE", base + "/hotness-levels/{level_id}", DeleteHotnessLevel,
      needs(Permission::kUpdate, "hotness level"));
  add("GET", base + "/settings", GetSettings, needs(Permission::kRead, "settings"));
  add("PATCH", base + "/settings", UpdateSettings, needs(Permission::kUpdate, "settings"));
  add("GET", base + "/companies", ListCompanies, needs(Permission::kRead, "company"),
      /*reads_query=*/true);
  add("POST", base + "/companies", CreateCompany, needs(Permission::kCreate, "company"));
  add("GET", base + "/companies/{company_id}", GetCompany,
      needs(Permission::kRead, "company", /*bounded_read=*/true));
  add("PATCH", base + "/companies/{company_id}", UpdateCompany,
      http::Versioned(needs(Permission::kUpdate, "company")));
  add("DELETE", base + "/companies/{company_id}", DeleteCompany,
      http::Versioned(needs(Permission::kDelete, "company")), /*reads_query=*/true);
  add("PUT", base + "/companies/{company_id}/primary-contact", SetPrimaryContact,
      http::Versioned(needs(Permission::kUpdate, "company")));
  add("DELETE", base + "/companies/{company_id}/primary-contact", ClearPrimaryContact,
      http::Versioned(needs(Permission::kUpdate, "company")));
  // The service checks contact and company reads apart: a token may have either.
  add("GET", base + "/events", ListEvents, {}, /*reads_query=*/true);
  for (const auto& routes : {UserRoutes(), WebhookRoutes()}) {
    for (const RouteSpec& route : routes) {
      add(route.method, base + route.path, route.handler, route.options, route.reads_query);
    }
  }
  router.SetSurface("system");
  add("GET", "/healthz", Health,
      {.authenticated = false, .permission = {}, .resource = {}, .bounded_read = true});
}

}  // namespace contactd::api::native

#pragma once

#include <span>

#include <boost/json/object.hpp>
#include <string_view>

#include "domain/account_lists.hpp"
#include "domain/company.hpp"
#include "domain/contacts.hpp"
#include "domain/contact.hpp"
#include "domain/custom_fields.hpp"
#include "domain/error.hpp"
#include "domain/query.hpp"
#include "domain/settings.hpp"
#include "domain/tags.hpp"
#include "http/message.hpp"
#include "store/store.hpp"

namespace contactd::domain {
class CursorCodec;
}

namespace contactd::api::native {

// JSON <-> domain for the native API (Lev v2 style): snake_case fields, the
// {request_id, timestamp, data, pagination} envelope and the {error: {code, message, details}}
// error body.

// The keys of a rendered contact: what `fields` may select.
std::span<const std::string_view> ContactOutputFields();

// Reads a contact create or update body. kBadRequest when it is not a JSON object; shape errors
// (unknown or read-only members, wrong JSON types) are left in the input's `errors` for the
// domain to report together with its own.
domain::Result<domain::ContactInput> ParseContactInput(std::string_view body);
domain::Result<domain::CompanyInput> ParseCompanyInput(std::string_view body);
// {data: [{id, full_name, display_name, title, department, reports_to, depth}], has_more}
http::Response RenderReports(const http::RequestContext& context,
                             const domain::ReportLinks& reports);
// {data: {"<manager id>": [{id, full_name, display_name, title, department}]}, has_more}
http::Response RenderHierarchy(const http::RequestContext& context,
                               const domain::ReportLinks& hierarchy);
// The body of PUT /companies/{id}/primary-contact: {contact_id}.
domain::Result<domain::ContactId> ParsePrimaryContactInput(std::string_view body);
domain::Result<domain::CustomFieldInput> ParseCustomFieldInput(std::string_view body);
// The body of POST / PATCH /sources and /hotness-levels.
domain::Result<domain::ListItemInput> ParseListItemInput(std::string_view body);
http::Response RenderSource(const http::RequestContext& context, const domain::Source& source,
                            unsigned status = 200);
http::Response RenderSources(const http::RequestContext& context,
                             const std::vector<domain::Source>& sources);
http::Response RenderHotnessLevel(const http::RequestContext& context,
                                  const domain::StoredHotnessLevel& level, unsigned status = 200);
http::Response RenderHotnessLevels(const http::RequestContext& context,
                                   const std::vector<domain::StoredHotnessLevel>& levels);
http::Response RenderCustomField(const http::RequestContext& context,
                                 const domain::CustomField& field, unsigned status = 200);
// The account's definitions, all of them (at most kMaxCustomFieldsPerAccount), by rank.
http::Response RenderCustomFields(const http::RequestContext& context,
                                  const std::vector<domain::CustomField>& fields);
// The body of POST /contacts/upsert: a create body plus `match_on`.
struct UpsertInput {
  domain::ContactInput contact;
  std::vector<std::string> match_on;  // empty: both
};
domain::Result<UpsertInput> ParseUpsertInput(std::string_view body);
domain::Result<domain::SettingsInput> ParseSettingsInput(std::string_view body);
http::Response RenderSettings(const http::RequestContext& context,
                              const domain::AccountSettings& settings);
// The contact, with `created` beside it in the envelope; 201 when created.
http::Response RenderUpsert(const http::RequestContext& context, const domain::Contact& contact,
                            bool created);

// The body of POST /contacts/{id}/shares: {user_id}.
domain::Result<domain::ShareInput> ParseShareInput(std::string_view body);
// {data: {user_id, created_at}}; 201 when `created`.
http::Response RenderShare(const http::RequestContext& context, const domain::Share& share,
                           bool created);
http::Response RenderShares(const http::RequestContext& context,
                            const std::vector<domain::Share>& shares);

// One line of an NDJSON import: a create body where `company_name` may stand in for company_id
// and `created_at` (ISO 8601) may keep the record's original creation time.
struct ImportRow {
  domain::ContactInput input;
  std::optional<std::string> company_name;
  std::optional<std::int64_t> created_at;
};
domain::Result<ImportRow> ParseImportRow(std::string_view line);

http::Response RenderContact(const http::RequestContext& context, const domain::Contact& contact,
                             unsigned status = 200);
http::Response RenderContactPage(const http::RequestContext& context,
                                 const store::Page<domain::Contact>& page,
                                 const domain::ListQuery& query,
                                 const domain::CursorCodec& cursors);
http::Response RenderCompany(const http::RequestContext& context, const domain::Company& company,
                             unsigned status = 200);
http::Response RenderCompanyPage(const http::RequestContext& context,
                                 const store::Page<domain::Company>& page,
                                 const domain::ListQuery& query,
                                 const domain::CursorCodec& cursors);

http::Response RenderTagPage(const http::RequestContext& context,
                             const store::Page<domain::TagCount>& page,
                             const domain::ListQuery& query);

// The contact and the company as the native API renders them (events carry them).
boost::json::object ContactObject(const domain::Contact& contact);
boost::json::object CompanyObject(const domain::Company& company);

// Renders any error in the native format. Internal details (kInternal, kUnavailable) are logged
// with the request id and replaced by a generic message.
http::Response RenderError(const http::RequestContext& context, const domain::Error& error);

}  // namespace contactd::api::native

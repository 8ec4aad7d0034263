#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/contact.hpp"
#include "domain/error.hpp"
#include "http/message.hpp"

namespace contactd::api::leadconnector {

// JSON <-> domain for /compat/leadconnector, HighLevel's contacts API (seed 004, and the shapes
// of HighLevel's published OpenAPI document and official SDK): camelCase contacts whose id is
// the domain's id as a string, whose locationId is the account's uid, and NestJS's errors.

// Which request a contact body is for: what it must and may hold differs.
enum class BodyKind { kCreate, kUpsert, kUpdate };

struct ContactBody {
  domain::ContactInput input;
  domain::Input<std::string> location_id;
};

// Reads a create, upsert or update body (a JSON object). `fields` are the account's custom field
// definitions, which customFields name by id or key. Shape errors (unknown members, wrong JSON
// types, custom fields that are none of `fields`) are left in the input's `errors` for the
// domain to report with its own; the members HighLevel takes that contactd cannot keep (gender,
// inboundDndSettings) are refused rather than dropped.
ContactBody ParseContactBody(const boost::json::object& body, BodyKind kind,
                             std::span<const domain::CustomField> fields);

// NestJS's error body: {statusCode, message, error}, `message` the list of field messages (in
// the seed's field names) for a validation error. A refusal for a token's scopes is 401 "The
// token is not authorized for this scope.", as HighLevel answers it.
http::Response RenderError(const http::RequestContext& context, const domain::Error& error);

// The seed's name of a field the domain names (in errors and searches): "firstName" for
// "first_name", "address1" for "address", "dateAdded" for "created_at".
std::string FieldName(std::string_view domain_name);

// What a contact shows beside itself: its account's uid, the ids of the account's custom field
// definitions by key (customFields name values by definition id) and its company's name.
struct View {
  const std::string& location_id;
  const std::unordered_map<std::string_view, std::int64_t>& custom_field_ids;
  const std::unordered_map<std::int64_t, std::string>& company_names;
};

// {contact}, with `status` (201 for a create).
http::Response RenderContact(const domain::Contact& contact, const View& view,
                             unsigned status = 200);
// {succeded: true, contact} (the real API's spelling).
http::Response RenderUpdated(const domain::Contact& contact, const View& view);
// {new, contact, traceId}
http::Response RenderUpserted(const domain::Contact& contact, bool created,
                              std::string_view trace_id, const View& view);
// {succeded: true}
http::Response RenderDeleted();
// {contact} or {contact: null}
http::Response RenderDuplicate(const domain::Contact* contact, const View& view);
// {tags}
http::Response RenderTags(const std::vector<std::string>& tags);
// POST /contacts/search: {contacts, total}
http::Response RenderSearchPage(std::span<const domain::Contact> contacts, std::int64_t total,
                                const View& view);

// The deprecated GET /contacts/ list's meta: the next page starts after the last contact shown.
struct ListMeta {
  std::int64_t total = 0;
  std::optional<std::string> next_page_url;
  std::optional<std::int64_t> start_after_id;
  std::optional<std::int64_t> start_after;  // the last contact's dateAdded, in milliseconds
};
// {contacts, count, meta: {total, nextPageUrl, startAfterId, startAfter}}: the published
// document's {contacts, count} and the live API's meta alike.
http::Response RenderListPage(std::span<const domain::Contact> contacts, const ListMeta& meta,
                              const View& view);

}  // namespace contactd::api::leadconnector

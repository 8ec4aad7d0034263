#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/company.hpp"
#include "domain/contact.hpp"
#include "domain/contacts.hpp"
#include "domain/error.hpp"
#include "domain/webhooks.hpp"
#include "http/message.hpp"
#include "store/store.hpp"

namespace contactd::api::v1 {

// JSON <-> domain for /api/v1, the Contacts API of seed 003: camelCase contacts whose nested
// metadata and address objects are views of the union contact's flat fields, bare JSON bodies
// (no envelope) and {error, message, details} errors.

// A create or PUT body: the domain input, plus what the body names by UUID or in seed 003's own
// terms, which the routes resolve (a UUID into an id, isActive against the stored status).
struct ContactBody {
  domain::ContactInput input;
  domain::Input<std::string> parent_entity_id;  // a company's uid
  domain::Input<std::string> reports_to;        // a contact's uid (metadata.reportsTo)
  domain::Input<bool> is_active;
};

// Reads a body. kBadRequest when it is not a JSON object; shape errors (unknown members, wrong
// JSON types, entityTypes without "Contact") are left in the input's `errors` for the domain to
// report together with its own. Read-only members a client read and sends back (id,
// organizationId, createdAt, updatedAt) are ignored.
domain::Result<ContactBody> ParseContactBody(std::string_view body);

// The status a write leaves, from the status sent (if any), isActive sent (if any) and the
// current status ("" for a new contact): isActive true means active; false means inactive
// unless the contact is (or is made) inactive or archived. A contradiction (status archived,
// isActive true) is recorded in `errors` under isActive.
std::optional<std::string> StatusAfter(const domain::Input<std::string>& status,
                                       const domain::Input<bool>& is_active,
                                       std::string_view current, domain::FieldErrors& errors);

// The seed names every error by its code: VALIDATION_ERROR, CONTACT_NOT_FOUND, ...
// `code` replaces the code the error's kind would get (INVALID_ENTITY_TYPE).
http::Response RenderError(const http::RequestContext& context, const domain::Error& error);
http::Response RenderError(const http::RequestContext& context, const domain::Error& error,
                           std::string_view code);

// What rendered contacts name by UUID: their companies and managers.
struct Names {
  const std::string& organization;  // the account's uid
  const store::Uids& uids;
};

http::Response RenderContact(const domain::Contact& contact, const Names& names,
                             unsigned status = 200);
// {data, total, page, limit, totalPages}; `page` counts from 1.
http::Response RenderContactPage(const store::Page<domain::Contact>& page, std::int64_t number,
                                 int limit, const Names& names);
// {<manager uid>: [{id, name, displayName, metadata: {title, department}}]}
http::Response RenderHierarchy(const domain::ReportLinks& hierarchy, const store::Uids& uids);
// {contact: {id, name, displayName, email, parentEntityId}, company: {id, name,
// primaryContactId}}
http::Response RenderPrimarySet(const domain::Contact& contact, const domain::Company& company);

// The body a v1 webhook endpoint receives (seed 003's payload): {event, timestamp, data: {id,
// organizationId, name, email, parentEntityId, status}}; a ping is {event: "ping", timestamp,
// data: {webhookId}}.
std::string WebhookPayload(const domain::DueDelivery& delivery);

// The uid of a contact's address: a name-based UUID of the contact's uid and the address's id,
// stable for as long as the address is kept.
std::string AddressUid(std::string_view contact_uid, std::int64_t address_id);

}  // namespace contactd::api::v1

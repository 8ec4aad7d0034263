#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "domain/contact.hpp"
#include "domain/contacts.hpp"
#include "domain/error.hpp"
#include "http/message.hpp"

namespace contactd::api::liondesk {

// JSON <-> domain for /compat/liondesk, the contacts API of seed 002: flat snake_case records
// whose phones, spouse, company and tags are views of the union contact, and FeathersJS's list
// envelope and errors (the seed's API is a Feathers service).

// The members of a record, in the order it shows them.
std::span<const std::string_view> RecordMembers();

// Reads a create (`create`) or PATCH body, a JSON object. Shape errors (unknown members, wrong
// JSON types, values over the seed's limits, custom_fields ids that are none of `fields`) are
// left in the input's `errors` for the domain to report with its own. Read-only members a client
// read and sends back (id, owner_user_id, hotness, source, and on PATCH created_at and
// modified_at) are ignored.
domain::ContactInput ParseContactBody(const boost::json::object& body, bool create,
                                      std::span<const domain::CustomField> fields);

// Feathers' error object: {name, message, code, className, errors}, `errors` mapping each field
// named (in the seed's terms) to its message.
http::Response RenderError(const http::RequestContext& context, const domain::Error& error);

// What records show beside the contact (the account's custom fields, each record lists them
// all; its sources; its contacts' company names) and the members $select keeps (empty: all).
struct View {
  const domain::ContactExtras& extras;
  std::span<const std::string> select;
};

http::Response RenderContact(const domain::Contact& contact, const View& view,
                             unsigned status = 200);
// {total, limit, skip, data}
http::Response RenderContactPage(std::span<const domain::Contact> contacts, std::int64_t total,
                                 std::int64_t limit, std::int64_t skip, const View& view);

// The seed's name of a field the domain names (in errors and query parameters): "spouse_name"
// for "spouse.name", "company" for "company_name", "modified_at" for "updated_at".
std::string FieldName(std::string_view domain_name);

}  // namespace contactd::api::liondesk

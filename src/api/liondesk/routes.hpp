#pragma once

namespace contactd::domain {
class AccountListService;
class ContactService;
class CursorCodec;
class CustomFieldService;
}  // namespace contactd::domain
namespace contactd::http {
class Router;
}

namespace contactd::api::liondesk {

// What the /compat/liondesk handlers call: references to objects that app/serve owns and that
// outlive the server.
struct Services {
  domain::ContactService& contacts;
  domain::CustomFieldService& custom_fields;  // every record lists the account's
  domain::AccountListService& lists;          // a record's source is one of the account's
  const domain::CursorCodec& cursors;         // the list parser's; finds page by $skip
};

// Registers /compat/liondesk, the contacts API of seed 002 (each path also with the seed's
// double slash, //contacts).
void AddRoutes(http::Router& router, const Services& services);

}  // namespace contactd::api::liondesk

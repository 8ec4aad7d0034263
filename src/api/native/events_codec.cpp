#include "api/native/events_codec.hpp"

#include "api/native/codec.hpp"
#include "api/native/envelope.hpp"
#include "domain/time.hpp"

namespace contactd::api::native {
namespace {

namespace json = boost::json;

// The members of `before` whose values differ in `after` (the bookkeeping of every change aside).
json::object Changed(const json::object& before, const json::object& after) {
  json::object changed;
  for (const auto& member : before) {
    if (member.key() == "updated_at" || member.key() == "version") continue;
    const json::value* now = after.if_contains(member.key());
    if (now == nullptr || *now != member.value()) changed[member.key()] = member.value();
  }
  return changed;
}

}  // namespace

json::object EventJson(const domain::Event& event) {
  json::object object{{"id", domain::EventPublicId(event.id)},
                      {"type", event.type},
                      {"timestamp", domain::FormatTimestamp(event.created_at)},
                      {"account", event.account.value}};
  json::object data;
  if (event.contact) {
    data = ContactObject(*event.contact);
  } else if (event.company) {
    data = CompanyObject(*event.company);
  } else {
    data = json::object{{"id", event.subject_id}};
  }
  json::value previous = nullptr;
  if (event.previous_contact) previous = Changed(ContactObject(*event.previous_contact), data);
  if (event.previous_company) previous = Changed(CompanyObject(*event.previous_company), data);
  object["data"] = std::move(data);
  object["previous"] = std::move(previous);
  return object;
}

http::Response RenderEventPage(const http::RequestContext& context, const domain::EventPage& page,
                               int limit, const domain::CursorCodec& cursors) {
  json::array data;
  data.reserve(page.items.size());
  for (const domain::Event& event : page.items) data.push_back(EventJson(event));
  json::object body = Envelope(context);
  body["data"] = std::move(data);
  body["pagination"] = json::object{{"limit", limit},
                                    {"has_more", page.has_more},
                                    {"next_cursor", cursors.Encode(page.last_id)}};
  return Respond(200, body);
}

}  // namespace contactd::api::native

#pragma once

#include <boost/json/object.hpp>

#include "domain/cursor.hpp"
#include "domain/events.hpp"
#include "http/message.hpp"

namespace contactd::api::native {

// An event in the native shape: {id, type, timestamp, account, data, previous}. `data` is the
// object after the change ({id} only when it was erased); `previous`, on updates, the old values
// of the fields that changed (updated_at aside), null otherwise.
boost::json::object EventJson(const domain::Event& event);

// GET /events: {data: [events], pagination: {limit, has_more, next_cursor}}; next_cursor is
// always set: where the next read starts, even when this page is empty.
http::Response RenderEventPage(const http::RequestContext& context, const domain::EventPage& page,
                               int limit, const domain::CursorCodec& cursors);

}  // namespace contactd::api::native

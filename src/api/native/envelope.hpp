#pragma once

#include <cstdint>

#include <boost/json/object.hpp>

#include "domain/cursor.hpp"
#include "domain/query.hpp"
#include "http/message.hpp"
#include "store/store.hpp"

namespace contactd::api::native {

// The {request_id, timestamp} members every native answer starts with.
boost::json::object Envelope(const http::RequestContext& context);

// The answer with `body` serialized.
http::Response Respond(unsigned status, const boost::json::object& body);

// A list's {total, limit, has_more, next_cursor}; `last_id` is the id of the page's last item.
template <class T>
boost::json::object Pagination(const store::Page<T>& page, const domain::ListQuery& query,
                               const domain::CursorCodec& cursors, std::int64_t last_id) {
  // Keyset cursors follow id order only: a sorted list pages with offset.
  bool keyset = query.sort.empty() && page.has_more && !page.items.empty();
  return boost::json::object{
      {"total", page.total},
      {"limit", query.limit},
      {"has_more", page.has_more},
      {"next_cursor",
       keyset ? boost::json::value(cursors.Encode(last_id)) : boost::json::value(nullptr)},
  };
}

}  // namespace contactd::api::native

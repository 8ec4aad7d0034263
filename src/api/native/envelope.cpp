#include "api/native/envelope.hpp"

#include <boost/json/serialize.hpp>

#include "domain/time.hpp"

namespace contactd::api::native {

boost::json::object Envelope(const http::RequestContext& context) {
  boost::json::object body;
  body["request_id"] = context.request_id;
  body["timestamp"] = domain::FormatTimestamp(context.received_at);
  return body;
}

http::Response Respond(unsigned status, const boost::json::object& body) {
  http::Response response;
  response.status = status;
  response.body = boost::json::serialize(body);
  return response;
}

}  // namespace contactd::api::native

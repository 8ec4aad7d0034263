#pragma once

#include <string>

#include "domain/error.hpp"
#include "http/message.hpp"

namespace contactd::api {

// What every surface's answers share, whatever their format.

// A JSON body as a response.
http::Response JsonResponse(std::string body, unsigned status = 200);

// The message a client may see for `error`: an internal or unavailable error's own message is
// for the log (written there with the request's id), the client gets a generic one.
std::string ClientMessage(const http::RequestContext& context, const domain::Error& error);

// Adds the headers an error's kind calls for: WWW-Authenticate on 401, Retry-After on 503.
void AddErrorHeaders(const domain::Error& error, http::Response& response);

}  // namespace contactd::api

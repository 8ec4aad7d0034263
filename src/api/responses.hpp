#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/error.hpp"
#include "http/message.hpp"

namespace contactd::api {

// What every surface's answers share, whatever their format.

// A JSON body as a response.
http::Response JsonResponse(std::string body, unsigned status = 200);

// The message a client may see for `error`: an internal or unavailable error's own message is
// for the log (written there with the request's id), the client gets a generic one.
std::string ClientMessage(const http::RequestContext& context, const domain::Error& error);

// An error's field errors in a surface's terms: each field once (the first of those `name` gives
// one name), named as `name` says (the seed's name of a field the domain names), with its message
// saying it so.
std::vector<std::pair<std::string, std::string>> NamedFieldErrors(
    const domain::Error& error, std::string (*name)(std::string_view));

// Adds the headers an error's kind calls for: WWW-Authenticate on 401, Retry-After on 503.
void AddErrorHeaders(const domain::Error& error, http::Response& response);

}  // namespace contactd::api

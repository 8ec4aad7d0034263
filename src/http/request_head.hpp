#pragma once

#include <optional>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "domain/error.hpp"
#include "http/message.hpp"

namespace contactd::http {

// The checks of a request's head that the HTTP parser leaves to the application, shared by the
// server's connection loop and the fuzz target of the request parser. Included only there: it
// brings Beast along.

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;

// Returns the error a parsed head must be answered with, if any: a target over the limit (414);
// HTTP/1.1 without exactly one Host, or more than one Authorization (400: two credentials must
// never be served as either).
std::optional<domain::Error> CheckHead(const BeastRequest& message, const RequestLimits& limits);

// The error for a head the parser refused for its size, from what it parsed so far (the parser
// fills the method and target as soon as the request line ends): 414 when the request line never
// ended or its target is over the target limit, 431 otherwise.
domain::Error HeaderSizeError(const BeastRequest& partial, const RequestLimits& limits);

// The path of a request refused before its head was read whole, for choosing the surface whose
// format answers: from the request line the parser read, or, when that line was too long for
// it, from the bytes it left `unread`; up to the query, and no longer than any route (1024
// bytes: a refused target may be huge).
std::string RefusedPath(const BeastRequest& partial, std::string_view unread);

// Converts a parsed message; moves its body out.
Request ToRequest(BeastRequest& message);

// Parses one request from `bytes` (all of it at once) with the server's limits and checks, and
// returns it as the pipeline would receive it: with `transport_error` set when the server would
// refuse it, or nullopt when the bytes hold no complete request (the server would wait for more).
// For the fuzz target and tests; the server reads from its socket with the same functions.
std::optional<Request> ParseRequest(std::string_view bytes, const RequestLimits& limits);

}  // namespace contactd::http

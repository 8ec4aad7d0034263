#pragma once

#include <string>

#include "http/message.hpp"

namespace contactd::http {

// The status line and header fields of `response` as they go on the wire, ending with the blank
// line. The server writes them and the body in one gather write: Beast's serializer walks every
// field as four buffers, which cost about 1% of a small GET's throughput per header, and
// limited accounts get five rate-limit headers on every response.
//
// The rate-limit headers of `response.rate` follow the others: X-RateLimit-Limit, -Remaining and
// -Reset (seed 003) describe the bucket that binds now (the one with fewer requests left, so
// that Remaining is what may be sent now); RateLimit-Policy and RateLimit
// (draft-ietf-httpapi-ratelimit-headers) describe both. They are formatted in place: a limited
// account gets them on every response.
//
// `keep_alive` false adds `Connection: close`. `Content-Length` is the body's size (for a HEAD
// request, the size of the body its GET would have), except on 1xx, 204 and 304 answers, which
// carry none (RFC 9110 §8.6). A streamed body (`response.stream`) has no Content-Length: it is
// sent chunked, or, when `chunked` is false (an HTTP/1.0 client), ended by closing the connection.
std::string ResponseHead(const Response& response, bool keep_alive, bool chunked = true);

// Whether a response with this status has a body at all.
bool StatusHasBody(unsigned status);

}  // namespace contactd::http

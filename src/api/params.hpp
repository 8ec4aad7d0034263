#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "domain/error.hpp"
#include "domain/query.hpp"

namespace contactd::api {

// Decodes a query string ("a=1&b%5B%24in%5D=x") into key/value pairs in order. kBadRequest for
// broken percent-encoding.
domain::Result<domain::QueryParams> ParseQueryString(std::string_view query);

// Checks that a query string holds no parameter: kBadRequest naming each one otherwise.
domain::Result<void> ParseNoParams(std::string_view query);

// Reads a query string that may hold only `flag`, true or false (default false). kBadRequest
// naming any other parameter or value.
domain::Result<bool> ParseFlagParams(std::string_view query, const std::string& flag);

// The integer `text` is, when it is one (nothing else) between min and max.
std::optional<std::int64_t> ParseIntIn(std::string_view text, std::int64_t min, std::int64_t max);

// Parses a positive integer path parameter. kBadRequest naming `name` otherwise.
domain::Result<std::int64_t> ParseIdParam(const std::string& value, std::string_view name);

// A parameter a surface renamed for the domain's list parser: the domain's key, and the name the
// client sent it under.
using RenamedParam = std::pair<std::string, std::string>;

// The domain's error about renamed parameters in the client's terms: each field that is the
// domain key of one of `renamed` is named as sent, in its message too.
domain::Error RenamedFields(domain::Error error, std::span<const RenamedParam> renamed);

}  // namespace contactd::api

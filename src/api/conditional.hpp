#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/json.hpp"
#include "domain/precondition.hpp"
#include "http/message.hpp"

namespace contactd::api {

// A resource's version as its strong entity tag: "\"<version>\"" (changes with every change).
std::string EntityTag(std::int64_t version);

// Whether an If-None-Match value names this version (weak comparison; "*" names any): the GET
// is answered 304.
bool NoneMatch(std::string_view if_none_match, std::int64_t version);

// 304 Not Modified for the version: its tag, no body.
http::Response NotModified(std::int64_t version);

// Lays an If-Match value over `expected` (a body's `version`, if any): the change applies only at
// a version both allow. "*" allows any; a tag that is not one of ours (weak ones included) none.
void ApplyIfMatch(std::string_view if_match, domain::VersionCheck& expected);

// A body's `version` member (a positive integer) into `expected`; errors name the field.
void ReadVersion(ObjectReader& reader, domain::VersionCheck& expected);

}  // namespace contactd::api

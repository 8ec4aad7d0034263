#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace contactd::domain {

// Machine category of an expected failure. Each API surface maps it to its own status and body.
enum class ErrorCode {
  kBadRequest,            // malformed request: bad JSON, bad query parameter, bad cursor
  kUnauthorized,          // no or unknown credentials
  kForbidden,             // authenticated, but the role lacks the permission
  kNotFound,              // no such resource in the caller's account
  kMethodNotAllowed,      // the path exists, the method does not
  kConflict,              // the change conflicts with current state
  kPreconditionFailed,    // the resource changed since the version the request names (If-Match)
  kIdempotencyMismatch,   // an Idempotency-Key already used for another request
  kGone,                  // what the request names existed but is kept no more (an old cursor)
  kPayloadTooLarge,       // request body over the limit
  kUriTooLong,            // request target over the limit
  kHeadersTooLarge,       // request header section over the limit
  kUnsupportedMediaType,  // write without a JSON body
  kValidation,            // well-formed request whose field values are not acceptable
  kRateLimited,           // too many requests
  kUnavailable,           // a dependency (the database) cannot serve now
  kInternal,              // a bug or an unexpected failure; details go to the log only
};

// Why an error happened, where a surface answers that case apart from others of its code (seed
// 004 answers a token's missing scope with 401 and a duplicate contact with 400).
enum class ErrorReason {
  kNone,
  kTokenScope,        // kForbidden: the token's scopes do not cover the request (not its role)
  kDuplicateContact,  // kConflict: the account refuses duplicates and the contact is one
};

// One failing field of a request, named as the client sent it ("phones[1].raw").
struct FieldError {
  std::string field;
  std::string message;

  bool operator==(const FieldError&) const = default;
};

// An expected failure as a value. Cheap to move; rendered by each surface's codec.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<FieldError> fields;
  ErrorReason reason = ErrorReason::kNone;

  static Error BadRequest(std::string message, std::vector<FieldError> fields = {}) {
    return {ErrorCode::kBadRequest, std::move(message), std::move(fields)};
  }
  static Error Unauthorized() { return {ErrorCode::kUnauthorized, "Authentication required", {}}; }
  static Error Forbidden(std::string message) {
    return {ErrorCode::kForbidden, std::move(message), {}};
  }
  static Error NotFound(std::string message) {
    return {ErrorCode::kNotFound, std::move(message), {}};
  }
  static Error Conflict(std::string message) {
    return {ErrorCode::kConflict, std::move(message), {}};
  }
  // REQUIRES: !fields.empty(). The message is the first field's message.
  static Error Validation(std::vector<FieldError> fields) {
    std::string message = fields.empty() ? "Validation failed" : fields.front().message;
    return {ErrorCode::kValidation, std::move(message), std::move(fields)};
  }
  static Error PreconditionFailed(std::string message) {
    return {ErrorCode::kPreconditionFailed, std::move(message), {}};
  }
  static Error Unavailable(std::string message) {
    return {ErrorCode::kUnavailable, std::move(message), {}};
  }
  static Error Internal(std::string message) {
    return {ErrorCode::kInternal, std::move(message), {}};
  }
};

template <class T>
using Result = std::expected<T, Error>;

// The most field errors one answer lists: past it, a request's cost and its answer's size would
// grow with what a client sends (100,000 bad phones, 20,000 unknown keys).
inline constexpr std::size_t kMaxFieldErrors = 100;

// Collects field errors of one request so that all of them are reported together, up to
// kMaxFieldErrors; past that, Take() ends the list with one detail saying that more were found.
// Keeps only the first error of each field: a field with the wrong type is not also reported as
// "invalid". Every call costs at most O(kMaxFieldErrors).
class FieldErrors {
 public:
  void Add(std::string field, std::string message) {
    if (Has(field)) return;
    if (errors_.size() >= kMaxFieldErrors) {
      truncated_ = true;
      return;
    }
    errors_.push_back({std::move(field), std::move(message)});
  }
  bool Has(std::string_view field) const {
    for (const FieldError& e : errors_) {
      if (e.field == field) return true;
    }
    return false;
  }
  // True once the list is full: readers may stop looking for more problems, after saying that
  // there were some (MarkTruncated).
  bool full() const { return errors_.size() >= kMaxFieldErrors; }
  void MarkTruncated() { truncated_ = true; }
  bool empty() const { return errors_.empty(); }
  std::vector<FieldError> Take() && {
    if (truncated_) {
      errors_.push_back({"", "More field errors were found; only the first " +
                                 std::to_string(kMaxFieldErrors) + " are listed"});
    }
    return std::move(errors_);
  }
  const std::vector<FieldError>& list() const { return errors_; }

 private:
  std::vector<FieldError> errors_;
  bool truncated_ = false;
};

// kBadRequest naming every field of `errors` (not empty), with the first one's message.
inline Error BadRequestOf(FieldErrors errors) {
  std::vector<FieldError> fields = std::move(errors).Take();
  std::string message = fields.front().message;
  return Error::BadRequest(std::move(message), std::move(fields));
}

}  // namespace contactd::domain

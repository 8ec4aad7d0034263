#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/contact.hpp"
#include "domain/error.hpp"

namespace contactd::domain {

// Search over contacts: each contact is indexed under words (its names, display name, emails,
// company name) and under the digits of its phone numbers, forwards and backwards, so that a
// number typed in any format, or only its end, finds it. A search matches a contact when every
// word of it is the start of one of the contact's words.

inline constexpr std::size_t kMaxSearchWordLength = 64;  // bytes; longer words are cut
inline constexpr std::size_t kMaxSearchTerms = 10;
inline constexpr std::size_t kMaxSearchLength = 256;  // bytes of the search parameter
// A phone search needs at least this many digits (fewer would match too much to mean anything).
inline constexpr std::size_t kMinPhoneSearchDigits = 4;
// Marks a word made of a phone number's digits read backwards.
inline constexpr char kReversedDigitsMark = '~';

// The case-folded words of `text`: maximal runs of letters and digits (any non-ASCII character
// counts as a letter), each cut at kMaxSearchWordLength bytes. REQUIRES: IsValidUtf8(text).
std::vector<std::string> SearchWords(std::string_view text);

// Every word a contact is found by, distinct and sorted: from first, last, full and display name,
// email, spouse email and phones (the store recomputes them when one of these changes) and
// `company_name`, its company's name.
std::vector<std::string> ContactSearchWords(const Contact& contact,
                                            const std::optional<std::string>& company_name);

// What a search parameter looks for: prefixes that must all match, or for a number (only
// digits, spaces and + - ( ) . with kMinPhoneSearchDigits digits or more), a prefix of the E.164
// digits as typed or, typed nationally, after `country_code` (the account's: "1", "44"), or a
// prefix of the digits backwards. kBadRequest naming "search" for an empty search,
// too long a one or more than kMaxSearchTerms words.
struct SearchQuery {
  std::string text;                   // as sent
  std::vector<std::string> prefixes;  // words: all must match
  std::vector<std::string> any_of;    // a number: one of these must match (forwards, backwards)
};
Result<SearchQuery> ParseSearch(std::string_view text, std::string_view country_code = "");

}  // namespace contactd::domain

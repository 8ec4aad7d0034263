#pragma once

#include <string>
#include <string_view>

namespace contactd::domain {

// Text rules shared by every API surface: what a valid string is, how it is cleaned, and how it
// compares. All functions are thread-safe.

// Returns whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Returns `text` with every ill-formed UTF-8 sequence replaced by U+FFFD: safe to put into a JSON
// body or a log line whatever the client sent.
std::string ToValidUtf8(std::string_view text);

// Returns `text` without leading and trailing ASCII whitespace.
std::string_view Trim(std::string_view text);

// Returns whether `text` holds a control character: C0 (but tab and newline when
// `allow_tab_newline`; a carriage return only before a newline then), DEL or C1.
// REQUIRES: IsValidUtf8(text).
bool HasControlCharacter(std::string_view text, bool allow_tab_newline);

// The key under which text compares case-insensitively, as people read it: Unicode NFKC case
// folding ("Élodie" and "ÉLODIE", "Straße" and "STRASSE" share a key). Filters, sorts and the
// indexes that serve them compare these keys byte by byte. REQUIRES: IsValidUtf8(text).
std::string FoldCase(std::string_view text);

}  // namespace contactd::domain

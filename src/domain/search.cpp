#include "domain/search.hpp"

#include <algorithm>

#include "domain/text.hpp"

namespace contactd::domain {
namespace {

bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

std::string Digits(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return digits;
}

// A word cut at the limit on a character boundary.
std::string Cut(std::string word) {
  if (word.size() <= kMaxSearchWordLength) return word;
  std::size_t end = kMaxSearchWordLength;
  while (end > 0 && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80) --end;
  word.resize(end);
  return word;
}

void AddDigits(std::string_view digits, std::vector<std::string>& words, bool reversed) {
  if (digits.size() < kMinPhoneSearchDigits) return;
  words.push_back(Cut(std::string(digits)));
  if (reversed) words.push_back(Cut(kReversedDigitsMark + std::string(digits.rbegin(), digits.rend())));
}

}  // namespace

std::vector<std::string> SearchWords(std::string_view text) {
  std::string folded = FoldCase(text);
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && !IsWordByte(static_cast<unsigned char>(folded[i]))) ++i;
    std::size_t start = i;
    while (i < folded.size() && IsWordByte(static_cast<unsigned char>(folded[i]))) ++i;
    if (i > start) words.push_back(Cut(folded.substr(start, i - start)));
  }
  return words;
}

std::vector<std::string> ContactSearchWords(const Contact& contact,
                                            const std::optional<std::string>& company_name) {
  std::vector<std::string> words;
  auto add_text = [&](const std::optional<std::string>& text) {
    if (!text) return;
    for (std::string& word : SearchWords(*text)) words.push_back(std::move(word));
  };
  add_text(contact.Text(TextField::kFirstName));
  add_text(contact.Text(TextField::kLastName));
  add_text(contact.Text(TextField::kFullName));
  add_text(contact.Text(TextField::kDisplayName));
  add_text(contact.Text(TextField::kEmail));
  add_text(company_name);
  if (contact.spouse) add_text(contact.spouse->email);
  for (const Phone& phone : contact.phones) {
    // The E.164 digits forwards and backwards (so that the end of a number finds it); a search
    // typed nationally is read with the account's country code (see ParseSearch). A number kept
    // unparsed: its raw digits, both ways.
    std::string e164 = Digits(phone.e164);
    AddDigits(e164.empty() ? Digits(phone.raw) : e164, words, /*reversed=*/true);
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

Result<SearchQuery> ParseSearch(std::string_view text, std::string_view country_code) {
  auto bad = [](std::string message) {
    return std::unexpected(Error::BadRequest(message, {{"search", message}}));
  };
  if (text.size() > kMaxSearchLength) {
    return bad("search must be at most " + std::to_string(kMaxSearchLength) + " bytes");
  }
  SearchQuery query;
  query.text = std::string(text);
  bool phone_like = std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == ' ' || c == '+' || c == '-' || c == '(' || c == ')' ||
           c == '.';
  });
  std::string digits = Digits(text);
  if (phone_like && digits.size() >= kMinPhoneSearchDigits) {
    digits = Cut(digits);
    // As typed with its country code; as typed nationally (a trunk 0 dropped) in the account's
    // country; or as the end of a number.
    query.any_of.push_back(digits);
    std::string_view national = digits;
    while (!national.empty() && national.front() == '0') national.remove_prefix(1);
    bool international = Trim(text).starts_with('+');
    if (!international && !country_code.empty() && !national.empty()) {
      query.any_of.push_back(Cut(std::string(country_code) + std::string(national)));
    }
    query.any_of.push_back(kReversedDigitsMark + std::string(digits.rbegin(), digits.rend()));
    return query;
  }
  query.prefixes = SearchWords(text);
  if (query.prefixes.empty()) return bad("search must hold at least one letter or digit");
  if (query.prefixes.size() > kMaxSearchTerms) {
    return bad("search takes at most " + std::to_string(kMaxSearchTerms) + " words");
  }
  return query;
}

}  // namespace contactd::domain

#include "domain/search.hpp"

#include <algorithm>

#include <gtest/gtest.h>

namespace contactd::domain {
namespace {

using Words = std::vector<std::string>;

bool Has(const Words& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

TEST(Search, WordsAreFoldedRunsOfLettersAndDigits) {
  EXPECT_EQ(SearchWords("Sarah  O'Brien-Chen"), (Words{"sarah", "o", "brien", "chen"}));
  EXPECT_EQ(SearchWords("schen@Meridian-Capital.com"),
            (Words{"schen", "meridian", "capital", "com"}));
  EXPECT_EQ(SearchWords("ÉLODIE Straße"), (Words{"élodie", "strasse"}));
  EXPECT_EQ(SearchWords(" ,;- "), Words{});
  EXPECT_EQ(SearchWords(std::string(100, 'a')).front().size(), kMaxSearchWordLength);
}

TEST(Search, AContactIsFoundByNamesEmailCompanyAndPhoneDigitsBothWays) {
  Contact contact;
  contact.text[static_cast<std::size_t>(TextField::kFirstName)] = "Sarah";
  contact.text[static_cast<std::size_t>(TextField::kEmail)] = "schen@meridian.com";
  contact.phones = {{"office", "(212) 555-0184", "US", "+12125550184", ""}};
  Words words = ContactSearchWords(contact, std::string("Meridian Capital"));
  EXPECT_TRUE(std::is_sorted(words.begin(), words.end()));
  for (const char* word : {"sarah", "schen", "meridian", "com", "capital", "12125550184",
                           "~48105552121"}) {
    EXPECT_TRUE(Has(words, word)) << word;
  }
  EXPECT_EQ(std::count(words.begin(), words.end(), "meridian"), 1);  // distinct
}

TEST(Search, ANumberSearchMatchesDigitsForwardsOrBackwards) {
  auto query = ParseSearch("555 0184");
  ASSERT_TRUE(query.has_value());
  EXPECT_TRUE(query->prefixes.empty());
  EXPECT_EQ(query->any_of, (Words{"5550184", "~4810555"}));
  EXPECT_EQ(ParseSearch("+1 (212) 555-0184")->any_of.front(), "12125550184");
  // Typed nationally: also read after the account's country code, a trunk 0 dropped.
  EXPECT_EQ(ParseSearch("020 7946", "44")->any_of, (Words{"0207946", "44207946", "~6497020"}));
  EXPECT_EQ(ParseSearch("(212) 555", "1")->any_of, (Words{"212555", "1212555", "~555212"}));
  // Too few digits to be a number: words.
  EXPECT_EQ(ParseSearch("555")->prefixes, (Words{"555"}));
  EXPECT_EQ(ParseSearch("John Sm")->prefixes, (Words{"john", "sm"}));
}

TEST(Search, EmptyLongAndWordyQueriesAreRefused) {
  EXPECT_FALSE(ParseSearch("").has_value());
  EXPECT_FALSE(ParseSearch(" -- ").has_value());
  EXPECT_FALSE(ParseSearch(std::string(300, 'a')).has_value());
  EXPECT_FALSE(ParseSearch("a b c d e f g h i j k").has_value());
  EXPECT_EQ(ParseSearch("").error().fields.front().field, "search");
}

}  // namespace
}  // namespace contactd::domain

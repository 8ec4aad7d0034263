#include "domain/text.hpp"

#include <gtest/gtest.h>

namespace contactd::domain {
namespace {

TEST(Text, AcceptsWellFormedUtf8) {
  for (const char* text : {"", "abc", "Zoë", "日本", "\xF0\x9F\x98\x80", "\x7F"}) {
    EXPECT_TRUE(IsValidUtf8(text)) << text;
  }
}

TEST(Text, RejectsIllFormedUtf8) {
  for (const char* text : {"\xFF", "a\x80", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
                           "\xF4\x90\x80\x80", "\xC3", "\xE2\x82"}) {
    EXPECT_FALSE(IsValidUtf8(text)) << text;
  }
}

TEST(Text, ReplacesIllFormedSequencesWithReplacementCharacter) {
  EXPECT_EQ(ToValidUtf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(ToValidUtf8("Zoë"), "Zoë");
  EXPECT_TRUE(IsValidUtf8(ToValidUtf8("\xC3\xE2\x82\xF0")));
}

TEST(Text, TrimsAsciiWhitespace) {
  EXPECT_EQ(Trim("  Sarah \t\n"), "Sarah");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Trim("a b"), "a b");
}

TEST(Text, FindsControlCharacters) {
  EXPECT_TRUE(HasControlCharacter(std::string("a\0b", 3), false));
  EXPECT_TRUE(HasControlCharacter("a\x07" "b", false));
  EXPECT_TRUE(HasControlCharacter("a\tb", false));
  EXPECT_TRUE(HasControlCharacter("a\x7F", false));
  EXPECT_TRUE(HasControlCharacter("a\xC2\x85", false));  // U+0085, C1
  EXPECT_FALSE(HasControlCharacter("a\tb\nc\r\nd", true));
  EXPECT_TRUE(HasControlCharacter("a\rb", true));
  EXPECT_FALSE(HasControlCharacter("Élodie Müller 日本", false));
}

TEST(Text, FoldsUnicodeCase) {
  EXPECT_EQ(FoldCase("Chen"), "chen");
  EXPECT_EQ(FoldCase("Élodie"), FoldCase("ÉLODIE"));
  EXPECT_EQ(FoldCase("Élodie"), FoldCase("élodie"));
  EXPECT_EQ(FoldCase("MÜLLER"), FoldCase("müller"));
  EXPECT_EQ(FoldCase("Straße"), FoldCase("STRASSE"));
  // Composed and decomposed forms of one name share a key.
  EXPECT_EQ(FoldCase("E\xCC\x81lodie"), FoldCase("Élodie"));
  EXPECT_NE(FoldCase("Muller"), FoldCase("Müller"));
}

}  // namespace
}  // namespace contactd::domain

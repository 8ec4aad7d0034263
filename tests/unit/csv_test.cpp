#include "app/csv.hpp"

#include <sstream>

#include <gtest/gtest.h>

namespace contactd::app {
namespace {

std::vector<std::vector<std::string>> ReadAll(const std::string& text,
                                              std::vector<std::int64_t>* lines = nullptr) {
  std::istringstream in(text);
  CsvReader reader(in);
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  std::int64_t line = 0;
  while (reader.Next(fields, line)) {
    records.push_back(fields);
    if (lines != nullptr) lines->push_back(line);
  }
  return records;
}

TEST(Csv, SplitsFieldsAndRecords) {
  auto records = ReadAll("a,b,c\n1,,3\r\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(records[1], (std::vector<std::string>{"1", "", "3"}));
}

TEST(Csv, QuotedFieldsHoldCommasQuotesAndNewlines) {
  std::vector<std::int64_t> lines;
  auto records = ReadAll("name,notes\n\"Chen, Sarah\",\"says \"\"hi\"\"\nand bye\"\nx,y\n", &lines);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1], (std::vector<std::string>{"Chen, Sarah", "says \"hi\"\nand bye"}));
  EXPECT_EQ(lines, (std::vector<std::int64_t>{1, 2, 4}));
}

TEST(Csv, FlagsUnterminatedQuote) {
  std::istringstream in("\"open,field\n");
  CsvReader reader(in);
  std::vector<std::string> fields;
  std::int64_t line = 0;
  ASSERT_TRUE(reader.Next(fields, line));
  EXPECT_TRUE(reader.malformed());
}

}  // namespace
}  // namespace contactd::app

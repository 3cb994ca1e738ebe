// Go-compatible string helpers.
#include "common/strings.h"

#include <gtest/gtest.h>

namespace rootlesskit {
namespace {

TEST(Strings, GoQuote) {
  EXPECT_EQ(go_quote("abc"), "\"abc\"");
  EXPECT_EQ(go_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(go_quote("x\ny\t"), "\"x\\ny\\t\"");
  EXPECT_EQ(go_quote(std::string("\x01", 1)), "\"\\x01\"");
  EXPECT_EQ(go_quote("\xff"), "\"\\xff\"");
  EXPECT_EQ(go_quote("h\xc3\xa9"), "\"h\xc3\xa9\"");  // valid UTF-8 stays
  EXPECT_EQ(go_quote("\xc3"), "\"\\xc3\"");           // truncated sequence
}

TEST(Strings, GoSlice) {
  EXPECT_EQ(go_slice({"sh", "-c", "exit 42"}), "[sh -c exit 42]");
  EXPECT_EQ(go_slice({}), "[]");
}

TEST(Strings, ParseGoBool) {
  for (const char* t : {"1", "t", "T", "true", "TRUE", "True"}) {
    EXPECT_EQ(parse_go_bool(t), true) << t;
  }
  for (const char* f : {"0", "f", "F", "false", "FALSE", "False"}) {
    EXPECT_EQ(parse_go_bool(f), false) << f;
  }
  EXPECT_EQ(parse_go_bool("yes"), std::nullopt);
  EXPECT_EQ(parse_go_bool(""), std::nullopt);
}

TEST(Strings, ParseInt) {
  EXPECT_EQ(parse_int("42"), 42);
  EXPECT_EQ(parse_int("-7"), -7);
  EXPECT_EQ(parse_int("+7"), 7);
  EXPECT_EQ(parse_int(""), std::nullopt);
  EXPECT_EQ(parse_int("+"), std::nullopt);
  EXPECT_EQ(parse_int("12a"), std::nullopt);
  EXPECT_EQ(parse_int("99999999999999999999"), std::nullopt);
}

TEST(Strings, CleanPath) {
  EXPECT_EQ(clean_path("/etc/"), "/etc");
  EXPECT_EQ(clean_path("/etc//ssl/../ssl/./"), "/etc/ssl");
  EXPECT_EQ(clean_path("/../tmp"), "/tmp");
  EXPECT_EQ(clean_path("a/../../b"), "../b");
  EXPECT_EQ(clean_path(""), ".");
  EXPECT_EQ(clean_path("/"), "/");
}

TEST(Strings, SplitAndTrim) {
  EXPECT_EQ(split("a,b,,c", ','), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(split("", ','), (std::vector<std::string>{""}));
  EXPECT_EQ(trim_space("  x y \n"), "x y");
  EXPECT_EQ(trim_space(" \t "), "");
}

}  // namespace
}  // namespace rootlesskit

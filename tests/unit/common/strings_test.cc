// Go-compatible string helpers.
#include "common/strings.h"

#include <gtest/gtest.h>

#include <limits>

#include "common/error.h"

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
  EXPECT_EQ(parse_int("+-5"), std::nullopt);
  EXPECT_EQ(parse_int("12a"), std::nullopt);
  EXPECT_EQ(parse_int("1_000"), std::nullopt);
  EXPECT_EQ(parse_int("0x10"), std::nullopt);
  EXPECT_EQ(parse_int("99999999999999999999"), std::nullopt);
}

std::string atoi_error(std::string_view s) {
  try {
    go_atoi(s);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Strings, GoAtoiLikeStrconv) {
  EXPECT_EQ(go_atoi("42"), 42);
  EXPECT_EQ(go_atoi("+7"), 7);
  EXPECT_EQ(go_atoi("-0"), 0);
  EXPECT_EQ(go_atoi("007"), 7);
  EXPECT_EQ(go_atoi("-9223372036854775808"), std::numeric_limits<long long>::min());
  EXPECT_EQ(go_atoi("9223372036854775807"), std::numeric_limits<long long>::max());
  EXPECT_EQ(atoi_error("abc"), R"(strconv.Atoi: parsing "abc": invalid syntax)");
  EXPECT_EQ(atoi_error(""), R"(strconv.Atoi: parsing "": invalid syntax)");
  EXPECT_EQ(atoi_error("-"), R"(strconv.Atoi: parsing "-": invalid syntax)");
  EXPECT_EQ(atoi_error(" 80"), R"(strconv.Atoi: parsing " 80": invalid syntax)");
  EXPECT_EQ(atoi_error("0x50"), R"(strconv.Atoi: parsing "0x50": invalid syntax)");
  EXPECT_EQ(atoi_error("1_0"), R"(strconv.Atoi: parsing "1_0": invalid syntax)");
  EXPECT_EQ(atoi_error("9223372036854775808"), R"(strconv.Atoi: parsing "9223372036854775808": value out of range)");
  EXPECT_EQ(atoi_error("-9223372036854775809"), R"(strconv.Atoi: parsing "-9223372036854775809": value out of range)");
  // Like Go: a uint64 overflow is reported at once, a later bad byte otherwise wins.
  EXPECT_EQ(atoi_error("99999999999999999999x"),
            R"(strconv.Atoi: parsing "99999999999999999999x": value out of range)");
  EXPECT_EQ(atoi_error("9223372036854775808x"), R"(strconv.Atoi: parsing "9223372036854775808x": invalid syntax)");
}

TEST(Strings, GoParseIntBaseZero) {
  bool range = true;
  EXPECT_EQ(go_parse_int("0x1F", 0, &range), 31);
  EXPECT_FALSE(range);
  EXPECT_EQ(go_parse_int("0o17", 0), 15);
  EXPECT_EQ(go_parse_int("017", 0), 15);
  EXPECT_EQ(go_parse_int("0b101", 0), 5);
  EXPECT_EQ(go_parse_int("-1_000", 0), -1000);
  EXPECT_EQ(go_parse_int("0x_1", 0), 1);
  EXPECT_EQ(go_parse_int("0", 0), 0);
  EXPECT_EQ(go_parse_int("08", 0), std::nullopt);
  EXPECT_EQ(go_parse_int("1__0", 0), std::nullopt);
  EXPECT_EQ(go_parse_int("_1", 0), std::nullopt);
  EXPECT_EQ(go_parse_int("0x", 0, &range), std::nullopt);
  EXPECT_FALSE(range);
  EXPECT_EQ(go_parse_int("0x8000000000000000", 0, &range), std::nullopt);
  EXPECT_TRUE(range);
  EXPECT_EQ(go_parse_int("-0x8000000000000000", 0), std::numeric_limits<long long>::min());
  EXPECT_EQ(go_parse_int("ff", 16), 255);
  EXPECT_EQ(go_parse_int("1_0", 10), std::nullopt);  // '_' only with base 0
}

TEST(Strings, HexAndUnicodeEscapes) {
  EXPECT_EQ(hex_digit_value('0'), 0);
  EXPECT_EQ(hex_digit_value('a'), 10);
  EXPECT_EQ(hex_digit_value('F'), 15);
  EXPECT_EQ(hex_digit_value('g'), -1);
  EXPECT_EQ(hex_digit_value('/'), -1);
  EXPECT_EQ(unicode_escape('<'), "\\u003c");
  EXPECT_EQ(unicode_escape(0x2028), "\\u2028");
  EXPECT_TRUE(is_ascii_digit('7'));
  EXPECT_FALSE(is_ascii_digit('a'));
}

TEST(Strings, Utf8RoundTrip) {
  for (int cp : {0x41, 0xE9, 0x20AC, 0x1F600, 0x10FFFF}) {
    std::string s;
    append_utf8(s, cp);
    size_t len = 0;
    EXPECT_EQ(decode_utf8_rune(s, 0, &len), cp);
    EXPECT_EQ(len, s.size());
  }
  size_t len = 0;
  EXPECT_EQ(decode_utf8_rune("\xed\xa0\x80", 0, &len), -1);  // an encoded surrogate
  EXPECT_EQ(len, 1u);
  EXPECT_EQ(decode_utf8_rune("\xc0\x80", 0, &len), -1);  // overlong
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

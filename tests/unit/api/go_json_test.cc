// Go encoding/json compatibility: decoder error texts, string escaping, indentation, Atoi.
#include "api/go_json.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace rootlesskit::api::gojson {
namespace {

std::string decode_error(std::string_view input) {
  try {
    decode_first(input);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string unmarshal_error(std::string_view input) {
  try {
    unmarshal(input);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(GoJson, DecoderSyntaxErrorsReadLikeGo) {
  EXPECT_EQ(decode_error("garbage"), "invalid character 'g' looking for beginning of value");
  EXPECT_EQ(decode_error(""), "EOF");
  EXPECT_EQ(decode_error("  \n"), "EOF");
  EXPECT_EQ(decode_error("{\"proto\":\"tcp\""), "unexpected EOF");
  EXPECT_EQ(decode_error("{\"a\" 1}"), "invalid character '1' after object key");
  EXPECT_EQ(decode_error("{\"a\":1,}"),
            "invalid character '}' looking for beginning of object key string");
  EXPECT_EQ(decode_error("{\"a\":1 \"b\"}"), "invalid character '\"' after object key:value pair");
  EXPECT_EQ(decode_error("[1 2]"), "invalid character '2' after array element");
  EXPECT_EQ(decode_error("[1,]"), "invalid character ']' looking for beginning of value");
  EXPECT_EQ(decode_error("{'a':1}"), "invalid character '\\'' looking for beginning of object key string");
  EXPECT_EQ(decode_error("[-x]"), "invalid character 'x' in numeric literal");
  EXPECT_EQ(decode_error("[1.x]"), "invalid character 'x' after decimal point in numeric literal");
  EXPECT_EQ(decode_error("[1ex]"), "invalid character 'x' in exponent of numeric literal");
  EXPECT_EQ(decode_error("[trux]"), "invalid character 'x' in literal true (expecting 'e')");
  EXPECT_EQ(decode_error("[nul]"), "invalid character ']' in literal null (expecting 'l')");
  EXPECT_EQ(decode_error("[\"a\nb\"]"), "invalid character '\\n' in string literal");
  EXPECT_EQ(decode_error("[\"\\x\"]"), "invalid character 'x' in string escape code");
  EXPECT_EQ(decode_error("[\"\\u12g4\"]"), "invalid character 'g' in \\u hexadecimal character escape");
  EXPECT_EQ(decode_error("\xc3\xa9"), "invalid character '\xc3\x83' looking for beginning of value");
  EXPECT_EQ(decode_error("\x01"), "invalid character '\\x01' looking for beginning of value");
  EXPECT_EQ(decode_error(std::string(5000, '[')), "exceeded max depth");
}

TEST(GoJson, DecoderTakesTheFirstValueOnly) {
  EXPECT_EQ(decode_first("{} garbage").kind, Value::Kind::object);
  EXPECT_EQ(decode_first("123abc").text, "123");
  EXPECT_EQ(decode_first("01").text, "0");
}

TEST(GoJson, UnmarshalNeedsExactlyOneValue) {
  EXPECT_EQ(unmarshal_error(""), "unexpected end of JSON input");
  EXPECT_EQ(unmarshal_error("{"), "unexpected end of JSON input");
  EXPECT_EQ(unmarshal_error("{} x"), "invalid character 'x' after top-level value");
  EXPECT_EQ(unmarshal_error("-"), "invalid character ' ' in numeric literal");
  EXPECT_EQ(unmarshal_error("tru"), "invalid character ' ' in literal true (expecting 'e')");
  EXPECT_EQ(unmarshal_error("{\"a\":1}\n"), "(no error)");
}

TEST(GoJson, DecodesStringsLikeGo) {
  EXPECT_EQ(decode_first(R"("a\u003cb\n\"\\\/")").text, "a<b\n\"\\/");
  EXPECT_EQ(decode_first(R"("\ud83d\ude00")").text, "\xf0\x9f\x98\x80");
  EXPECT_EQ(decode_first(R"("\ud83d x")").text, "\xef\xbf\xbd x");  // lone surrogate
  EXPECT_EQ(decode_first("\"\xff\"").text, "\xef\xbf\xbd");           // invalid UTF-8
  Value v = decode_first(R"({"a":[1,true,null,"x"],"a":{}})");
  ASSERT_EQ(v.members.size(), 2u);
  EXPECT_EQ(v.members[0].second.items.size(), 4u);
  EXPECT_EQ(v.members[0].second.items[2].kind, Value::Kind::null);
}

TEST(GoJson, QuoteEscapesLikeGo) {
  EXPECT_EQ(quote("a<b>&c"), R"("a\u003cb\u003e\u0026c")");
  EXPECT_EQ(quote("q\"\\\n\r\t\x01\x7f"), "\"q\\\"\\\\\\n\\r\\t\\u0001\x7f\"");
  EXPECT_EQ(quote("\xe2\x80\xa8"), R"("\u2028")");
  EXPECT_EQ(quote("h\xc3\xa9\xff"), "\"h\xc3\xa9\\ufffd\"");
  EXPECT_EQ(quote("(>= 1024)"), R"x("(\u003e= 1024)")x");
}

TEST(GoJson, IndentLikeMarshalIndent) {
  EXPECT_EQ(indent(R"({"a":1,"b":[],"c":{},"d":["x",{"e":"[,:]"}]})", "  "),
            "{\n  \"a\": 1,\n  \"b\": [],\n  \"c\": {},\n  \"d\": [\n    \"x\",\n    {\n"
            "      \"e\": \"[,:]\"\n    }\n  ]\n}");
  EXPECT_EQ(indent("null", "    "), "null");
  EXPECT_EQ(indent(R"(["a\"b"])", " "), "[\n \"a\\\"b\"\n]");
}

std::string atoi_error(std::string_view s) {
  try {
    atoi(s);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(GoJson, AtoiLikeStrconv) {
  EXPECT_EQ(atoi("42"), 42);
  EXPECT_EQ(atoi("+7"), 7);
  EXPECT_EQ(atoi("-0"), 0);
  EXPECT_EQ(atoi("-9223372036854775808"), std::numeric_limits<long long>::min());
  EXPECT_EQ(atoi_error("abc"), R"(strconv.Atoi: parsing "abc": invalid syntax)");
  EXPECT_EQ(atoi_error(""), R"(strconv.Atoi: parsing "": invalid syntax)");
  EXPECT_EQ(atoi_error("-"), R"(strconv.Atoi: parsing "-": invalid syntax)");
  EXPECT_EQ(atoi_error(" 80"), R"(strconv.Atoi: parsing " 80": invalid syntax)");
  EXPECT_EQ(atoi_error("0x50"), R"(strconv.Atoi: parsing "0x50": invalid syntax)");
  EXPECT_EQ(atoi_error("9223372036854775808"),
            R"(strconv.Atoi: parsing "9223372036854775808": value out of range)");
}

}  // namespace
}  // namespace rootlesskit::api::gojson

// Go encoding/json compatibility: decoder error texts, string escaping, indentation.
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
  EXPECT_EQ(decode_error("{\"a\":1,}"), "invalid character '}' looking for beginning of object key string");
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
  EXPECT_EQ(decode_first("\"\xff\"").text, "\xef\xbf\xbd");         // invalid UTF-8
  Value v = decode_first(R"({"a":[1,true,null,"x"],"a":{}})");
  ASSERT_EQ(v.members.size(), 2u);
  EXPECT_EQ(v.members[0].value.items.size(), 4u);
  EXPECT_EQ(v.members[0].value.items[2].kind, Value::Kind::null);
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

TEST(GoJson, NulAndByteOrderMarkAreStrayCharacters) {
  // nlohmann reads a NUL as the end of the input and skips a leading BOM; Go refuses both.
  using namespace std::string_literals;
  EXPECT_EQ(decode_error("\0"s), "invalid character '\\x00' looking for beginning of value");
  EXPECT_EQ(decode_error("[1,\0]"s), "invalid character '\\x00' looking for beginning of value");
  EXPECT_EQ(decode_error("{\"a\":1\0}"s), "invalid character '\\x00' after object key:value pair");
  EXPECT_EQ(unmarshal_error("{}\0"s), "invalid character '\\x00' after top-level value");
  EXPECT_EQ(decode_first("{}\0"s).kind, Value::Kind::object);
  EXPECT_EQ(decode_error("\xef\xbb\xbf{}"), "invalid character '\xc3\xaf' looking for beginning of value");
}

TEST(GoJson, ErrorsNameTheFirstByteGoCannotUse) {
  // nlohmann reads a whole token before judging it; Go stops at its first byte.
  EXPECT_EQ(decode_error("{\"a\" -x}"), "invalid character '-' after object key");
  EXPECT_EQ(decode_error("{\"a\":1,\"b\" 2}"), "invalid character '2' after object key");
  EXPECT_EQ(decode_error("[1 -x]"), "invalid character '-' after array element");
  EXPECT_EQ(decode_error("[1,-x]"), "invalid character 'x' in numeric literal");
  EXPECT_EQ(decode_error("[01]"), "invalid character '1' after array element");
  EXPECT_EQ(decode_error("[1.]"), "invalid character ']' after decimal point in numeric literal");
  EXPECT_EQ(decode_error("[1e+]"), "invalid character ']' in exponent of numeric literal");
  EXPECT_EQ(decode_error("{\"a\tb\":1}"), "invalid character '\\t' in string literal");
  EXPECT_EQ(decode_error("{\"a\":fals}"), "invalid character '}' in literal false (expecting 'e')");
  EXPECT_EQ(decode_error("[\"\\u\xff\"]"), "invalid character '\xc3\xbf' in \\u hexadecimal character escape");
  EXPECT_EQ(decode_error("[\"\xff\",x]"), "invalid character 'x' looking for beginning of value");
  EXPECT_EQ(decode_error("tru1e400"), "invalid character '1' in literal true (expecting 'e')");
}

TEST(GoJson, EndOfInputInsideAToken) {
  // json.Unmarshal ends its input with a space, which only a string may contain.
  EXPECT_EQ(unmarshal_error("\"\\"), "invalid character ' ' in string escape code");
  EXPECT_EQ(unmarshal_error("\"\\u12"), "invalid character ' ' in \\u hexadecimal character escape");
  EXPECT_EQ(unmarshal_error("[1."), "invalid character ' ' after decimal point in numeric literal");
  EXPECT_EQ(unmarshal_error("\"abc"), "unexpected end of JSON input");
  EXPECT_EQ(unmarshal_error("[1,"), "unexpected end of JSON input");
  EXPECT_EQ(decode_error("\"\\u12"), "unexpected EOF");
  EXPECT_EQ(decode_error("[1."), "unexpected EOF");
  EXPECT_EQ(decode_error("{\"a\""), "unexpected EOF");
}

TEST(GoJson, NumbersBeyondADoubleKeepTheirText) {
  // Go parses them and leaves the verdict to the field; nlohmann refuses them.
  EXPECT_EQ(decode_first("1e400").text, "1e400");
  Value v = unmarshal("[1e400, -1e999,1E-400,123456789012345678901234567890]");
  ASSERT_EQ(v.items.size(), 4u);
  EXPECT_EQ(v.items[0].text, "1e400");
  EXPECT_EQ(v.items[1].text, "-1e999");
  EXPECT_EQ(v.items[2].text, "1E-400");
  EXPECT_EQ(v.items[3].text, "123456789012345678901234567890");
  EXPECT_EQ(unmarshal_error("1e-400-1e400"), "invalid character '-' after top-level value");
  EXPECT_EQ(decode_first("-0").text, "-0");
}

TEST(GoJson, SurrogatesAndInvalidUtf8BecomeReplacementCharacters) {
  EXPECT_EQ(decode_first(R"("\ud83d\u0041")").text,
            "\xef\xbf\xbd"
            "A");
  EXPECT_EQ(decode_first(R"("\udc00")").text, "\xef\xbf\xbd");
  EXPECT_EQ(decode_first(R"("\ud83d\ud83d\ude00")").text, "\xef\xbf\xbd\xf0\x9f\x98\x80");
  EXPECT_EQ(decode_first("\"a\xff\xfe\xed\xa0\x80"
                         "b\"")
                .text,
            "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
            "b");
  Value key = decode_first("{\"\xff\":1}");
  ASSERT_EQ(key.members.size(), 1u);
  EXPECT_EQ(key.members[0].key, "\xef\xbf\xbd");
}

TEST(GoJson, DepthLimit) {
  EXPECT_EQ(decode_first(std::string(1000, '[') + std::string(1000, ']')).kind, Value::Kind::array);
  EXPECT_EQ(decode_error(std::string(1001, '[') + std::string(1001, ']')), "exceeded max depth");
  std::string objects;
  for (int i = 0; i < 1001; ++i) {
    objects += "{\"a\":";
  }
  EXPECT_EQ(decode_error(objects), "exceeded max depth");
}

}  // namespace
}  // namespace rootlesskit::api::gojson

// The parts of Go's encoding/json that the REST API's bytes depend on: a decoder (nlohmann's
// parser underneath) whose errors read like Go's ("invalid character 'g' looking for beginning of
// value", "unexpected EOF"), Go's string escaping (`<` -> \u003c) and json.Indent. Used by the
// parent's API server and by rootlessctl; pure string processing.
#pragma once

#include "common/strings.h"

#include <string>
#include <string_view>
#include <vector>

namespace rootlesskit::api::gojson {

// A parsed JSON value. Numbers keep their literal text so integer decoding can reject "1.5" and
// "1e2" the way Go does; object members keep input order and duplicates (the last one wins).
struct Value {
  enum class Kind { null, boolean, number, string, array, object };
  struct Member;  // not a std::pair: clang refuses a pair of a type not yet complete
  Kind kind = Kind::null;
  bool boolean = false;
  std::string text;  // number literal, or the decoded (UTF-8) string
  std::vector<Value> items;
  std::vector<Member> members;
};

struct Value::Member {
  std::string key;
  Value value;
};

// json.Decoder.Decode: parses the first JSON value of `input` and ignores what follows it.
// Throws Error with Go's text: "EOF" (only whitespace), "unexpected EOF" (truncated value),
// "invalid character 'x' <context>", "exceeded max depth" (deeper than 1000 levels; Go allows
// 10000). Like Go, invalid UTF-8 and lone surrogate escapes in strings become U+FFFD.
Value decode_first(std::string_view input);

// json.Unmarshal: the whole input must be exactly one value. Throws Error with Go's text
// ("unexpected end of JSON input", "invalid character 'x' after top-level value", ...).
Value unmarshal(std::string_view input);

// Go's encoding of a string, quotes included: `"` `\` and controls escaped (\n \r \t, else
// \u00XX), `<` `>` `&` as \u003c \u003e \u0026, U+2028/U+2029 escaped, invalid UTF-8 as \ufffd.
std::string quote(std::string_view s);

// json.Indent(dst, compact, "", indent): one member/element per line, `": "` after keys, empty
// objects and arrays stay `{}` / `[]`. `compact` must be valid compact JSON.
std::string indent(std::string_view compact, std::string_view indent);

}  // namespace rootlesskit::api::gojson

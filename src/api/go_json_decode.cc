// json.Decoder / json.Unmarshal work-alikes (see go_json.h): a recursive-descent parser that
// reports the same error texts as Go's encoding/json scanner, because API clients show those texts
// to users (`{"message":"invalid character 'g' looking for beginning of value"}`).
// Runs in the parent's API server threads and in clients.
#include "api/go_json.h"

#include <cstdio>

#include "common/error.h"
#include "common/strings.h"

namespace rootlesskit::api::gojson {
namespace {

// Go allows 10000 levels; we stop earlier so that a hostile request cannot exhaust the stack of a
// server thread (the message is Go's).
constexpr int kMaxDepth = 1000;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string hex4(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", v & 0xFFFF);
  return buf;
}

// Go's quoteChar: how the scanner names an offending byte ('g', '"', '\'', '\n', 'Ã').
std::string quote_char(unsigned char c) {
  if (c == '\'') {
    return "'\\''";
  }
  if (c == '"') {
    return "'\"'";
  }
  if (c < 0x80) {
    std::string q = go_quote(std::string_view(reinterpret_cast<const char*>(&c), 1));
    return "'" + q.substr(1, q.size() - 2) + "'";
  }
  // Go turns the byte into the rune U+00XX; non-printable ones are escaped by strconv.Quote.
  if (c <= 0xA0 || c == 0xAD) {
    return "'" + hex4(c) + "'";
  }
  std::string s = "'";
  append_utf8(s, c);
  return s + "'";
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

class Parser {
 public:
  // decoder_mode: json.Decoder semantics (EOF texts, trailing data ignored); else json.Unmarshal.
  Parser(std::string_view in, bool decoder_mode) : m_in(in), m_decoder(decoder_mode) {}

  Value parse_top() {
    skip_space();
    if (at_end()) {
      throw Error(m_decoder ? "EOF" : "unexpected end of JSON input");
    }
    Value v = parse_value(0);
    if (!m_decoder) {
      skip_space();
      if (!at_end()) {
        fail(peek(), "after top-level value");
      }
    }
    return v;
  }

 private:
  bool at_end() const { return m_pos >= m_in.size(); }
  char peek() const { return m_in[m_pos]; }
  void skip_space() {
    while (!at_end() && is_space(peek())) {
      ++m_pos;
    }
  }

  [[noreturn]] void fail(char c, std::string_view context) const {
    throw Error("invalid character " + quote_char(static_cast<unsigned char>(c)) + " " +
                std::string(context));
  }
  // End of input inside a value. json.Unmarshal feeds the scanner a space at EOF, so where a space
  // is itself invalid (`context` given) it reports that character instead.
  [[noreturn]] void fail_eof(std::string_view context = {}) const {
    if (m_decoder) {
      throw Error("unexpected EOF");
    }
    if (!context.empty()) {
      fail(' ', context);
    }
    throw Error("unexpected end of JSON input");
  }
  // The next non-space byte, which must exist.
  char next_token_char() {
    skip_space();
    if (at_end()) {
      fail_eof();
    }
    return peek();
  }

  Value parse_value(int depth) {
    char c = next_token_char();
    switch (c) {
      case '{': return parse_object(depth + 1);
      case '[': return parse_array(depth + 1);
      case '"': {
        Value v;
        v.kind = Value::Kind::string;
        v.text = parse_string();
        return v;
      }
      case 't': return parse_literal("true");
      case 'f': return parse_literal("false");
      case 'n': return parse_literal("null");
      default:
        if (c == '-' || is_digit(c)) {
          return parse_number();
        }
        fail(c, "looking for beginning of value");
    }
  }

  Value parse_object(int depth) {
    if (depth > kMaxDepth) {
      throw Error("exceeded max depth");
    }
    ++m_pos;
    Value v;
    v.kind = Value::Kind::object;
    if (next_token_char() == '}') {
      ++m_pos;
      return v;
    }
    while (true) {
      char c = next_token_char();
      if (c != '"') {
        fail(c, "looking for beginning of object key string");
      }
      std::string key = parse_string();
      c = next_token_char();
      if (c != ':') {
        fail(c, "after object key");
      }
      ++m_pos;
      v.members.emplace_back(std::move(key), parse_value(depth));
      c = next_token_char();
      ++m_pos;
      if (c == '}') {
        return v;
      }
      if (c != ',') {
        fail(c, "after object key:value pair");
      }
    }
  }

  Value parse_array(int depth) {
    if (depth > kMaxDepth) {
      throw Error("exceeded max depth");
    }
    ++m_pos;
    Value v;
    v.kind = Value::Kind::array;
    if (next_token_char() == ']') {
      ++m_pos;
      return v;
    }
    while (true) {
      v.items.push_back(parse_value(depth));
      char c = next_token_char();
      ++m_pos;
      if (c == ']') {
        return v;
      }
      if (c != ',') {
        fail(c, "after array element");
      }
    }
  }

  Value parse_literal(std::string_view word) {
    std::string context = "in literal " + std::string(word) + " (expecting ' ')";
    for (size_t i = 1; i < word.size(); ++i) {
      context[context.size() - 3] = word[i];
      ++m_pos;
      if (at_end()) {
        fail_eof(context);
      }
      if (peek() != word[i]) {
        fail(peek(), context);
      }
    }
    ++m_pos;
    Value v;
    if (word == "null") {
      return v;
    }
    v.kind = Value::Kind::boolean;
    v.boolean = word == "true";
    return v;
  }

  // Requires at least one digit at m_pos, then takes all following digits.
  void digits(std::string_view context) {
    if (at_end()) {
      fail_eof(context);
    }
    if (!is_digit(peek())) {
      fail(peek(), context);
    }
    while (!at_end() && is_digit(peek())) {
      ++m_pos;
    }
  }

  Value parse_number() {
    size_t start = m_pos;
    if (peek() == '-') {
      ++m_pos;
    }
    if (!at_end() && peek() == '0') {
      ++m_pos;
    } else {
      digits("in numeric literal");
    }
    if (!at_end() && peek() == '.') {
      ++m_pos;
      digits("after decimal point in numeric literal");
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++m_pos;
      if (!at_end() && (peek() == '+' || peek() == '-')) {
        ++m_pos;
      }
      digits("in exponent of numeric literal");
    }
    Value v;
    v.kind = Value::Kind::number;
    v.text = std::string(m_in.substr(start, m_pos - start));
    return v;
  }

  // Four hex digits of a \u escape at m_pos.
  int read_hex4() {
    int value = 0;
    for (int i = 0; i < 4; ++i, ++m_pos) {
      if (at_end()) {
        fail_eof("in \\u hexadecimal character escape");
      }
      int h = hex_value(peek());
      if (h < 0) {
        fail(peek(), "in \\u hexadecimal character escape");
      }
      value = value * 16 + h;
    }
    return value;
  }

  // After "\u": decodes the escape (and a following low surrogate escape) like Go's unquote.
  int parse_unicode_escape() {
    int r = read_hex4();
    if (r < 0xD800 || r > 0xDFFF) {
      return r;
    }
    bool paired = r < 0xDC00 && m_pos + 6 <= m_in.size() && m_in[m_pos] == '\\' &&
                  m_in[m_pos + 1] == 'u';
    if (paired) {
      int low = 0;
      for (size_t i = 2; i < 6 && low >= 0; ++i) {
        int h = hex_value(m_in[m_pos + i]);
        low = h < 0 ? -1 : low * 16 + h;
      }
      if (low >= 0xDC00 && low <= 0xDFFF) {
        m_pos += 6;
        return 0x10000 + ((r - 0xD800) << 10) + (low - 0xDC00);
      }
    }
    return 0xFFFD;
  }

  std::string parse_string() {
    ++m_pos;  // opening quote
    std::string out;
    while (true) {
      if (at_end()) {
        fail_eof();
      }
      char c = peek();
      if (c == '"') {
        ++m_pos;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        fail(c, "in string literal");
      }
      if (c == '\\') {
        parse_escape(out);
        continue;
      }
      size_t len = 1;
      int cp = decode_rune(m_in, m_pos, &len);
      append_utf8(out, cp < 0 ? 0xFFFD : cp);
      m_pos += len;
    }
  }

  void parse_escape(std::string& out) {
    ++m_pos;
    if (at_end()) {
      fail_eof("in string escape code");
    }
    char e = m_in[m_pos++];
    switch (e) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case '/': case '\\': case '"': out += e; break;
      case 'u': append_utf8(out, parse_unicode_escape()); break;
      default: fail(e, "in string escape code");
    }
  }

  std::string_view m_in;
  size_t m_pos = 0;
  bool m_decoder;
};

}  // namespace

Value decode_first(std::string_view input) { return Parser(input, true).parse_top(); }

Value unmarshal(std::string_view input) { return Parser(input, false).parse_top(); }

}  // namespace rootlesskit::api::gojson

// Go's texts for JSON syntax errors (see go_json_syntax.h). Go's scanner fails at the first byte
// that cannot continue the value; nlohmann's lexer reads a whole token before its parser judges
// it. So the first byte of the failing token is checked against what the grammar expects there
// (Go's "looking for beginning of value", "after object key", ...), and only a token that starts
// well is looked into for the byte its lexer stopped at. Pure string processing, any process.
#include "api/go_json_syntax.h"

#include <string>

#include "common/strings.h"

namespace rootlesskit::api::gojson {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

size_t skip_space(std::string_view text, size_t i) {
  while (i < text.size() && is_space(text[i])) {
    ++i;
  }
  return i;
}

// Go's quoteChar: how the scanner names an offending byte ('g', '"', '\'', '\n', 'Ã').
std::string quote_char(unsigned char c) {
  std::string out = "'";
  if (c == '\'') {
    out += "\\'";
  } else if (c == '"') {
    out += '"';
  } else if (c < 0x80) {
    std::string q = go_quote(std::string_view(reinterpret_cast<const char*>(&c), 1));
    out.append(q, 1, q.size() - 2);
  } else if (c <= 0xA0 || c == 0xAD) {
    // Go turns the byte into the rune U+00XX; strconv.Quote escapes the non-printable ones.
    out += unicode_escape(c);
  } else {
    append_utf8(out, c);
  }
  out += '\'';
  return out;
}

// What the grammar allows next, as Go's scanner states name it.
enum class Expect { value, value_or_close, key, key_or_close, colon, pair_end, element_end, nothing };

const char* context_of(Expect e) {
  switch (e) {
    case Expect::value:
    case Expect::value_or_close: return "looking for beginning of value";
    case Expect::key:
    case Expect::key_or_close: return "looking for beginning of object key string";
    case Expect::colon: return "after object key";
    case Expect::pair_end: return "after object key:value pair";
    case Expect::element_end: return "after array element";
    case Expect::nothing: break;
  }
  return "after top-level value";
}

// Whether a token starting with `c` may come next (the token itself may still be malformed).
bool starts_allowed_token(Expect e, char c) {
  auto value_start = [c] {
    return c == '{' || c == '[' || c == '"' || c == '-' || is_ascii_digit(c) || c == 't' || c == 'f' || c == 'n';
  };
  switch (e) {
    case Expect::value: return value_start();
    case Expect::value_or_close: return value_start() || c == ']';
    case Expect::key: return c == '"';
    case Expect::key_or_close: return c == '"' || c == '}';
    case Expect::colon: return c == ':';
    case Expect::pair_end: return c == ',' || c == '}';
    case Expect::element_end: return c == ',' || c == ']';
    case Expect::nothing: break;
  }
  return false;
}

Expect expect_after(const ParseState& state) {
  if (state.open.empty()) {
    return state.last == ParseState::Event::none ? Expect::value : Expect::nothing;
  }
  bool object = state.open.back();
  switch (state.last) {
    case ParseState::Event::open: return object ? Expect::key_or_close : Expect::value_or_close;
    case ParseState::Event::key: return Expect::colon;
    default: return object ? Expect::pair_end : Expect::element_end;
  }
}

// Inside a string token from `start` (its quote) that the lexer refused at `at`.
const char* string_context(std::string_view text, size_t start, size_t at) {
  for (size_t i = start + 1; i < at; ++i) {
    if (text[i] != '\\') {
      continue;
    }
    if (at == i + 1) {
      return "in string escape code";
    }
    if (text[i + 1] == 'u') {
      if (at <= i + 5) {
        return "in \\u hexadecimal character escape";
      }
      i += 5;
    } else {
      ++i;
    }
  }
  return "in string literal";
}

// Go's context for a failure at `at` inside the token that starts at `start` with a valid byte.
std::string token_context(std::string_view text, size_t start, size_t at) {
  char first = text[start];
  if (first == '"') {
    return string_context(text, start, at);
  }
  if (first == 't' || first == 'f' || first == 'n') {
    std::string_view word = first == 't' ? "true" : first == 'f' ? "false" : "null";
    size_t i = std::min(at - start, word.size() - 1);
    return "in literal " + std::string(word) + " (expecting '" + word[i] + "')";
  }
  // A number: both lexers fail only where a digit must follow '-', '.', or 'e' and its sign.
  if (at == start + 1) {
    return "in numeric literal";
  }
  return text[at - 1] == '.' ? "after decimal point in numeric literal" : "in exponent of numeric literal";
}

[[noreturn]] void throw_token_error(const PreparedInput& in, size_t start, size_t at, bool decoder) {
  std::string context = token_context(in.text, start, at);
  if (at < in.eof) {
    throw syntax_error(in.input_byte(at), context);
  }
  if (decoder) {
    throw Error("unexpected EOF");
  }
  // json.Unmarshal feeds its scanner a space at the end: an error wherever a space is invalid.
  if (context != "in string literal") {
    throw syntax_error(' ', context);
  }
  throw Error("unexpected end of JSON input");
}

}  // namespace

Error syntax_error(char c, std::string_view context) {
  std::string text = "invalid character ";
  text += quote_char(static_cast<unsigned char>(c));
  text += ' ';
  text += context;
  return Error(text);
}

void throw_syntax_error(const PreparedInput& in, const ParseState& state, bool decoder) {
  const std::string_view text = in.text;
  const size_t eof = in.eof;
  if (state.depth_exceeded) {
    throw Error("exceeded max depth");
  }
  Expect expect = expect_after(state);
  size_t pos = skip_space(text, state.last_end);
  // Step over a comma or colon that nlohmann accepted without an event.
  if (pos < eof &&
      ((expect == Expect::colon && text[pos] == ':') || (expect == Expect::element_end && text[pos] == ','))) {
    expect = Expect::value;
    pos = skip_space(text, pos + 1);
  } else if (pos < eof && expect == Expect::pair_end && text[pos] == ',') {
    expect = Expect::key;
    pos = skip_space(text, pos + 1);
  }
  if (pos >= eof) {
    if (!decoder) {
      throw Error("unexpected end of JSON input");
    }
    bool nothing_read = state.last == ParseState::Event::none;
    throw Error(nothing_read ? "EOF" : "unexpected EOF");
  }
  if (!starts_allowed_token(expect, text[pos]) || state.error_at < pos) {
    throw syntax_error(in.input_byte(pos), context_of(expect));
  }
  throw_token_error(in, pos, state.error_at, decoder);
}

void check_only_space_after(const PreparedInput& in, size_t from) {
  size_t pos = skip_space(in.text, from);
  if (pos < in.eof) {
    throw syntax_error(in.input_byte(pos), context_of(Expect::nothing));
  }
}

}  // namespace rootlesskit::api::gojson

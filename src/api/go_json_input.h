// Internal to the JSON decoder (go_json_decode.cc): rewrites a request or reply so that nlohmann's
// parser accepts exactly what Go's encoding/json accepts, without changing where any error is.
// Pure string processing, any process.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rootlesskit::api::gojson {

// text[at, at + length) stands for input[from, from + from_length).
struct Rewrite {
  size_t at;
  size_t length;
  size_t from;
  size_t from_length;
};

struct PreparedInput {
  std::string_view input;
  // The input with three rewrites inside the valid part (bytes after the first syntax error do not
  // matter, nlohmann stops there):
  // - in strings, each invalid UTF-8 byte becomes U+FFFD, and a \u escape of a lone UTF-16
  //   surrogate becomes \ufffd (Go decodes both to U+FFFD; nlohmann refuses them);
  // - a number beyond a double's range becomes "0" padded with spaces to the same length (Go
  //   parses it and lets the field decide; nlohmann refuses it);
  // - one space is appended, so the lexer always reads one byte past a number and past the end of
  //   the input (json.Unmarshal ends its input with a space too).
  std::string text;
  size_t eof = 0;                 // index of that appended space: where the input ended
  std::vector<Rewrite> rewrites;  // by `at`; surrogate escapes keep their length and are not listed

  // The input byte that text[pos] stands for (an error names the byte the caller sent).
  char input_byte(size_t pos) const;
  // The literal a rewritten number starting at text[pos] stands for, else empty.
  std::string_view big_number_at(size_t pos) const;
};

PreparedInput prepare_input(std::string_view input);

// True for the bytes a JSON number literal is made of.
inline bool is_number_byte(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

}  // namespace rootlesskit::api::gojson

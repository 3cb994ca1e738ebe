// Internal to the JSON decoder (go_json_decode.cc): where nlohmann's parser stopped, and the Go
// encoding/json scanner text for it ("invalid character '}' looking for beginning of object key
// string", "unexpected EOF"). Pure string processing, any process.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "api/go_json_input.h"
#include "common/error.h"

namespace rootlesskit::api::gojson {

// What the SAX handler saw up to the failure. Commas and colons produce no event; the error
// mapping steps over them itself.
struct ParseState {
  enum class Event { none, open, key, value };
  Event last = Event::none;  // the last event: a container opened, a key, a value (or a close)
  size_t last_end = 0;       // offset just past the token of that event
  std::vector<bool> open;    // the open containers, innermost last; true = object
  bool depth_exceeded = false;
  size_t error_at = 0;  // offset of the byte the lexer failed on (after a parse error)
};

// Go's SyntaxError text: "invalid character 'x' <context>".
Error syntax_error(char c, std::string_view context);

// Throws the error Go's json.Decoder (`decoder`) or json.Unmarshal reports for the input, which
// nlohmann refused in `state`.
[[noreturn]] void throw_syntax_error(const PreparedInput& in, const ParseState& state, bool decoder);

// json.Unmarshal after a complete value: throws "invalid character 'x' after top-level value" if
// anything but whitespace follows offset `from` of in.text.
void check_only_space_after(const PreparedInput& in, size_t from);

}  // namespace rootlesskit::api::gojson

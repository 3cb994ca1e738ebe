// Go-compatible JSON encoding helpers (see go_json.h): the bytes upstream's server and
// rootlessctl print. Pure string processing, any process.
#include "api/go_json.h"

#include <utility>

#include "common/strings.h"

namespace rootlesskit::api::gojson {

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    int cp = decode_utf8_rune(s, i, &len);
    if (cp < 0) {
      out += "\\ufffd";
    } else if (cp == '"' || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp < 0x20 || cp == '<' || cp == '>' || cp == '&' || cp == 0x2028 || cp == 0x2029) {
      out += unicode_escape(static_cast<unsigned>(cp));
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  out += '"';
  return out;
}

std::string indent(std::string_view compact, std::string_view indent) {
  std::string out;
  int level = 0;
  bool in_string = false;
  bool opened = false;  // just after `{` or `[`: the newline waits to see whether it is empty
  auto newline = [&] {
    out += '\n';
    for (int i = 0; i < level; ++i) {
      out += indent;
    }
  };
  for (size_t i = 0; i < compact.size(); ++i) {
    char c = compact[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < compact.size()) {
        out += compact[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (opened && c != '}' && c != ']') {
      newline();
    }
    bool was_opened = std::exchange(opened, false);
    switch (c) {
      case '"':
        in_string = true;
        out += c;
        break;
      case '{':
      case '[':
        ++level;
        opened = true;
        out += c;
        break;
      case ',':
        out += c;
        newline();
        break;
      case ':': out += ": "; break;
      case '}':
      case ']':
        --level;
        if (!was_opened) {
          newline();
        }
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace rootlesskit::api::gojson

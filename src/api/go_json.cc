// Go-compatible JSON encoding helpers and strconv.Atoi (see go_json.h): the bytes upstream's
// server and rootlessctl print. Pure string processing, any process.
#include "api/go_json.h"

#include <cstdio>
#include <limits>

#include "common/error.h"
#include "common/strings.h"

namespace rootlesskit::api::gojson {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string hex4(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", v & 0xFFFF);
  return buf;
}

}  // namespace

// Decodes one UTF-8 sequence at s[i] the way Go's utf8.DecodeRune does (no overlong forms, no
// surrogates, nothing above U+10FFFF). Returns -1 with *len = 1 for an invalid byte.

void append_utf8(std::string& out, int cp) {
  auto u = static_cast<unsigned>(cp);
  if (u < 0x80) {
    out += static_cast<char>(u);
  } else if (u < 0x800) {
    out += static_cast<char>(0xC0 | (u >> 6));
    out += static_cast<char>(0x80 | (u & 0x3F));
  } else if (u < 0x10000) {
    out += static_cast<char>(0xE0 | (u >> 12));
    out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (u & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (u >> 18));
    out += static_cast<char>(0x80 | ((u >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (u & 0x3F));
  }
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    int cp = decode_rune(s, i, &len);
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
      out += hex4(static_cast<unsigned>(cp));
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
      case '"': in_string = true; out += c; break;
      case '{': case '[': ++level; opened = true; out += c; break;
      case ',': out += c; newline(); break;
      case ':': out += ": "; break;
      case '}': case ']':
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

long long atoi(std::string_view s) {
  auto error = [&](const char* what) {
    return Error("strconv.Atoi: parsing " + go_quote(s) + ": " + what);
  };
  std::string_view digits = s;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) {
    throw error("invalid syntax");
  }
  unsigned long long value = 0;
  const unsigned long long limit = negative ? (1ULL << 63) : (1ULL << 63) - 1;
  for (char c : digits) {
    if (!is_digit(c)) {
      throw error("invalid syntax");
    }
    auto d = static_cast<unsigned long long>(c - '0');
    if (value > (limit - d) / 10) {
      throw error("value out of range");
    }
    value = value * 10 + d;
  }
  if (negative) {
    return value == (1ULL << 63) ? std::numeric_limits<long long>::min()
                                 : -static_cast<long long>(value);
  }
  return static_cast<long long>(value);
}

}  // namespace rootlesskit::api::gojson

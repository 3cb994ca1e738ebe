// Implementation of the Go-compatible string helpers, including the one integer parser
// (Go's strconv.ParseUint/ParseInt/Atoi). Pure string processing, any process.
#include "common/strings.h"

#include <cstdio>
#include <limits>

#include "common/error.h"

namespace rootlesskit {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.emplace_back(s.substr(start));
      return out;
    }
    out.emplace_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string_view trim_space(std::string_view s) {
  const char* ws = " \t\n\r\v\f";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) {
    return {};
  }
  size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      out += sep;
    }
    out += parts[i];
  }
  return out;
}

int decode_utf8_rune(std::string_view s, size_t i, size_t* len) {
  auto c = static_cast<unsigned char>(s[i]);
  *len = 1;
  if (c < 0x80) {
    return c;
  }
  int need = 0;
  int cp = 0;
  int min = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1, cp = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2, cp = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3, cp = c & 0x07, min = 0x10000;
  } else {
    return -1;
  }
  if (i + static_cast<size_t>(need) >= s.size()) {
    return -1;
  }
  for (int k = 1; k <= need; ++k) {
    auto cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
    if ((cc & 0xC0) != 0x80) {
      return -1;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return -1;
  }
  *len = static_cast<size_t>(need) + 1;
  return cp;
}

int hex_digit_value(char c) {
  if (is_ascii_digit(c)) {
    return c - '0';
  }
  const char lower = static_cast<char>(c | 0x20);
  return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

std::string unicode_escape(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", v & 0xFFFF);
  return buf;
}

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

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  char buf[16];
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    int cp = decode_utf8_rune(s, i, &len);
    if (cp < 0) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(s[i]));
      out += buf;
      i += 1;
      continue;
    }
    switch (cp) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      default:
        if (cp < 0x20 || cp == 0x7f) {
          std::snprintf(buf, sizeof buf, "\\x%02x", cp);
          out += buf;
        } else {
          out.append(s.substr(i, len));
        }
    }
    i += len;
  }
  out += '"';
  return out;
}

std::string go_slice(const std::vector<std::string>& items) {
  std::string out = "[";
  out += join(items, " ");
  out += ']';
  return out;
}

std::optional<bool> parse_go_bool(std::string_view s) {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") {
    return true;
  }
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") {
    return false;
  }
  return std::nullopt;
}

namespace {

// Go's strconv.underscoreOK: '_' may only separate digits (or follow a base prefix).
bool underscores_ok(std::string_view s) {
  char saw = '^';  // '^' start, '0' digit or prefix, '_' underscore, '!' anything else
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    s.remove_prefix(1);
  }
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0') {
    const char p = static_cast<char>(s[1] | 0x20);
    if (p == 'b' || p == 'o' || p == 'x') {
      i = 2;
      saw = '0';
      hex = p == 'x';
    }
  }
  for (; i < s.size(); ++i) {
    if (is_ascii_digit(s[i]) || (hex && hex_digit_value(s[i]) >= 0)) {
      saw = '0';
    } else if (s[i] == '_') {
      if (saw != '0') {
        return false;
      }
      saw = '_';
    } else if (saw == '_') {
      return false;
    } else {
      saw = '!';
    }
  }
  return saw != '_';
}

unsigned digit_value(char c) {
  if (is_ascii_digit(c)) {
    return static_cast<unsigned>(c - '0');
  }
  const char lower = static_cast<char>(c | 0x20);
  return lower >= 'a' && lower <= 'z' ? static_cast<unsigned>(lower - 'a' + 10) : 99;
}

enum class IntStatus { ok, syntax, range };

// Go's strconv.ParseUint(s, base, 64): an overflow is reported at once, even before a later
// invalid character (Go does the same, so "99999999999999999999x" is out of range).
IntStatus parse_unsigned(std::string_view s, int base, unsigned long long* out) {
  const std::string_view whole = s;
  if (s.empty() || base == 1 || base < 0 || base > 36) {
    return IntStatus::syntax;
  }
  const bool base0 = base == 0;
  if (base0) {
    base = 10;
    if (s[0] == '0') {
      const char p = s.size() >= 3 ? static_cast<char>(s[1] | 0x20) : '\0';
      base = p == 'b' ? 2 : p == 'o' ? 8 : p == 'x' ? 16 : 8;
      s.remove_prefix(p == 'b' || p == 'o' || p == 'x' ? 2 : 1);
    }
  }
  const auto b = static_cast<unsigned>(base);
  const unsigned long long max = std::numeric_limits<unsigned long long>::max();
  unsigned long long n = 0;
  bool underscores = false;
  for (char c : s) {
    if (c == '_' && base0) {
      underscores = true;
      continue;
    }
    const unsigned d = digit_value(c);
    if (d >= b) {
      return IntStatus::syntax;
    }
    if (n > (max - d) / b) {
      return IntStatus::range;
    }
    n = n * b + d;
  }
  if (underscores && !underscores_ok(whole)) {
    return IntStatus::syntax;
  }
  *out = n;
  return IntStatus::ok;
}

// Go's strconv.ParseInt(s, base, 64) on top of ParseUint.
IntStatus parse_signed(std::string_view s, int base, long long* out) {
  if (s.empty()) {
    return IntStatus::syntax;
  }
  const bool negative = s[0] == '-';
  if (s[0] == '+' || s[0] == '-') {
    s.remove_prefix(1);
  }
  unsigned long long n = 0;
  IntStatus status = parse_unsigned(s, base, &n);
  if (status != IntStatus::ok) {
    return status;
  }
  const unsigned long long limit = 1ULL << 63;
  if (negative ? n > limit : n >= limit) {
    return IntStatus::range;
  }
  if (negative) {
    *out = n == limit ? std::numeric_limits<long long>::min() : -static_cast<long long>(n);
  } else {
    *out = static_cast<long long>(n);
  }
  return IntStatus::ok;
}

}  // namespace

std::optional<long long> go_parse_int(std::string_view s, int base, bool* out_of_range) {
  long long value = 0;
  IntStatus status = parse_signed(s, base, &value);
  if (out_of_range != nullptr) {
    *out_of_range = status == IntStatus::range;
  }
  return status == IntStatus::ok ? std::optional(value) : std::nullopt;
}

long long go_atoi(std::string_view s) {
  long long value = 0;
  switch (parse_signed(s, 10, &value)) {
    case IntStatus::ok: return value;
    case IntStatus::range: throw Error("strconv.Atoi: parsing " + go_quote(s) + ": value out of range");
    case IntStatus::syntax: break;
  }
  throw Error("strconv.Atoi: parsing " + go_quote(s) + ": invalid syntax");
}

std::optional<long long> parse_int(std::string_view s) { return go_parse_int(s, 10); }

std::string clean_path(std::string_view path) {
  if (path.empty()) {
    return ".";
  }
  const bool rooted = path.front() == '/';
  std::vector<std::string> out;
  for (const auto& part : split(path, '/')) {
    if (part.empty() || part == ".") {
      continue;
    }
    if (part == "..") {
      if (!out.empty() && out.back() != "..") {
        out.pop_back();
      } else if (!rooted) {
        out.push_back("..");
      }
      continue;
    }
    out.push_back(part);
  }
  std::string joined = join(out, "/");
  if (rooted) {
    return "/" + joined;
  }
  return joined.empty() ? "." : joined;
}

}  // namespace rootlesskit

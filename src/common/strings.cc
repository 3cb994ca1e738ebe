// Implementation of the Go-compatible string helpers.
#include "common/strings.h"

#include <charconv>
#include <cstdio>

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
  // Not `"[" + join(...)`: GCC 12 warns about it (-Wrestrict, a false positive, GCC PR 105329).
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

std::optional<long long> parse_int(std::string_view s) {
  if (s.empty()) {
    return std::nullopt;
  }
  const char* begin = s.data();
  if (*begin == '+') {
    ++begin;
  }
  long long value = 0;
  auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || begin == s.data() + s.size()) {
    return std::nullopt;
  }
  return value;
}

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

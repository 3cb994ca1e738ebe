// Port spec text parser mirroring upstream pkg/port/portutil ParsePortSpec: proto after the last
// '/', child port between the last ':' and it, and the rest split into parentIP/parentPort/childIP
// by a Go text/scanner token loop in which '[' ... ']' protects IPv6 colons. Any process.
#include "port/spec.h"

#include <arpa/inet.h>

#include <array>
#include <limits>
#include <string>

#include "common/error.h"
#include "common/strings.h"

namespace rootlesskit::port {
namespace {

bool is_letter(unsigned char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80; }
bool is_digit(unsigned char c) { return is_ascii_digit(static_cast<char>(c)); }
bool is_hex(unsigned char c) { return hex_digit_value(static_cast<char>(c)) >= 0; }

// The subset of Go's text/scanner (GoTokens mode) that decides how a port spec splits: whitespace
// and comments vanish, identifiers, numbers and quoted literals are single tokens, anything else
// is a one-character token.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : m_s(s) {}

  // Returns false at EOF. `single` is the character for one-character tokens, else 0.
  bool scan(std::string& text, char& single) {
    skip_space_and_comments();
    if (m_pos >= m_s.size()) {
      return false;
    }
    size_t start = m_pos;
    auto c = static_cast<unsigned char>(m_s[m_pos]);
    single = 0;
    if (is_letter(c)) {
      take_while([](unsigned char x) { return is_letter(x) || is_digit(x); });
    } else if (is_digit(c) || (c == '.' && is_digit(at(m_pos + 1)))) {
      scan_number();
    } else if (c == '"' || c == '\'' || c == '`') {
      scan_quoted(static_cast<char>(c));
    } else {
      single = static_cast<char>(c);
      ++m_pos;
    }
    text = std::string(m_s.substr(start, m_pos - start));
    return true;
  }

 private:
  unsigned char at(size_t i) const { return i < m_s.size() ? static_cast<unsigned char>(m_s[i]) : 0; }
  template <typename F>
  void take_while(F pred) {
    while (m_pos < m_s.size() && pred(at(m_pos))) {
      ++m_pos;
    }
  }

  void skip_space_and_comments() {
    while (m_pos < m_s.size()) {
      char c = m_s[m_pos];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++m_pos;
      } else if (c == '/' && at(m_pos + 1) == '/') {
        size_t end = m_s.find('\n', m_pos);
        m_pos = end == std::string_view::npos ? m_s.size() : end;
      } else if (c == '/' && at(m_pos + 1) == '*') {
        size_t end = m_s.find("*/", m_pos + 2);
        m_pos = end == std::string_view::npos ? m_s.size() : end + 2;
      } else {
        return;
      }
    }
  }

  void scan_number() {
    if (at(m_pos) == '0' && (at(m_pos + 1) == 'x' || at(m_pos + 1) == 'X')) {
      m_pos += 2;
      take_while([](unsigned char x) { return is_hex(x) || x == '_'; });
      return;
    }
    take_while([](unsigned char x) { return is_digit(x) || x == '_'; });
    if (at(m_pos) == '.') {
      ++m_pos;
      take_while([](unsigned char x) { return is_digit(x) || x == '_'; });
    }
    if (at(m_pos) == 'e' || at(m_pos) == 'E') {
      ++m_pos;
      if (at(m_pos) == '+' || at(m_pos) == '-') {
        ++m_pos;
      }
      take_while([](unsigned char x) { return is_digit(x) || x == '_'; });
    }
  }

  // A string, char or raw-string literal; an unterminated one runs to the end of the line/input.
  void scan_quoted(char quote) {
    ++m_pos;
    while (m_pos < m_s.size()) {
      char c = m_s[m_pos++];
      if (c == quote) {
        return;
      }
      if (quote != '`' && c == '\n') {
        return;
      }
      if (quote != '`' && c == '\\' && m_pos < m_s.size()) {
        ++m_pos;
      }
    }
  }

  std::string_view m_s;
  size_t m_pos = 0;
};

int to_int(long long v) {
  // Go's int is 64-bit; out-of-range ports fail validation later either way.
  if (v > std::numeric_limits<int>::max()) {
    return std::numeric_limits<int>::max();
  }
  if (v < std::numeric_limits<int>::min()) {
    return std::numeric_limits<int>::min();
  }
  return static_cast<int>(v);
}

}  // namespace

Spec parse_spec(std::string_view text) {
  const std::string quoted = go_quote(text);
  size_t slash = text.rfind('/');
  if (slash == std::string_view::npos) {
    throw Error("missing proto in PortSpec string: " + quoted);
  }
  std::string_view proto = text.substr(slash + 1);
  if (!is_known_proto(proto)) {
    throw Error("invalid PortSpec string: " + quoted + ": unknown proto: " + go_quote(proto));
  }
  // proto has no ':', so the last ':' is before the '/'.
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    throw Error("unexpected PortSpec string: " + quoted);
  }
  enum { parent_ip_field, parent_port_field, child_ip_field, child_port_field };
  std::array<std::string, 4> parts;
  parts[child_port_field] = std::string(text.substr(colon + 1, slash - colon - 1));

  Scanner scanner(text.substr(0, colon));
  size_t index = parent_ip_field;
  char delimiter = ':';
  std::string token;
  char single = 0;
  while (scanner.scan(token, single)) {
    if (index > child_port_field) {
      throw Error("unexpected PortSpec string: " + quoted);
    }
    if (single == '[') {
      delimiter = ']';  // IPv6 address: its colons are not delimiters
    } else if (single != 0 && single == delimiter) {
      if (delimiter == ']') {
        delimiter = ':';
        scanner.scan(token, single);  // upstream skips the token after ']' (normally ':')
      }
      ++index;
    } else {
      parts[index] += token;  // index child_port_field appends to the child port text, like upstream
    }
  }

  // Upstream reports an invalid child IP with the ParentIP text too.
  for (size_t i : {parent_ip_field, child_ip_field}) {
    if (!parts[i].empty() && !is_ip_address(parts[i])) {
      throw Error("unexpected ParentIP in PortSpec string: " + quoted);
    }
  }
  Spec spec;
  spec.proto = std::string(proto);
  spec.parent_ip = parts[parent_ip_field];
  spec.child_ip = parts[child_ip_field];
  // The labels are swapped upstream; the texts are kept byte-exact.
  try {
    spec.parent_port = to_int(go_atoi(parts[parent_port_field]));
  } catch (const Error& e) {
    throw Error("unexpected ChildPort in PortSpec string: " + quoted + ": " + e.what());
  }
  try {
    spec.child_port = to_int(go_atoi(parts[child_port_field]));
  } catch (const Error& e) {
    throw Error("unexpected ParentPort in PortSpec string: " + quoted + ": " + e.what());
  }
  return spec;
}

}  // namespace rootlesskit::port

// Port spec validation (upstream pkg/port/portutil ValidatePortSpec) and the small helpers the
// drivers share. Any process.
#include "port/spec.h"

#include <arpa/inet.h>
#include <locale.h>
#include <wctype.h>

#include <cstdio>
#include <cstring>

#include "common/error.h"
#include "common/strings.h"

namespace rootlesskit::port {
namespace {

constexpr long long max_rune = 0x10FFFF;
constexpr long long rune_error = 0xFFFD;

// The space separators (Unicode category Zs) other than U+0020.
bool is_unicode_space(long long cp) {
  return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
// glibc's C.UTF-8 tables stand in for Go's (they differ only on code points assigned in
// different Unicode versions); spaces other than U+0020 are not printable for Go.
bool is_go_printable(long long cp) {
  if (cp < 0x80) {
    return cp >= 0x20 && cp < 0x7f;
  }
  if (is_unicode_space(cp)) {
    return false;
  }
  static locale_t utf8 = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  if (utf8 == static_cast<locale_t>(nullptr)) {
    return true;
  }
  auto wc = static_cast<wint_t>(cp);
  return ::iswprint_l(wc, utf8) != 0 && ::iswspace_l(wc, utf8) == 0;
}

void append_utf8(std::string& out, long long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// strconv's escape of a rune that is not printable.
std::string escaped_rune(long long cp) {
  switch (cp) {
    case '\a': return "\\a";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    case '\v': return "\\v";
    default: break;
  }
  char buf[32];  // room for any 64-bit value, although runes are at most 0x10FFFF
  if (cp < ' ' || cp == 0x7f) {
    std::snprintf(buf, sizeof buf, "\\x%02llx", cp);
  } else if (cp < 0x10000) {
    std::snprintf(buf, sizeof buf, "\\u%04llx", cp);
  } else {
    std::snprintf(buf, sizeof buf, "\\U%08llx", cp);
  }
  return buf;
}

bool is_valid_rune(long long cp) { return cp >= 0 && cp <= max_rune && !(cp >= 0xD800 && cp <= 0xDFFF); }

bool conflicts(const Spec& a, const Spec& b) {
  // Plain string comparison, as upstream: "tcp"/"tcp4" and ""/"0.0.0.0" do not conflict here
  // (the kernel may still refuse the bind).
  return a.proto == b.proto && a.parent_ip == b.parent_ip && a.parent_port == b.parent_port;
}

}  // namespace

std::string go_quote_rune(long long value) {
  // fmt's %q of an integer: values beyond the rune range (negative ones included, which fmt
  // sees as huge unsigned values) print as U+FFFD, as do surrogates.
  long long cp = is_valid_rune(value) ? value : rune_error;
  std::string out = "'";
  if (cp == '\'' || cp == '\\') {
    out += '\\';
    out += static_cast<char>(cp);
  } else if (is_go_printable(cp)) {
    append_utf8(out, cp);
  } else {
    out += escaped_rune(cp);
  }
  return out + "'";
}

std::string describe(const Spec& s) {
  return "{" + s.proto + " " + s.parent_ip + " " + std::to_string(s.parent_port) + " " + std::to_string(s.child_port) +
         " " + s.child_ip + "}";
}

bool is_known_proto(std::string_view proto) {
  for (std::string_view p : {"tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "sctp", "sctp4", "sctp6"}) {
    if (proto == p) {
      return true;
    }
  }
  return false;
}

std::string_view base_proto(std::string_view proto) {
  if (!proto.empty() && (proto.back() == '4' || proto.back() == '6')) {
    proto.remove_suffix(1);
  }
  return proto;
}

bool is_ip_address(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    return false;
  }
  std::string s(text);
  unsigned char buf[16];
  return ::inet_pton(AF_INET, s.c_str(), buf) == 1 || ::inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

std::optional<std::string> ipv4_text(std::string_view ip) {
  if (!is_ip_address(ip)) {
    return std::nullopt;
  }
  std::string s(ip);
  unsigned char buf[16];
  if (::inet_pton(AF_INET, s.c_str(), buf) == 1) {
    return s;
  }
  ::inet_pton(AF_INET6, s.c_str(), buf);
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(buf, mapped, sizeof mapped) != 0) {
    return std::nullopt;
  }
  char text[INET_ADDRSTRLEN];
  ::inet_ntop(AF_INET, buf + 12, text, sizeof text);
  return std::string(text);
}

void validate_spec(const Spec& spec, const std::vector<Status>& existing) {
  if (!is_known_proto(spec.proto)) {
    throw Error("unknown proto: " + go_quote(spec.proto));
  }
  if (!spec.parent_ip.empty() && !is_ip_address(spec.parent_ip)) {
    throw Error("invalid ParentIP: " + go_quote(spec.parent_ip));
  }
  if (!spec.child_ip.empty() && !is_ip_address(spec.child_ip)) {
    throw Error("invalid ChildIP: " + go_quote(spec.child_ip));
  }
  if (spec.parent_port <= 0 || spec.parent_port > 65535) {
    throw Error("invalid ParentPort: " + go_quote_rune(spec.parent_port));
  }
  if (spec.child_port <= 0 || spec.child_port > 65535) {
    throw Error("invalid ChildPort: " + go_quote_rune(spec.child_port));
  }
  for (const Status& other : existing) {
    if (conflicts(spec, other.spec)) {
      throw Error("conflict with ID " + std::to_string(other.id));
    }
  }
}

}  // namespace rootlesskit::port

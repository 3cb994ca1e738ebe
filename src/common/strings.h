// String helpers shared by all roles, including Go-compatible formatting (%q, %v of a slice)
// so that messages read exactly like upstream's.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rootlesskit {

std::vector<std::string> split(std::string_view s, char sep);
std::string_view trim_space(std::string_view s);
std::string join(const std::vector<std::string>& parts, std::string_view sep);

inline bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// 0-15 for a hex digit of either case, else -1.
int hex_digit_value(char c);

// "\u" and four lower-case hex digits of the low 16 bits of `v` (Go's JSON and %q escape).
std::string unicode_escape(unsigned v);

// Go's utf8.DecodeRune at s[i] (no overlong forms, surrogates or values above U+10FFFF): returns
// the code point and sets *len, or returns -1 with *len = 1 for a byte that starts no valid rune.
int decode_utf8_rune(std::string_view s, size_t i, size_t* len);

// Appends the UTF-8 encoding of code point `cp` (which must be valid).
void append_utf8(std::string& out, int cp);

// Go's strconv.Quote: double-quoted with Go escapes (\", \\, \n, \t, \xNN, \uNNNN).
std::string go_quote(std::string_view s);

// Go's `%v` of a []string: "[a b c]".
std::string go_slice(const std::vector<std::string>& items);

// Go's strconv.ParseBool: 1 t T TRUE true True / 0 f F FALSE false False.
std::optional<bool> parse_go_bool(std::string_view s);

// The one integer parser: Go's strconv.ParseInt(s, base, 64) for base 2..36, or base 0 where the
// prefix picks the base (0b, 0o, 0x, a leading 0 for octal) and '_' may separate digits. Returns
// nullopt for "invalid syntax" or "value out of range"; *out_of_range (if given) says which.
std::optional<long long> go_parse_int(std::string_view s, int base, bool* out_of_range = nullptr);

// strconv.Atoi (base 10, optional sign, nothing else). Throws Error with Go's text:
// `strconv.Atoi: parsing "abc": invalid syntax` or `...: value out of range`.
long long go_atoi(std::string_view s);

// strconv.Atoi without the message: nullopt on junk or overflow.
std::optional<long long> parse_int(std::string_view s);

// Go's path.Clean for absolute and relative slash paths.
std::string clean_path(std::string_view path);

}  // namespace rootlesskit

// String helpers shared by all roles, including Go-compatible formatting (%q, %v of a slice)
// so that messages read exactly like upstream's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rootlesskit {

std::vector<std::string> split(std::string_view s, char sep);
std::string_view trim_space(std::string_view s);
std::string join(const std::vector<std::string>& parts, std::string_view sep);

// Go's utf8.DecodeRune at s[i] (no overlong forms, surrogates or values above U+10FFFF): returns
// the code point and sets *len, or returns -1 with *len = 1 for a byte that starts no valid rune.
int decode_utf8_rune(std::string_view s, size_t i, size_t* len);

// Go's strconv.Quote: double-quoted with Go escapes (\", \\, \n, \t, \xNN, \uNNNN).
std::string go_quote(std::string_view s);

// Go's `%v` of a []string: "[a b c]".
std::string go_slice(const std::vector<std::string>& items);

// Go's strconv.ParseBool: 1 t T TRUE true True / 0 f F FALSE false False.
std::optional<bool> parse_go_bool(std::string_view s);

// Strict decimal int parse (optional leading '-'); nullopt on junk or overflow.
std::optional<long long> parse_int(std::string_view s);

// Go's path.Clean for absolute and relative slash paths.
std::string clean_path(std::string_view path);

}  // namespace rootlesskit

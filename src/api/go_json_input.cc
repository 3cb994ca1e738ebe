// Input preparation for the JSON decoder (see go_json_input.h): a single pass that knows only
// where strings and numbers start and end, the one thing needed to rewrite them in place.
// Pure string processing, any process.
#include "api/go_json_input.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "common/strings.h"

namespace rootlesskit::api::gojson {
namespace {

constexpr std::string_view replacement_char = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

// The value of the four hex digits at in[i], or -1.
int hex4_at(std::string_view in, size_t i) {
  if (i + 4 > in.size()) {
    return -1;
  }
  int value = 0;
  for (size_t k = i; k < i + 4; ++k) {
    int digit = hex_digit_value(in[k]);
    if (digit < 0) {
      return -1;
    }
    value = value * 16 + digit;
  }
  return value;
}

bool is_high_surrogate(int unit) { return unit >= 0xD800 && unit < 0xDC00; }
bool is_low_surrogate(int unit) { return unit >= 0xDC00 && unit <= 0xDFFF; }

// A backslash escape at in[i]; returns the index after it. Go's unquote turns a surrogate that is
// not part of a \uD8xx\uDCxx pair into U+FFFD; anything malformed is copied for nlohmann to reject.
size_t copy_escape(std::string_view in, size_t i, std::string& out) {
  int unit = i + 1 < in.size() && in[i + 1] == 'u' ? hex4_at(in, i + 2) : -1;
  if (unit < 0) {
    out.append(in.substr(i, 2));
    return i + 2;
  }
  bool paired = is_high_surrogate(unit) && in.substr(i + 6, 2) == "\\u" && is_low_surrogate(hex4_at(in, i + 8));
  if (paired) {
    out.append(in.substr(i, 12));
    return i + 12;
  }
  out.append(is_high_surrogate(unit) || is_low_surrogate(unit) ? "\\ufffd" : in.substr(i, 6));
  return i + 6;
}

// Records that text just appended (`length` bytes) stands for `from_length` bytes at input[from];
// runs of invalid bytes share one record.
void note_rewrite(PreparedInput& p, size_t length, size_t from, size_t from_length) {
  size_t at = p.text.size() - length;
  if (!p.rewrites.empty()) {
    Rewrite& last = p.rewrites.back();
    if (last.at + last.length == at && last.from + last.from_length == from && last.length == 3 * last.from_length &&
        length == 3 * from_length) {
      last.length += length;
      last.from_length += from_length;
      return;
    }
  }
  p.rewrites.push_back(Rewrite{at, length, from, from_length});
}

// The string starting with the quote at in[i]; returns the index after its closing quote.
size_t copy_string(std::string_view in, size_t i, PreparedInput& p) {
  std::string& out = p.text;
  out += in[i++];
  while (i < in.size()) {
    char c = in[i];
    if (c == '"') {
      out += c;
      return i + 1;
    }
    if (c == '\\') {
      i = copy_escape(in, i, out);
      continue;
    }
    size_t len = 1;
    if (decode_utf8_rune(in, i, &len) < 0) {
      out.append(replacement_char);
      note_rewrite(p, replacement_char.size(), i, 1);
    } else {
      out.append(in.substr(i, len));
    }
    i += len;
  }
  return i;
}

// The end of the number token at in[i], read greedily like both lexers do; `complete` is false
// when it stops where a digit must follow ("1.", "-", "1e+"), which is a syntax error there.
size_t number_end(std::string_view in, size_t i, bool* complete) {
  auto digit_at = [&](size_t k) { return k < in.size() && is_ascii_digit(in[k]); };
  auto digits_from = [&](size_t k) {
    while (digit_at(k)) {
      ++k;
    }
    return k;
  };
  *complete = false;
  size_t j = i + (in[i] == '-' ? 1 : 0);
  if (!digit_at(j)) {
    return j;
  }
  j = in[j] == '0' ? j + 1 : digits_from(j);
  if (j < in.size() && in[j] == '.') {
    if (!digit_at(++j)) {
      return j;
    }
    j = digits_from(j);
  }
  if (j < in.size() && (in[j] == 'e' || in[j] == 'E')) {
    ++j;
    if (j < in.size() && (in[j] == '+' || in[j] == '-')) {
      ++j;
    }
    if (!digit_at(j)) {
      return j;
    }
    j = digits_from(j);
  }
  *complete = true;
  return j;
}

// nlohmann refuses what strtod turns into infinity (underflow to zero is accepted by both).
bool overflows_double(std::string_view literal) {
  bool may_overflow = literal.size() > 300 || literal.find_first_of("eE") != std::string_view::npos;
  return may_overflow && std::isinf(std::strtod(std::string(literal).c_str(), nullptr));
}

// Whether a value may start at in[i]: after '[', ',', ':', whitespace or at the start. Elsewhere a
// number is a syntax error before nlohmann would judge its size, and a rewrite could merge it
// with the token before ("1-1e400" must not become "1-0    ", nor "1" + "0    " one number).
bool may_start_value(std::string_view in, size_t i) {
  return i == 0 || std::string_view("[,: \t\r\n").find(in[i - 1]) != std::string_view::npos;
}

size_t copy_number(std::string_view in, size_t i, PreparedInput& out) {
  bool complete = false;
  size_t end = number_end(in, i, &complete);
  std::string_view literal = in.substr(i, end - i);
  if (complete && may_start_value(in, i) && overflows_double(literal)) {
    out.text += '0';
    out.text.append(literal.size() - 1, ' ');
    note_rewrite(out, literal.size(), i, literal.size());
  } else {
    out.text.append(literal);
  }
  return end;
}

}  // namespace

char PreparedInput::input_byte(size_t pos) const {
  auto after =
      std::upper_bound(rewrites.begin(), rewrites.end(), pos, [](size_t p, const Rewrite& r) { return p < r.at; });
  if (after == rewrites.begin()) {
    return input[pos];
  }
  const Rewrite& r = *(after - 1);
  if (pos < r.at + r.length) {
    return input[r.from + (pos - r.at) * r.from_length / r.length];
  }
  return input[pos - (r.at + r.length) + r.from + r.from_length];
}

std::string_view PreparedInput::big_number_at(size_t pos) const {
  auto it =
      std::lower_bound(rewrites.begin(), rewrites.end(), pos, [](const Rewrite& r, size_t p) { return r.at < p; });
  if (it == rewrites.end() || it->at != pos || it->length != it->from_length) {
    return {};
  }
  return input.substr(it->from, it->from_length);
}

PreparedInput prepare_input(std::string_view input) {
  PreparedInput out;
  out.input = input;
  out.text.reserve(input.size() + 1);
  size_t i = 0;
  while (i < input.size()) {
    char c = input[i];
    if (c == '"') {
      i = copy_string(input, i, out);
    } else if (c == '-' || is_ascii_digit(c)) {
      i = copy_number(input, i, out);  // always takes at least one byte
    } else {
      out.text += c;
      ++i;
    }
  }
  out.eof = out.text.size();
  out.text += ' ';
  return out;
}

}  // namespace rootlesskit::api::gojson

// json.Decoder / json.Unmarshal work-alikes (see go_json.h) on nlohmann's SAX parser: a handler
// builds our Value tree (numbers keep their literal text) and notes how far the lexer had read at
// each event, so that a failure can be told in Go's words, because API clients show those texts
// to users (`{"message":"invalid character 'g' looking for beginning of value"}`).
// Runs on the parent's event loop and in clients.
#include "api/go_json.h"

#include <nlohmann/json.hpp>

#include <iterator>

#include "api/go_json_input.h"
#include "api/go_json_syntax.h"
#include "common/error.h"

namespace rootlesskit::api::gojson {
namespace {

// Go allows 10000 levels. We stop at 1000: the Value tree is freed recursively, and the
// parent's stack is not the place for a hostile request's nesting. The message is Go's.
constexpr size_t max_depth = 1000;

// A char pointer that records how far nlohmann's lexer has read: its SAX events carry no
// positions. The lexer reads one byte at a time and never backs up (it keeps an "unget" byte).
class TrackedIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackedIterator(const char* p, const char** read_to) : m_p(p), m_read_to(read_to) {}
  reference operator*() const { return *m_p; }
  TrackedIterator& operator++() {
    *m_read_to = ++m_p;
    return *this;
  }
  TrackedIterator operator++(int) {
    TrackedIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const TrackedIterator& other) const { return m_p == other.m_p; }

 private:
  const char* m_p;
  const char** m_read_to;
};

// The nlohmann SAX handler: builds the Value tree and the ParseState a syntax error is explained
// from. Containers are filled in place through pointers to the open path only, which no later
// insertion can move.
class ValueBuilder {
 public:
  using Kind = Value::Kind;

  explicit ValueBuilder(const PreparedInput& in) : m_in(in), m_read_to(in.text.data()) {}

  const char** read_to() { return &m_read_to; }
  const ParseState& state() const { return m_state; }
  Value take_root() { return std::move(m_root); }

  bool null() { return add(Value{}, read_offset()); }
  bool boolean(bool b) {
    Value v;
    v.kind = Kind::boolean;
    v.boolean = b;
    return add(std::move(v), read_offset());
  }
  bool number_integer(std::int64_t) { return number(); }
  bool number_unsigned(std::uint64_t) { return number(); }
  bool number_float(double, const std::string&) { return number(); }
  bool string(std::string& s) {
    Value v;
    v.kind = Kind::string;
    v.text = std::move(s);
    return add(std::move(v), read_offset());
  }
  bool binary(nlohmann::json::binary_t&) { return false; }  // not produced by the JSON format
  bool start_object(std::size_t) { return open(Kind::object); }
  bool start_array(std::size_t) { return open(Kind::array); }
  bool key(std::string& k) {
    m_stack.back()->members.push_back(Value::Member{std::move(k), Value{}});
    return event(ParseState::Event::key, read_offset());
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    m_state.error_at = read_offset() - 1;  // the lexer stops right after the offending byte
    return false;
  }

 private:
  size_t read_offset() const { return static_cast<size_t>(m_read_to - m_in.text.data()); }

  bool event(ParseState::Event e, size_t end) {
    m_state.last = e;
    m_state.last_end = end;
    return true;
  }

  // The literal text (nlohmann passes it for floats only; Go's errors quote it for any number):
  // the lexer has read one byte past the number, and the literal is the number bytes before that
  // (a number always follows '[', ',', ':', whitespace or the start, none of them number bytes).
  bool number() {
    size_t end = read_offset() - 1;
    size_t start = end;
    while (start > 0 && is_number_byte(m_in.text[start - 1])) {
      --start;
    }
    Value v;
    v.kind = Kind::number;
    std::string_view big = m_in.big_number_at(start);
    v.text = big.empty() ? m_in.text.substr(start, end - start) : std::string(big);
    return add(std::move(v), end);
  }

  // Stores `v` where the open container (or the root) expects it; returns where it is stored.
  Value* place(Value v) {
    if (m_stack.empty()) {
      m_root = std::move(v);
      return &m_root;
    }
    Value* top = m_stack.back();
    if (top->kind == Kind::array) {
      top->items.push_back(std::move(v));
      return &top->items.back();
    }
    top->members.back().value = std::move(v);
    return &top->members.back().value;
  }

  bool add(Value v, size_t end) {
    place(std::move(v));
    return event(ParseState::Event::value, end);
  }

  bool open(Kind kind) {
    if (m_stack.size() == max_depth) {
      m_state.depth_exceeded = true;
      return false;
    }
    Value v;
    v.kind = kind;
    m_stack.push_back(place(std::move(v)));
    m_state.open.push_back(kind == Kind::object);
    return event(ParseState::Event::open, read_offset());
  }

  bool close() {
    m_stack.pop_back();
    m_state.open.pop_back();
    return event(ParseState::Event::value, read_offset());
  }

  const PreparedInput& m_in;
  const char* m_read_to;
  Value m_root;
  std::vector<Value*> m_stack;
  ParseState m_state;
};

Value parse(std::string_view input, bool decoder) {
  // nlohmann skips a UTF-8 byte order mark at the start; Go refuses it.
  if (!input.empty() && static_cast<unsigned char>(input[0]) == 0xEF) {
    throw syntax_error(input[0], "looking for beginning of value");
  }
  PreparedInput in = prepare_input(input);
  ValueBuilder builder(in);
  const char* begin = in.text.data();
  const char* end = begin + in.text.size();
  // json.Decoder stops after the first value (strict = false); json.Unmarshal wants nothing after.
  bool ok =
      nlohmann::json::sax_parse(TrackedIterator(begin, builder.read_to()), TrackedIterator(end, builder.read_to()),
                                &builder, nlohmann::json::input_format_t::json, !decoder);
  if (!ok) {
    throw_syntax_error(in, builder.state(), decoder);
  }
  if (!decoder) {
    // nlohmann takes a NUL byte for the end of the input; Go sees a stray character.
    check_only_space_after(in, builder.state().last_end);
  }
  return builder.take_root();
}

}  // namespace

Value decode_first(std::string_view input) { return parse(input, true); }

Value unmarshal(std::string_view input) { return parse(input, false); }

}  // namespace rootlesskit::api::gojson

// HTTP/1.x request parsing: request line, the headers that matter here (Content-Length,
// Transfer-Encoding, Connection), and Content-Length or chunked bodies, with size limits.
#include "api/http/request_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace rootlesskit::api::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

// Splits a comma-separated header value and tells whether it contains `word` (case-insensitive).
bool has_token(std::string_view value, std::string_view word) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    if (iequals(trim(value.substr(0, comma)), word)) {
      return true;
    }
    if (comma == std::string_view::npos) {
      break;
    }
    value.remove_prefix(comma + 1);
  }
  return false;
}

// A LF that is not part of a CRLF.
bool has_bare_lf(std::string_view head) {
  for (size_t lf = head.find('\n'); lf != std::string_view::npos; lf = head.find('\n', lf + 1)) {
    if (lf == 0 || head[lf - 1] != '\r') {
      return true;
    }
  }
  return false;
}

}  // namespace

RequestParser::State RequestParser::feed(std::string_view data) {
  if (m_state == State::failed) {
    return m_state;
  }
  m_buffer.append(data);
  if (m_state == State::complete) {
    return m_state;  // the caller has not taken the current request yet
  }
  return parse();
}

RequestParser::State RequestParser::reset_for_next() {
  m_request = Request{};
  m_head_done = false;
  m_chunked = false;
  m_content_length = 0;
  m_content_length_seen = false;
  m_connection_close = false;
  m_connection_keep_alive = false;
  m_state = State::need_more;
  return parse();
}

RequestParser::State RequestParser::fail(int status, std::string text) {
  m_error_status = status;
  m_error_text = std::move(text);
  m_state = State::failed;
  return m_state;
}

RequestParser::State RequestParser::parse() {
  if (!m_head_done) {
    // Tolerate empty lines before a request line (RFC 9112 §2.2).
    while (m_buffer.rfind("\r\n", 0) == 0) {
      m_buffer.erase(0, 2);
    }
    size_t end = m_buffer.find("\r\n\r\n");
    // A bare LF would otherwise leave the request waiting for a CRLF CRLF that never comes;
    // servers that read LF as a line end and those that do not disagree on where it ends, the
    // start of request smuggling: refuse it.
    if (has_bare_lf(std::string_view(m_buffer).substr(0, end))) {
      return fail(400, "bare LF in request head");
    }
    if (end == std::string::npos) {
      if (m_buffer.size() > m_limits.max_head) {
        return fail(431, "request header too large");
      }
      return m_state = State::need_more;
    }
    if (end + 4 > m_limits.max_head) {
      return fail(431, "request header too large");
    }
    std::string head = m_buffer.substr(0, end);
    m_buffer.erase(0, end + 4);
    if (!parse_head(head)) {
      return m_state;
    }
    m_head_done = true;
  }
  return m_chunked ? parse_chunked() : parse_body();
}

bool RequestParser::parse_head(std::string_view head) {
  size_t eol = head.find("\r\n");
  if (!parse_request_line(head.substr(0, eol))) {
    return false;
  }
  while (eol != std::string_view::npos) {
    head.remove_prefix(eol + 2);
    eol = head.find("\r\n");
    if (!parse_header(head.substr(0, eol))) {
      return false;
    }
  }
  if (m_chunked && m_content_length_seen) {
    fail(400, "both Transfer-Encoding and Content-Length");
    return false;
  }
  bool close_by_default = m_request.minor_version == 0;
  m_request.keep_alive = close_by_default ? m_connection_keep_alive : !m_connection_close;
  return true;
}

bool RequestParser::parse_request_line(std::string_view line) {
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    fail(400, "malformed request line");
    return false;
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method) || target.empty()) {
    fail(400, "malformed request line");
    return false;
  }
  if (version == "HTTP/1.1") {
    m_request.minor_version = 1;
  } else if (version == "HTTP/1.0") {
    m_request.minor_version = 0;
  } else {
    fail(version.rfind("HTTP/", 0) == 0 ? 505 : 400, "unsupported HTTP version");
    return false;
  }
  if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) {
    size_t path_start = target.find('/', target.find("//") + 2);
    target = path_start == std::string_view::npos ? std::string_view("/") : target.substr(path_start);
  }
  if (target.front() != '/' && target != "*") {
    fail(400, "malformed request target");
    return false;
  }
  m_request.method = std::string(method);
  m_request.path = std::string(target.substr(0, target.find('?')));
  return true;
}

bool RequestParser::parse_header(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
    fail(400, "malformed header line");
    return false;
  }
  std::string_view name = line.substr(0, colon);
  std::string_view value = trim(line.substr(colon + 1));
  if (iequals(name, "Content-Length")) {
    size_t length = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec != std::errc() || ptr != value.data() + value.size() || value.empty()) {
      fail(400, "bad Content-Length");
      return false;
    }
    if (length > m_limits.max_body) {
      fail(413, "request body too large");
      return false;
    }
    // Two different lengths: which one a proxy in front used is unknowable (RFC 9112 §6.3).
    if (m_content_length_seen && length != m_content_length) {
      fail(400, "conflicting Content-Length headers");
      return false;
    }
    m_content_length_seen = true;
    m_content_length = length;
  } else if (iequals(name, "Transfer-Encoding")) {
    if (!iequals(value, "chunked")) {
      fail(501, "unsupported Transfer-Encoding");
      return false;
    }
    m_chunked = true;
  } else if (iequals(name, "Connection")) {
    m_connection_close = m_connection_close || has_token(value, "close");
    m_connection_keep_alive = m_connection_keep_alive || has_token(value, "keep-alive");
  }
  return true;
}

RequestParser::State RequestParser::parse_body() {
  if (m_buffer.size() < m_content_length) {
    return m_state = State::need_more;
  }
  m_request.body = m_buffer.substr(0, m_content_length);
  m_buffer.erase(0, m_content_length);
  return m_state = State::complete;
}

RequestParser::State RequestParser::parse_chunked() {
  while (true) {
    size_t eol = m_buffer.find("\r\n");
    if (eol == std::string::npos) {
      return m_buffer.size() > 1024 ? fail(400, "malformed chunk size") : (m_state = State::need_more);
    }
    std::string_view size_text = std::string_view(m_buffer).substr(0, eol);
    size_text = size_text.substr(0, size_text.find(';'));  // chunk extensions are ignored
    size_t size = 0;
    auto [ptr, ec] = std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
    if (ec != std::errc() || ptr != size_text.data() + size_text.size() || size_text.empty()) {
      return fail(400, "malformed chunk size");
    }
    if (size > m_limits.max_body || m_request.body.size() + size > m_limits.max_body) {
      return fail(413, "request body too large");
    }
    if (size == 0) {
      // Last chunk: no trailers are supported; expect the final empty line.
      if (m_buffer.size() < eol + 4) {
        return m_state = State::need_more;
      }
      if (m_buffer.compare(eol + 2, 2, "\r\n") != 0) {
        return fail(400, "trailers are not supported");
      }
      m_buffer.erase(0, eol + 4);
      return m_state = State::complete;
    }
    if (m_buffer.size() < eol + 2 + size + 2) {
      return m_state = State::need_more;
    }
    if (m_buffer.compare(eol + 2 + size, 2, "\r\n") != 0) {
      return fail(400, "malformed chunk");
    }
    m_request.body.append(m_buffer, eol + 2, size);
    m_buffer.erase(0, eol + 2 + size + 2);
  }
}

}  // namespace rootlesskit::api::http

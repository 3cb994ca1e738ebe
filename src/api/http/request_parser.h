// Incremental HTTP/1.x request parser for the REST API on api.sock. Pure (no I/O), so it is unit
// tested and fuzzed on its own. Runs on the parent's event loop.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rootlesskit::api::http {

struct Request {
  std::string method;
  std::string path;       // target without the query string; absolute-form targets reduced to the path
  int minor_version = 1;  // HTTP/1.<minor>
  bool keep_alive = true;
  std::string body;
};

struct Limits {
  size_t max_head = 16 * 1024;  // request line + headers
  size_t max_body = 1024 * 1024;
};

// Feed bytes as they arrive; after each feed, check state().
class RequestParser {
 public:
  enum class State { need_more, complete, failed };

  explicit RequestParser(Limits limits = {}) : m_limits(limits) {}

  // Consumes bytes into the parser; bytes after a complete request stay buffered for the next
  // one (pipelining). Returns the new state.
  State feed(std::string_view data);
  State state() const { return m_state; }

  // Valid in state complete: the request. reset_for_next() then parses the next buffered one.
  const Request& request() const { return m_request; }
  State reset_for_next();

  // Whether part of a request has been received (a client that half-closes now gets a 400).
  bool has_partial_request() const { return m_state == State::need_more && (m_head_done || !m_buffer.empty()); }

  // Valid in state failed: the status to answer with (400, 413, 431, 501, 505) and why.
  int error_status() const { return m_error_status; }
  const std::string& error_text() const { return m_error_text; }

 private:
  State parse();
  bool parse_head(std::string_view head);
  bool parse_request_line(std::string_view line);
  bool parse_header(std::string_view line);
  State parse_body();
  State parse_chunked();
  State fail(int status, std::string text);

  Limits m_limits;
  State m_state = State::need_more;
  std::string m_buffer;
  Request m_request;
  bool m_head_done = false;
  bool m_chunked = false;
  size_t m_content_length = 0;
  bool m_content_length_seen = false;
  bool m_connection_close = false;
  bool m_connection_keep_alive = false;
  int m_error_status = 0;
  std::string m_error_text;
};

}  // namespace rootlesskit::api::http

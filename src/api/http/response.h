// HTTP/1.x response serialisation for the REST API (status line, Date, Content-Length).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rootlesskit::api::http {

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Content-Type
  std::string body;
};

// "HTTP/1.<minor> <status> <reason>\r\n" + headers + Date + Content-Length (+ Connection) + body.
// A HEAD response keeps Content-Length but carries no body.
std::string serialize(const Response& response, int minor_version, bool keep_alive, bool head_request);

// Go's http.StatusText: the reason phrase of a status code ("Not Found"), empty if unknown.
// Used for the status line and by the client's error texts.
const char* reason_phrase(int status);

}  // namespace rootlesskit::api::http

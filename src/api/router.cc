// Routes of the REST API with upstream's exact behaviour: gorilla/mux matching (404 text page for
// unknown paths, empty 405 for a known path with another method), 201 on POST, 400 for every port
// error, `null` for an empty list. Runs on the parent's event loop.
#include "api/router.h"

#include <algorithm>
#include <limits>

#include "common/error.h"
#include "common/strings.h"

namespace rootlesskit::api {
namespace {

constexpr std::string_view ports_prefix = "/v1/ports/";

HttpReply json_reply(int status, std::string body) {
  return HttpReply{status, "application/json", std::move(body), false};
}

// Upstream sends `{"message":...}\n`; it labels it text/plain only because it sets the header
// too late (upstream pkg/httputil/httputil.go, WriteError), so we say application/json. Clients
// only read the body.
HttpReply error_reply(int status, std::string_view message) { return json_reply(status, error_body(message)); }

HttpReply not_found() { return HttpReply{404, "text/plain; charset=utf-8", "404 page not found\n", true}; }

HttpReply method_not_allowed() { return HttpReply{405, "", "", false}; }

}  // namespace

Router::Router(InfoFunc info, PortManager* ports) : m_info(std::move(info)), m_ports(ports) {}

HttpReply Router::handle(std::string_view method, std::string_view path, std::string_view body) {
  if (path == "/v1/info") {
    return method == "GET" ? get_info() : method_not_allowed();
  }
  if (path == "/v1/ports") {
    if (method == "GET") {
      return get_ports();
    }
    return method == "POST" ? post_port(body) : method_not_allowed();
  }
  if (path.starts_with(ports_prefix)) {
    std::string_view id = path.substr(ports_prefix.size());
    // gorilla/mux's {id} is one non-empty path segment.
    if (!id.empty() && id.find('/') == std::string_view::npos) {
      return method == "DELETE" ? delete_port(id) : method_not_allowed();
    }
  }
  return not_found();
}

HttpReply Router::get_info() {
  std::lock_guard lock(m_mutex);
  try {
    return json_reply(200, to_json(m_info()));
  } catch (const std::exception& e) {
    return error_reply(500, e.what());
  }
}

HttpReply Router::get_ports() {
  std::lock_guard lock(m_mutex);
  if (m_ports == nullptr) {
    return error_reply(400, "no PortDriver is available");
  }
  try {
    std::vector<PortStatus> ports = m_ports->list_ports();
    // Upstream's order is random (a Go map); sorted is friendlier and compatible.
    std::sort(ports.begin(), ports.end(), [](const PortStatus& a, const PortStatus& b) { return a.id < b.id; });
    return json_reply(200, to_json(ports));
  } catch (const std::exception& e) {
    return error_reply(500, e.what());
  }
}

HttpReply Router::post_port(std::string_view body) {
  std::lock_guard lock(m_mutex);
  if (m_ports == nullptr) {
    return error_reply(400, "no PortDriver is available");
  }
  try {
    PortSpec spec = port_spec_from_json(body);
    return json_reply(201, to_json(m_ports->add_port(spec)));
  } catch (const std::exception& e) {
    return error_reply(400, e.what());
  }
}

HttpReply Router::delete_port(std::string_view id_text) {
  std::lock_guard lock(m_mutex);
  if (m_ports == nullptr) {
    return error_reply(400, "no PortDriver is available");
  }
  long long id = 0;
  try {
    id = go_atoi(id_text);
  } catch (const Error& e) {
    return error_reply(400, "bad id " + std::string(id_text) + ": " + e.what());
  }
  try {
    // Go's int is 64-bit; an id beyond our int range cannot exist.
    if (id < std::numeric_limits<int>::min() || id > std::numeric_limits<int>::max()) {
      throw Error("unknown id: " + std::to_string(id));
    }
    m_ports->remove_port(static_cast<int>(id));
    return HttpReply{200, "", "", false};
  } catch (const std::exception& e) {
    return error_reply(400, e.what());
  }
}

}  // namespace rootlesskit::api

// slirp4netns port driver: add_hostfwd/remove_hostfwd over slirp4netns' API socket.
#include "port/slirp4netns/slirp4netns.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <utility>

#include "common/error.h"
#include "common/fd.h"
#include "common/log.h"
#include "common/strings.h"
#include "port/spec.h"

namespace rootlesskit::port::slirp4netns {
namespace {

using json = nlohmann::ordered_json;

// slirp4netns answers at once; a wedged one must not hold the API forever.
constexpr int api_timeout_seconds = 10;

// Go's %v of a value decoded into interface{}.
std::string go_value_text(const json& v) {
  if (v.is_string()) {
    return v.get<std::string>();
  }
  if (v.is_object()) {
    std::vector<std::pair<std::string, std::string>> items;
    for (const auto& [key, value] : v.items()) {
      items.emplace_back(key, go_value_text(value));
    }
    std::sort(items.begin(), items.end());  // fmt prints maps sorted by key
    std::string out = "map[";
    for (size_t i = 0; i < items.size(); ++i) {
      out += (i > 0 ? " " : "") + items[i].first + ":" + items[i].second;
    }
    return out + "]";
  }
  if (v.is_array()) {
    std::vector<std::string> parts;
    for (const auto& item : v) {
      parts.push_back(go_value_text(item));
    }
    return go_slice(parts);
  }
  if (v.is_null()) {
    return "<nil>";
  }
  return v.dump();  // numbers and booleans
}

std::string ipv4_child_ip(const std::string& ip) {
  if (auto v4 = ipv4_text(ip)) {
    return *v4;
  }
  if (is_ip_address(ip)) {
    throw Error("unsupported IP (v6?): " + ip);
  }
  throw Error("invalid IP: " + go_quote(ip));
}

// The same forwarding to slirp4netns, whatever the spelling.
bool same_forward(const Spec& a, const Spec& b) {
  auto host = [](const std::string& ip) { return ip.empty() ? std::string("0.0.0.0") : ip; };
  return base_proto(a.proto) == base_proto(b.proto) && host(a.parent_ip) == host(b.parent_ip) &&
         a.parent_port == b.parent_port;
}

// The reply object; throws Error for one that is no object or that carries a non-empty "error".
json parse_reply(const std::string& text) {
  json reply = json::parse(text, nullptr, false);
  if (reply.is_discarded() || !reply.is_object()) {
    throw Error("unexpected reply from slirp4netns: " + go_quote(text));
  }
  if (reply.contains("error") && !reply["error"].empty()) {
    throw Error("reply.Error: " + go_value_text(reply["error"]));
  }
  return reply;
}

}  // namespace

std::string go_map_text(const std::string& json_object) { return go_value_text(json::parse(json_object)); }

int parse_add_hostfwd_reply(const std::string& text) {
  json reply = parse_reply(text);
  if (!reply.contains("return") || !reply["return"].contains("id")) {
    throw Error("unexpected reply: " + reply.dump());
  }
  // Upstream takes any number through int(float64); we take integers in int's range only, since
  // get<int> of 1e300 is undefined behaviour (UBSan reports it in tests/fuzz/slirp4netns_fuzz).
  const json& id = reply["return"]["id"];
  if (id.is_number_unsigned() && std::in_range<int>(id.get<uint64_t>())) {
    return static_cast<int>(id.get<uint64_t>());
  }
  if (id.is_number_integer() && !id.is_number_unsigned() && std::in_range<int>(id.get<int64_t>())) {
    return static_cast<int>(id.get<int64_t>());
  }
  throw Error("unexpected id: " + go_value_text(id));
}

void check_remove_hostfwd_reply(const std::string& text) { parse_reply(text); }

std::string call_api(const std::string& socket_path, const std::string& request) {
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (!fd || socket_path.size() >= sizeof addr.sun_path) {
    throw Error("dial unix " + socket_path + ": " + errno_text(fd ? ENAMETOOLONG : errno));
  }
  std::memcpy(addr.sun_path, socket_path.data(), socket_path.size());
  timeval tv{api_timeout_seconds, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw errno_error("dial unix " + socket_path + ": connect");
  }
  std::string line = request + "\n";
  write_all(fd.get(), line.data(), line.size());
  ::shutdown(fd.get(), SHUT_WR);
  try {
    return read_to_end(fd.get());
  } catch (const Error& e) {
    throw Error("slirp4netns did not answer on " + socket_path + ": " + e.what());
  }
}

DriverInfo ParentDriver::info() const { return DriverInfo{"slirp4netns", {"tcp", "tcp4", "udp", "udp4"}, true}; }

void ParentDriver::start(EventLoop&, const ChildContext& child) {
  if (m_options.api_socket_path.empty()) {
    m_options.api_socket_path = child.state_dir + "/.s4nn.sock";
  }
  m_child_ip = child.child_ip;
}

Status ParentDriver::add_port(const Spec& spec) {
  std::vector<Status> existing = list_ports();
  validate_spec(spec, existing);
  for (const Status& other : existing) {
    if (same_forward(spec, other.spec)) {
      throw Error("conflict with ID " + std::to_string(other.id));
    }
  }
  if (!spec.proto.empty() && spec.proto.back() == '6') {
    throw Error("unsupported protocol " + go_quote(spec.proto));
  }
  std::string guest = spec.child_ip.empty() ? m_child_ip : ipv4_child_ip(spec.child_ip);
  if (guest.rfind("127.", 0) == 0) {
    throw Error("unsupported child IP " + guest +
                ": slirp4netns cannot reach the child's loopback (use the child's address " + m_child_ip +
                ", or leave the child IP out)");
  }
  json request{{"execute", "add_hostfwd"},
               {"arguments",
                {{"proto", std::string(base_proto(spec.proto))},
                 {"host_addr", spec.parent_ip},
                 {"host_port", spec.parent_port},
                 {"guest_addr", guest},
                 {"guest_port", spec.child_port}}}};
  int id = parse_add_hostfwd_reply(call_api(m_options.api_socket_path, request.dump()));
  m_ports[id] = spec;
  log::debug("port/slirp4netns: published port &{{{} {}}}", id, describe(spec));
  return Status{id, spec};
}

std::vector<Status> ParentDriver::list_ports() {
  std::vector<Status> out;
  for (const auto& [id, spec] : m_ports) {
    out.push_back(Status{id, spec});
  }
  return out;
}

// Like upstream, an id slirp4netns does not know gets slirp4netns' own error text.
void ParentDriver::remove_port(int id) {
  json request{{"execute", "remove_hostfwd"}, {"arguments", {{"id", id}}}};
  check_remove_hostfwd_reply(call_api(m_options.api_socket_path, request.dump()));
  m_ports.erase(id);
}

}  // namespace rootlesskit::port::slirp4netns

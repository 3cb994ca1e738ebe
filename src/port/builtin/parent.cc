// The builtin driver's parent half: the port table (upstream's ids and messages), one forwarder
// per port, the Connector into the child's namespace. Runs on the parent's event loop.
#include <cerrno>
#include <variant>

#include "common/error.h"
#include "common/log.h"
#include "port/builtin/address.h"
#include "port/builtin/builtin.h"
#include "port/builtin/connector.h"
#include "port/builtin/tcp_forwarder.h"
#include "port/builtin/tcp_relay.h"
#include "port/builtin/udp_forwarder.h"
#include "port/privileged.h"
#include "port/spec.h"

namespace rootlesskit::port::builtin {

struct ParentDriver::Published {
  Spec spec;
  std::variant<std::unique_ptr<TcpForwarder>, std::unique_ptr<UdpForwarder>> forwarder;
};

namespace {

Fd listen_or_throw(const Spec& spec) {
  ListenResult listened = listen_port(spec.proto, spec.parent_ip, spec.parent_port);
  if (listened.error == 0) {
    return std::move(listened.fd);
  }
  if (listened.error == EACCES || listened.error == EPERM) {
    throw Error(explain_privileged_port(spec.parent_port, listened.error_text));
  }
  throw Error(listened.error_text);
}

}  // namespace

ParentDriver::ParentDriver(ParentOptions options) : m_options(options) {}

ParentDriver::~ParentDriver() { stop(); }

DriverInfo ParentDriver::info() const {
  return DriverInfo{"builtin", {"tcp", "tcp4", "tcp6", "udp", "udp4", "udp6"}, false};
}

std::map<std::string, std::string> ParentDriver::opaque_for_child() const {
  if (m_options.source_ip_transparent) {
    return {{opaque_source_ip_transparent, "true"}};
  }
  return {};
}

void ParentDriver::start(EventLoop& loop, const ChildContext&) {
  m_loop = &loop;
  m_connector = std::make_unique<Connector>(loop, Connector::Options{m_options.connect_from_parent, 64});
  m_pipes = std::make_unique<PipePool>(m_options.pipe_size);
}

void ParentDriver::attach_child(Fd channel) { m_connector->attach(std::move(channel)); }

void ParentDriver::stop() {
  m_ports.clear();  // listeners, flows and connections close here
  if (m_connector) {
    m_connector->stop();
  }
}

Status ParentDriver::add_port(const Spec& spec) {
  if (m_loop == nullptr) {
    throw Error("the builtin port driver is not running");
  }
  validate_spec(spec, list_ports());
  std::string_view proto = base_proto(spec.proto);
  if (proto != "tcp" && proto != "udp") {
    throw Error("unsupported port protocol " + spec.proto);
  }
  SocketAddress target = SocketAddress::from_ip(child_target_ip(spec.child_ip, spec.parent_ip), spec.child_port);
  Fd listener = listen_or_throw(spec);
  std::string label = spec.proto + " " + join_host_port(spec.parent_ip, spec.parent_port);
  auto published = std::make_unique<Published>();
  published->spec = spec;
  if (proto == "tcp") {
    TcpForwarder::Settings settings{target, m_options.source_ip_transparent, label};
    published->forwarder =
        std::make_unique<TcpForwarder>(*m_loop, *m_connector, *m_pipes, std::move(listener), std::move(settings));
    m_connector->prefill(target.family(), SocketType::tcp);
  } else {
    UdpForwarder::Settings settings{target, m_options.udp_idle_timeout, label};
    published->forwarder =
        std::make_unique<UdpForwarder>(*m_loop, *m_connector, std::move(listener), std::move(settings));
    m_connector->prefill(target.family(), SocketType::udp);
  }
  int id = m_next_id++;
  m_ports.emplace(id, std::move(published));
  log::debug("published port &{{{} {}}}", id, describe(spec));
  return Status{id, spec};
}

std::vector<Status> ParentDriver::list_ports() {
  std::vector<Status> out;
  for (const auto& [id, p] : m_ports) {
    out.push_back(Status{id, p->spec});
  }
  return out;
}

void ParentDriver::remove_port(int id) {
  auto it = m_ports.find(id);
  if (it == m_ports.end()) {
    throw Error("unknown id: " + std::to_string(id));
  }
  m_ports.erase(it);  // closes the listener and every live connection of the port
}

}  // namespace rootlesskit::port::builtin

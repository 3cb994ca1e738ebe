// The builtin driver's parent half: the port table (upstream's ids and messages), and per port a
// TCP forwarder on every shard (one event loop each, shard.h) or one UDP forwarder. The table
// and the API calls run on the parent's event loop, which is the first shard's.
#include <sched.h>

#include <algorithm>
#include <cerrno>

#include "common/error.h"
#include "common/log.h"
#include "messages/channel.h"
#include "port/builtin/address.h"
#include "port/builtin/builtin.h"
#include "port/builtin/connector.h"
#include "port/builtin/shard.h"
#include "port/builtin/tcp_forwarder.h"
#include "port/builtin/udp_forwarder.h"
#include "port/privileged.h"
#include "port/spec.h"

namespace rootlesskit::port::builtin {

// A published port. Each forwarder is made and destroyed on its own shard's thread; the TCP
// listener closes after all of them are gone.
struct ParentDriver::Published {
  Published(Spec s, Shards& all) : spec(std::move(s)), shards(all) {}
  ~Published() {
    for (size_t i = 0; i < tcp.size(); ++i) {
      shards[i]->on_loop([&] { tcp[i].reset(); });
    }
  }
  Published(const Published&) = delete;
  Published& operator=(const Published&) = delete;

  Spec spec;
  Shards& shards;
  Fd listener;                                     // TCP
  TcpForwarder::Settings tcp_settings;             // TCP
  std::vector<std::unique_ptr<TcpForwarder>> tcp;  // TCP: one per shard, in shard order
  std::unique_ptr<UdpForwarder> udp;               // UDP: on the first shard
};

namespace {

constexpr int total_socket_pool = 64;
constexpr int total_idle_pipes = 16;

// The CPUs this process may run on, as many loops as are worth running.
int default_event_loops() {
  cpu_set_t set;
  CPU_ZERO(&set);
  int cpus = ::sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
  return std::clamp(cpus, 1, 8);
}

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

// What the driver keeps ready (unconnected sockets per family and type, idle splice pipes) is
// shared out among the shards, so that more CPUs do not mean more idle fds (at most 8 loops:
// 64 sockets and 16 pipes in all, as with one).
Shard::Options shard_options(const ParentOptions& o, int loops) {
  Shard::Options s;
  s.connector.connect_from_parent = o.connect_from_parent;
  s.connector.pool_target = std::max(8, total_socket_pool / loops);
  s.pipe_size = o.pipe_size;
  s.max_idle_pipes = static_cast<size_t>(std::max(2, total_idle_pipes / loops));
  return s;
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
  m_event_loops = m_options.event_loops > 0 ? m_options.event_loops : default_event_loops();
  m_shards.push_back(std::make_unique<Shard>(loop, shard_options(m_options, m_event_loops)));
}

// The parent/child channel serves the first shard; every other shard gets a channel pair of its
// own, whose child end travels over the first.
void ParentDriver::attach_child(Fd channel) {
  m_shards.front()->connector().attach(std::move(channel));
  m_child_attached = true;
  for (size_t i = 1; i < m_shards.size(); ++i) {
    connect_to_child(*m_shards[i]);
  }
}

void ParentDriver::connect_to_child(Shard& shard) {
  messages::ChannelPair pair = messages::make_channel_pair();
  m_shards.front()->connector().pass_channel(std::move(pair.child));
  shard.on_loop([&] { shard.connector().attach(std::move(pair.parent)); });
}

// The other shards start with the first TCP port: a rootlesskit without one (`rootlesskit true`,
// UDP only) starts no thread. A shard is kept only once it is complete: one that cannot be made
// now (the parent out of fds or threads) would take its share of the connections and leave them
// waiting for a child it cannot reach. The ports are then served by the loops there are, and the
// next TCP port tries again (the ports published so far are accepted on by the new loops too).
void ParentDriver::add_shards() {
  size_t before = m_shards.size();
  while (static_cast<int>(m_shards.size()) < m_event_loops) {
    try {
      auto shard = std::make_unique<Shard>(shard_options(m_options, m_event_loops));
      if (m_child_attached) {
        connect_to_child(*shard);
      }
      m_shards.push_back(std::move(shard));
    } catch (const Error& e) {
      log::warn(
          "port/builtin: another event loop for TCP could not start ({}): relaying on {} of {} (tried again "
          "when a TCP port is added)",
          e.what(), m_shards.size(), m_event_loops);
      break;
    }
  }
  if (m_shards.size() > before) {
    for (auto& [id, port] : m_ports) {
      if (port->listener) {
        accept_on_every_shard(*port);
      }
    }
  }
}

// A TCP port is accepted on by every shard. Ports published while fewer shards ran (one could
// not start: add_shards) get forwarders on the ones that came since.
void ParentDriver::accept_on_every_shard(Published& port) {
  while (port.tcp.size() < m_shards.size()) {
    Shard& shard = *m_shards[port.tcp.size()];
    shard.on_loop([&] {
      port.tcp.push_back(std::make_unique<TcpForwarder>(shard, port.listener.get(), port.tcp_settings));
      shard.connector().prefill(port.tcp_settings.target.family(), SocketType::tcp);
    });
  }
}

void ParentDriver::stop() {
  m_stopped = true;
  m_ports.clear();  // listeners, flows and connections close here
  for (auto& shard : m_shards) {
    shard->stop();
  }
}

Status ParentDriver::add_port(const Spec& spec) {
  if (m_shards.empty() || m_stopped) {
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
  auto published = std::make_unique<Published>(spec, m_shards);
  if (proto == "tcp") {
    add_shards();
    published->listener = std::move(listener);
    published->tcp_settings = TcpForwarder::Settings{target, m_options.source_ip_transparent, label};
    accept_on_every_shard(*published);
  } else {
    Shard& first = *m_shards.front();
    UdpForwarder::Settings settings{target, m_options.udp_idle_timeout, label};
    published->udp =
        std::make_unique<UdpForwarder>(first.loop(), first.connector(), std::move(listener), std::move(settings));
    first.connector().prefill(target.family(), SocketType::udp);
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

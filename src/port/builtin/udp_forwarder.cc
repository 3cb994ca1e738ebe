// UDP flows: recvmmsg on the listener, one connected socket in the child per client address,
// replies sent back with sendto from the listener, idle flows swept.
#include "port/builtin/udp_forwarder.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "common/error.h"
#include "common/log.h"

namespace rootlesskit::port::builtin {
namespace {

using Clock = EventLoop::Clock;

constexpr size_t max_datagram = 65535;
constexpr size_t batch = 16;
// Datagrams kept for a flow whose socket is still on its way from the child.
constexpr size_t max_queued = 64;

// One receive buffer for every forwarder: they all run on the loop thread.
char* shared_buffer() {
  thread_local std::vector<char> buffer(max_datagram * batch);
  return buffer.data();
}

}  // namespace

class UdpForwarder::Listener : public IoHandler {
 public:
  explicit Listener(UdpForwarder& f) : m_forwarder(f) {}
  void on_io(uint32_t) override { m_forwarder.receive_from_clients(); }

 private:
  UdpForwarder& m_forwarder;
};

class UdpForwarder::Flow : public IoHandler {
 public:
  Flow(UdpForwarder& forwarder, const SocketAddress& client)
      : m_forwarder(forwarder), m_loop(forwarder.m_loop), m_connector(forwarder.m_connector), m_client(client) {
    m_last_activity = Clock::now();
    m_ticket = forwarder.m_connector.connect(
        SocketType::udp, forwarder.m_settings.target, std::nullopt,
        [this](Fd socket, const std::string& error) { on_socket(std::move(socket), error); });
  }

  // Touches only what outlives the forwarder (see TcpForwarder::Connection).
  ~Flow() override {
    if (m_ticket != 0) {
      m_connector.cancel(m_ticket);
    }
    if (m_socket) {
      m_loop.unwatch(m_socket.get(), this);
    }
  }

  void send(const char* data, size_t size) {
    m_last_activity = Clock::now();
    if (!m_socket) {
      if (m_queue.size() < max_queued) {
        m_queue.emplace_back(data, size);
      }
      return;
    }
    // A refused or full send drops the datagram, as UDP would; the flow stays.
    (void)!::send(m_socket.get(), data, size, MSG_DONTWAIT);
  }

  // Answers from the child go back to this flow's client.
  void on_io(uint32_t) override {
    char* buf = shared_buffer();
    for (size_t i = 0; i < batch; ++i) {
      ssize_t n = ::recv(m_socket.get(), buf, max_datagram, MSG_DONTWAIT);
      if (n < 0) {
        if (errno == EINTR || errno == ECONNREFUSED) {
          continue;  // ECONNREFUSED: an earlier datagram found no listener; keep the flow
        }
        return;
      }
      m_last_activity = Clock::now();
      (void)!::sendto(m_forwarder.m_listener_fd.get(), buf, static_cast<size_t>(n), MSG_DONTWAIT, m_client.get(),
                      m_client.length());
    }
  }

  Clock::time_point last_activity() const { return m_last_activity; }

 private:
  void on_socket(Fd socket, const std::string& error) {
    m_ticket = 0;
    if (!socket) {
      log::debug("port/builtin: {}: Can't proxy a datagram to udp: {}", m_forwarder.m_settings.label, error);
      m_queue.clear();
      return;  // the flow stays until idle; a later datagram does not retry (as upstream)
    }
    m_socket = std::move(socket);
    m_forwarder.m_loop.watch(m_socket.get(), EPOLLIN, this);
    for (const std::string& datagram : m_queue) {
      send(datagram.data(), datagram.size());
    }
    m_queue.clear();
  }

  UdpForwarder& m_forwarder;
  EventLoop& m_loop;
  Connector& m_connector;
  SocketAddress m_client;
  Fd m_socket;
  Connector::Ticket m_ticket = 0;
  std::deque<std::string> m_queue;
  Clock::time_point m_last_activity;
};

UdpForwarder::UdpForwarder(EventLoop& loop, Connector& connector, Fd listener, Settings settings)
    : m_loop(loop),
      m_connector(connector),
      m_listener_fd(std::move(listener)),
      m_settings(std::move(settings)),
      m_listener(std::make_unique<Listener>(*this)) {
  m_loop.watch(m_listener_fd.get(), EPOLLIN, m_listener.get());
}

UdpForwarder::~UdpForwarder() {
  m_loop.cancel(m_sweep_timer);
  m_loop.unwatch(m_listener_fd.get(), m_listener.get());
  m_loop.retire(std::move(m_listener));
  for (auto& [key, flow] : m_flows) {
    m_loop.retire(std::move(flow));
  }
}

void UdpForwarder::receive_from_clients() {
  char* buf = shared_buffer();
  mmsghdr msgs[batch] = {};
  iovec iovs[batch];
  sockaddr_storage peers[batch];
  for (size_t i = 0; i < batch; ++i) {
    iovs[i] = {buf + i * max_datagram, max_datagram};
    msgs[i].msg_hdr.msg_iov = &iovs[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &peers[i];
    msgs[i].msg_hdr.msg_namelen = sizeof peers[i];
  }
  int n = ::recvmmsg(m_listener_fd.get(), msgs, batch, MSG_DONTWAIT, nullptr);
  for (int i = 0; i < n; ++i) {
    forward(SocketAddress::from_raw(peers[i], msgs[i].msg_hdr.msg_namelen), static_cast<const char*>(iovs[i].iov_base),
            msgs[i].msg_len);
  }
}

void UdpForwarder::forward(const SocketAddress& client, const char* data, size_t size) {
  std::string key = client.key();
  auto it = m_flows.find(key);
  if (it == m_flows.end()) {
    it = m_flows.emplace(key, std::make_unique<Flow>(*this, client)).first;
    if (m_sweep_timer == 0) {
      auto period =
          std::clamp(m_settings.idle_timeout / 3, std::chrono::milliseconds(10), std::chrono::milliseconds(10'000));
      m_sweep_timer = m_loop.after(period, [this] { sweep(); });
    }
  }
  it->second->send(data, size);
}

void UdpForwarder::close_flow(const std::string& key) {
  auto it = m_flows.find(key);
  if (it != m_flows.end()) {
    m_loop.retire(std::move(it->second));
    m_flows.erase(it);
  }
}

void UdpForwarder::sweep() {
  m_sweep_timer = 0;
  auto cutoff = Clock::now() - m_settings.idle_timeout;
  std::vector<std::string> idle;
  for (const auto& [key, flow] : m_flows) {
    if (flow->last_activity() <= cutoff) {
      idle.push_back(key);
    }
  }
  for (const std::string& key : idle) {
    close_flow(key);
  }
  if (!m_flows.empty()) {
    auto period =
        std::clamp(m_settings.idle_timeout / 3, std::chrono::milliseconds(10), std::chrono::milliseconds(10'000));
    m_sweep_timer = m_loop.after(period, [this] { sweep(); });
  }
}

}  // namespace rootlesskit::port::builtin

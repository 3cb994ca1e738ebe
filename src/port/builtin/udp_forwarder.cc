// UDP flows: recvmmsg on the listener, one connected socket in the child per client address,
// replies sent back from the listener, idle flows swept. Datagrams move in batches both ways
// (recvmmsg, then one sendmmsg per run of datagrams from one client): at 1 Gbit/s of 1460-byte
// datagrams that is ~85,000 datagrams a second, and the listener's receive buffer holds about a
// millisecond of them, so each system call saved is less time the loop needs the CPU for.
#include "port/builtin/udp_forwarder.h"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <vector>

#include "common/error.h"
#include "common/log.h"

namespace rootlesskit::port::builtin {
namespace {

using Clock = EventLoop::Clock;

constexpr size_t max_datagram = 65535;
constexpr size_t batch = 16;
// recvmmsg calls per readiness report: a busy socket is drained further before the loop goes
// back to epoll, and other sockets still get their turn.
constexpr int batches_per_wakeup = 4;
// Datagrams kept for a flow whose socket is still on its way from the child.
constexpr size_t max_queued = 64;

// A batch of datagram slots over one receive buffer shared by every forwarder (they all run on
// the loop thread): recvmmsg fills it, sendmmsg sends parts of it on. Not zeroed on
// construction: prepare() sets what recvmmsg reads, and the kernel fills the rest.
struct Batch {
  std::array<mmsghdr, batch> msgs;
  std::array<iovec, batch> iovs;
  std::array<sockaddr_storage, batch> peers;
  std::array<socklen_t, batch> peer_lengths;

  // Ready for recvmmsg; with `want_peers`, each slot records its sender.
  void prepare(bool want_peers) {
    thread_local std::vector<char> buffer(max_datagram * batch);
    for (size_t i = 0; i < batch; ++i) {
      iovs[i] = {buffer.data() + i * max_datagram, max_datagram};
      msgs[i].msg_hdr = {};
      msgs[i].msg_hdr.msg_iov = &iovs[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      if (want_peers) {
        msgs[i].msg_hdr.msg_name = &peers[i];
        msgs[i].msg_hdr.msg_namelen = sizeof peers[i];
      }
    }
  }

  // After recvmmsg: each slot keeps its sender in peers/peer_lengths and sends exactly what it
  // received, to `to` (nullptr: a connected socket's peer).
  void readdress(int count, const SocketAddress* to) {
    for (int i = 0; i < count; ++i) {
      peer_lengths[i] = msgs[i].msg_hdr.msg_name != nullptr ? msgs[i].msg_hdr.msg_namelen : 0;
      iovs[i].iov_len = msgs[i].msg_len;
      msgs[i].msg_hdr.msg_name = to != nullptr ? const_cast<sockaddr*>(to->get()) : nullptr;
      msgs[i].msg_hdr.msg_namelen = to != nullptr ? to->length() : 0;
    }
  }

  SocketAddress sender(int i) const { return SocketAddress::from_raw(peers[i], peer_lengths[i]); }
};

// Sends `count` datagrams; one the kernel refuses (ECONNREFUSED left by an earlier datagram
// that found no listener) is dropped and the rest still go, and a full socket drops the rest:
// what UDP would do.
void send_batch(int fd, mmsghdr* msgs, int count) {
  int done = 0;
  while (done < count) {
    int sent = ::sendmmsg(fd, msgs + done, static_cast<unsigned>(count - done), MSG_DONTWAIT);
    if (sent > 0) {
      done += sent;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return;
    } else if (errno != EINTR) {
      ++done;
    }
  }
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

  const SocketAddress& client() const { return m_client; }

  // `msgs`: datagrams from this flow's client, readdressed for a connected socket. A refused or
  // full send drops datagrams, as UDP would; the flow stays.
  void send(mmsghdr* msgs, int count, Clock::time_point now) {
    m_last_activity = now;
    if (m_socket) {
      send_batch(m_socket.get(), msgs, count);
      return;
    }
    for (int i = 0; i < count && m_queue.size() < max_queued; ++i) {
      m_queue.emplace_back(static_cast<const char*>(msgs[i].msg_hdr.msg_iov->iov_base), msgs[i].msg_len);
    }
  }

  // Answers from the child go back to this flow's client.
  void on_io(uint32_t) override {
    Batch answers;
    for (int round = 0; round < batches_per_wakeup; ++round) {
      answers.prepare(false);
      int n = ::recvmmsg(m_socket.get(), answers.msgs.data(), batch, MSG_DONTWAIT, nullptr);
      if (n < 0 && (errno == EINTR || errno == ECONNREFUSED)) {
        continue;  // ECONNREFUSED: an earlier datagram found no listener; keep the flow
      }
      if (n <= 0) {
        return;
      }
      m_last_activity = Clock::now();
      answers.readdress(n, &m_client);
      send_batch(m_forwarder.m_listener_fd.get(), answers.msgs.data(), n);
      if (n < static_cast<int>(batch)) {
        return;
      }
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
      // A refused or full send drops the datagram, as UDP would.
      (void)!::send(m_socket.get(), datagram.data(), datagram.size(), MSG_DONTWAIT);
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
  Batch datagrams;
  for (int round = 0; round < batches_per_wakeup; ++round) {
    datagrams.prepare(true);
    int n = ::recvmmsg(m_listener_fd.get(), datagrams.msgs.data(), batch, MSG_DONTWAIT, nullptr);
    if (n <= 0) {
      return;
    }
    const auto now = Clock::now();
    datagrams.readdress(n, nullptr);
    for (int first = 0, end = 0; first < n; first = end) {
      const SocketAddress client = datagrams.sender(first);
      for (end = first + 1; end < n && datagrams.sender(end) == client;) {
        ++end;
      }
      flow_for(client).send(datagrams.msgs.data() + first, end - first, now);
    }
    if (n < static_cast<int>(batch)) {
      return;
    }
  }
}

UdpForwarder::Flow& UdpForwarder::flow_for(const SocketAddress& client) {
  // Datagrams mostly come from the client that sent the last ones.
  if (m_last_flow != nullptr && m_last_flow->client() == client) {
    return *m_last_flow;
  }
  std::string key = client.key();
  auto it = m_flows.find(key);
  if (it == m_flows.end()) {
    it = m_flows.emplace(key, std::make_unique<Flow>(*this, client)).first;
    if (m_sweep_timer == 0) {
      schedule_sweep();
    }
  }
  m_last_flow = it->second.get();
  return *m_last_flow;
}

void UdpForwarder::close_flow(const std::string& key) {
  auto it = m_flows.find(key);
  if (it != m_flows.end()) {
    if (it->second.get() == m_last_flow) {
      m_last_flow = nullptr;
    }
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
    schedule_sweep();
  }
}

// Idle flows are looked for three times per idle timeout (10 ms to 10 s apart).
void UdpForwarder::schedule_sweep() {
  auto period =
      std::clamp(m_settings.idle_timeout / 3, std::chrono::milliseconds(10), std::chrono::milliseconds(10'000));
  m_sweep_timer = m_loop.after(period, [this] { sweep(); });
}

}  // namespace rootlesskit::port::builtin

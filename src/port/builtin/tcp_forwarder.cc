// Accept -> socket from the Connector -> non-blocking connect -> TcpRelay.
#include "port/builtin/tcp_forwarder.h"

#include <sys/socket.h>

#include <cerrno>

#include "common/error.h"
#include "common/log.h"

namespace rootlesskit::port::builtin {
namespace {

// The client learns that the target refused by a reset, rather than by an accepted connection
// that closes without a word (upstream).
void reset(Fd& fd) {
  linger l{1, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
  fd.reset();
}

}  // namespace

class TcpForwarder::Acceptor : public IoHandler {
 public:
  explicit Acceptor(TcpForwarder& f) : m_forwarder(f) {}
  void on_io(uint32_t) override { m_forwarder.accept_one(); }

 private:
  TcpForwarder& m_forwarder;
};

class TcpForwarder::Connection {
 public:
  Connection(TcpForwarder& forwarder, Fd client, const SocketAddress& peer)
      : m_forwarder(forwarder),
        m_loop(forwarder.m_loop),
        m_connector(forwarder.m_connector),
        m_client(std::move(client)),
        m_peer(peer) {}

  // A retired connection may be destroyed after its forwarder (both in one dispatch round):
  // only the loop and the connector, which outlive every forwarder, are touched here.
  ~Connection() {
    if (m_ticket != 0) {
      m_connector.cancel(m_ticket);
    }
  }

  void start(ConnectionList::iterator self) {
    m_self = self;
    const auto& s = m_forwarder.m_settings;
    std::optional<SocketAddress> source;
    SocketAddress client = m_peer.unmapped();
    if (s.source_ip_transparent && !client.is_loopback() && client.family() == s.target.family()) {
      source = client;
    }
    m_ticket = m_forwarder.m_connector.connect(
        SocketType::tcp, s.target, source,
        [this](Fd socket, const std::string& error) { on_socket(std::move(socket), error); });
  }

 private:
  void on_socket(Fd socket, const std::string& error) {
    m_ticket = 0;
    if (!socket) {
      fail(error);
      return;
    }
    // The relay starts while connect() may still be in progress: bytes for the child wait in
    // their pipe until it is writable, and a refused connect shows as an error on it, which
    // resets the client. On loopback the connection is up by the time connect() returns.
    m_relay = std::make_unique<TcpRelay>(
        m_loop, m_forwarder.m_pipes, std::move(m_client), std::move(socket),
        [this] { return m_forwarder.m_settings.label + " (client " + m_peer.to_string() + ")"; },
        [this] { m_forwarder.close(m_self); });
    m_relay->start();
  }

  void fail(const std::string& error) {
    log::debug("port/builtin: {} (client {}): {}", m_forwarder.m_settings.label, m_peer.to_string(), error);
    reset(m_client);
    m_forwarder.close(m_self);
  }

  TcpForwarder& m_forwarder;
  EventLoop& m_loop;
  Connector& m_connector;
  Fd m_client;
  SocketAddress m_peer;
  ConnectionList::iterator m_self;
  Connector::Ticket m_ticket = 0;
  std::unique_ptr<TcpRelay> m_relay;
};

TcpForwarder::TcpForwarder(Shard& shard, int listener, Settings settings)
    : m_loop(shard.loop()),
      m_connector(shard.connector()),
      m_pipes(shard.pipes()),
      m_listener(listener),
      m_settings(std::move(settings)),
      m_acceptor(std::make_unique<Acceptor>(*this)),
      m_spare(shard.spare()) {
  watch_listener();
}

TcpForwarder::~TcpForwarder() {
  m_loop.cancel(m_resume_timer);
  if (m_resume_timer == 0 && !m_left) {
    m_loop.unwatch(m_listener, m_acceptor.get());
  }
  m_loop.retire(std::move(m_acceptor));
  while (!m_connections.empty()) {
    close(m_connections.begin());
  }
}

void TcpForwarder::accept_one() {
  if (m_spare && m_connector.channel_closed()) {
    leave_to_other_loops();
    return;
  }
  // One connection per wake-up: the listener stays readable while more wait (level-triggered
  // epoll), so the next round takes the next one, between the other ports' and connections'
  // events; and the common case needs no accept() that only says EAGAIN.
  sockaddr_storage peer{};
  socklen_t len = sizeof peer;
  int fd;
  while ((fd = ::accept4(m_listener, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0 &&
         errno == EINTR) {
  }
  if (fd < 0) {
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
      // Out of fds: the listener would stay readable and spin the loop. Wait a little;
      // meanwhile clients queue in the backlog.
      log::warn("port/builtin: {}: accept: {}", m_settings.label, errno_text(errno));
      pause_accepting();
    }
    return;  // EAGAIN, or ECONNABORTED (that client is gone)
  }
  m_connections.push_back(std::make_unique<Connection>(*this, Fd(fd), SocketAddress::from_raw(peer, len)));
  m_connections.back()->start(std::prev(m_connections.end()));
}

// Every shard's loop waits on the listener: EPOLLEXCLUSIVE wakes one that is idle in
// epoll_wait for a new client, not all of them (a busy loop still finds it ready and may take
// it; the others' accept4 then says EAGAIN).
void TcpForwarder::watch_listener() { m_loop.watch(m_listener, EPOLLIN | EPOLLEXCLUSIVE, m_acceptor.get()); }

void TcpForwarder::pause_accepting() {
  m_loop.unwatch(m_listener, m_acceptor.get());
  m_resume_timer = m_loop.after(std::chrono::milliseconds(100), [this] {
    m_resume_timer = 0;
    watch_listener();
  });
}

// A further shard's channel to the child closed while the first shard's may not have: its child
// end was lost on the way (the child out of fds when it arrived). Clients accepted here would
// only be reset, so this loop stops accepting and leaves them to the others: the kernel puts a
// ready listener on the ready list of every loop ahead of this one in the listener's wait queue
// (the first shard's, unless an earlier pause_accepting() re-registered it), and any loop takes
// a waiting client with the next one. When the child half is gone for good, the first shard's
// own connects fail as they must.
void TcpForwarder::leave_to_other_loops() {
  log::debug("port/builtin: {}: this event loop has no channel to the child; the others accept", m_settings.label);
  m_loop.unwatch(m_listener, m_acceptor.get());
  m_left = true;
}

void TcpForwarder::close(ConnectionList::iterator it) {
  m_loop.retire(std::move(*it));
  m_connections.erase(it);
}

}  // namespace rootlesskit::port::builtin

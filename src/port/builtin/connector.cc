// Socket pools per family and type, refilled by the child in batches; the channel to the child
// with an outgoing queue; IP_TRANSPARENT binding; the child-dial fallback.
#include "port/builtin/connector.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "common/error.h"
#include "common/log.h"
#include "messages/channel.h"

namespace rootlesskit::port::builtin {
namespace {

const char* type_name(SocketType t) { return t == SocketType::tcp ? "tcp" : "udp"; }

// How long refills wait after the parent ran out of fds (as TcpForwarder pauses accept()).
constexpr std::chrono::milliseconds refill_pause{100};

// Go's dial error text: `dial tcp 127.0.0.1:80: connect: connection refused`.
std::string dial_error(SocketType type, const SocketAddress& target, int err) {
  return std::string("dial ") + type_name(type) + " " + target.to_string() + ": connect: " + errno_text(err);
}

// Failures that are about the target, not about connecting from the parent.
bool is_target_error(int err) {
  return err == ECONNREFUSED || err == ENETUNREACH || err == EHOSTUNREACH || err == ETIMEDOUT || err == EADDRNOTAVAIL ||
         err == ECONNRESET;
}

// Binds `socket` (made in the child's namespace) to the client's own address. The parent owns
// the child's user namespace, so it has CAP_NET_ADMIN there, which IP_TRANSPARENT needs.
std::string bind_transparent(int socket, const SocketAddress& source) {
  int one = 1;
  int level = source.family() == AF_INET ? SOL_IP : SOL_IPV6;
  int option = source.family() == AF_INET ? IP_TRANSPARENT : IPV6_TRANSPARENT;
  if (::setsockopt(socket, level, option, &one, sizeof one) != 0) {
    return "setsockopt IP_TRANSPARENT: " + errno_text(errno);
  }
  if (::bind(socket, source.get(), source.length()) != 0) {
    return "bind " + source.to_string() + ": " + errno_text(errno);
  }
  return "";
}

}  // namespace

class Connector::ChannelHandler : public IoHandler {
 public:
  explicit ChannelHandler(Connector& c) : m_connector(c) {}
  void on_io(uint32_t events) override {
    if (events & EPOLLOUT) {
      m_connector.flush();
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
      m_connector.on_channel();
    }
  }

 private:
  Connector& m_connector;
};

Connector::Connector(EventLoop& loop, Options options) : m_loop(loop), m_options(options) {}

Connector::~Connector() { stop(); }

void Connector::attach(Fd channel) {
  m_channel = std::move(channel);
  int flags = ::fcntl(m_channel.get(), F_GETFL);
  ::fcntl(m_channel.get(), F_SETFL, flags | O_NONBLOCK);
  m_handler = std::make_unique<ChannelHandler>(*this);
  m_loop.watch(m_channel.get(), EPOLLIN, m_handler.get());
  flush();
}

void Connector::stop() {
  // Only while a timer is set: the destructor calls this again after the loop is gone.
  if (m_refill_timer != 0) {
    m_loop.cancel(m_refill_timer);
    m_refill_timer = 0;
  }
  if (m_channel) {
    m_loop.unwatch(m_channel.get(), m_handler.get());
    m_loop.retire(std::move(m_handler));
    m_channel.reset();
  }
  m_pending.clear();
  m_pools.clear();
  m_outgoing.clear();
  m_channel_closed = true;
}

Connector::Ticket Connector::connect(SocketType type, const SocketAddress& target, std::optional<SocketAddress> source,
                                     Callback done) {
  Ticket ticket = m_next_ticket++;
  if (m_channel_closed) {
    done(Fd(), "the child's half of the port driver is gone");
    return ticket;
  }
  if (type != SocketType::tcp || m_transparency == Transparency::unavailable) {
    source.reset();
  }
  m_pending.emplace(ticket, Pending{type, target, source, std::move(done)});
  if (source && m_transparency != Transparency::ready) {
    if (m_transparency == Transparency::unknown) {
      m_transparency = Transparency::setting_up;
      send(encode(TransparentMessage{}));
    }
    m_waiting_for_transparency.push_back(ticket);
    return ticket;
  }
  proceed(ticket);
  return ticket;
}

void Connector::cancel(Ticket ticket) { m_pending.erase(ticket); }

void Connector::prefill(int family, SocketType type) {
  if (m_options.connect_from_parent) {
    refill(family, type);
  }
}

Connector::Pool& Connector::pool_for(int family, SocketType type) { return m_pools[{family, type}]; }

void Connector::refill(int family, SocketType type) {
  Pool& pool = pool_for(family, type);
  int have = static_cast<int>(pool.sockets.size()) + pool.requested;
  int want = m_options.pool_target + static_cast<int>(pool.waiting.size());
  if (m_channel_closed || m_refill_timer != 0 ||
      have > m_options.pool_target * 3 / 4 + static_cast<int>(pool.waiting.size())) {
    return;
  }
  int count = std::min(want - have, static_cast<int>(messages::max_fds_per_packet));
  pool.requested += count;
  send(encode(SocketsMessage{family == AF_INET ? 4 : 6, type, count, ""}));
}

// The parent is out of fds (RLIMIT_NOFILE), so the kernel dropped sockets the child sent.
// Asking again at once would only make the child create and the kernel drop more, in a busy
// loop between the two processes: wait until connections close. Waiting tickets stay queued.
void Connector::pause_refills() {
  if (m_refill_timer != 0) {
    return;
  }
  if (!m_fds_lost_warned) {  // once per shortage, not every pause
    log::warn(
        "port/builtin: sockets from the child were lost: too many open files in the parent; "
        "new connections wait");
    m_fds_lost_warned = true;
  }
  m_refill_timer = m_loop.after(refill_pause, [this] {
    m_refill_timer = 0;
    for (auto& [key, pool] : m_pools) {
      refill(key.first, key.second);
    }
  });
}

void Connector::proceed(Ticket ticket) {
  auto it = m_pending.find(ticket);
  if (it == m_pending.end()) {
    return;
  }
  if (!m_options.connect_from_parent) {
    dial_in_child(ticket);
    return;
  }
  int family = it->second.target.family();
  SocketType type = it->second.type;
  Pool& pool = pool_for(family, type);
  if (pool.sockets.empty()) {
    pool.waiting.push_back(ticket);
    refill(family, type);
    return;
  }
  Fd socket = std::move(pool.sockets.back());
  pool.sockets.pop_back();
  refill(family, type);
  connect_pooled(ticket, std::move(socket));
}

void Connector::connect_pooled(Ticket ticket, Fd socket) {
  Pending& p = m_pending.at(ticket);
  if (p.source) {
    std::string error = bind_transparent(socket.get(), *p.source);
    if (!error.empty()) {
      log::debug("port/builtin: transparent dial failed, falling back: {}", error);
      p.source.reset();
      proceed(ticket);  // a bound socket cannot be unbound: take a fresh one
      return;
    }
  }
  if (::connect(socket.get(), p.target.get(), p.target.length()) == 0 || errno == EINPROGRESS) {
    complete(ticket, std::move(socket), "");
    return;
  }
  int err = errno;
  if (is_target_error(err)) {
    complete(ticket, Fd(), dial_error(p.type, p.target, err));
    return;
  }
  log::debug("port/builtin: connecting a socket of the child's namespace failed ({}): the child dials from now on",
             errno_text(err));
  m_options.connect_from_parent = false;
  dial_in_child(ticket);
}

void Connector::dial_in_child(Ticket ticket) {
  const Pending& p = m_pending.at(ticket);
  DialMessage m;
  m.id = static_cast<long long>(ticket);
  m.type = p.type;
  m.ip = p.target.ip_string();
  m.port = p.target.port();
  send(encode(m));
}

void Connector::complete(Ticket ticket, Fd socket, const std::string& error) {
  auto it = m_pending.find(ticket);
  if (it == m_pending.end()) {
    return;
  }
  Callback done = std::move(it->second.done);
  m_pending.erase(it);
  done(std::move(socket), error);
}

void Connector::pass_channel(Fd child_end) { send(encode(ChannelMessage{}), std::move(child_end)); }

void Connector::send(std::string body, Fd fd) {
  m_outgoing.push_back(Outgoing{std::move(body), std::move(fd)});
  flush();
}

void Connector::flush() {
  if (!m_channel) {
    return;  // sent once attach() hands the channel over
  }
  try {
    while (!m_outgoing.empty()) {
      const Outgoing& next = m_outgoing.front();
      std::vector<int> fds;
      if (next.fd) {
        fds.push_back(next.fd.get());
      }
      if (!messages::send_packet(m_channel.get(), next.body, fds, MSG_DONTWAIT)) {
        break;
      }
      m_outgoing.pop_front();
    }
  } catch (const Error& e) {
    log::warn("port/builtin: writing to the child failed: {}", e.what());
    on_channel_closed();
    return;
  }
  m_loop.rewatch(m_channel.get(), m_outgoing.empty() ? EPOLLIN : EPOLLIN | EPOLLOUT, m_handler.get());
}

void Connector::on_channel() {
  while (m_channel) {
    messages::Packet packet;
    messages::ReceiveStatus status;
    try {
      status = messages::receive_packet(m_channel.get(), packet, MSG_DONTWAIT);
    } catch (const Error& e) {
      log::warn("port/builtin: reading from the child failed: {}", e.what());
      status = messages::ReceiveStatus::closed;
    }
    if (status == messages::ReceiveStatus::would_block) {
      return;
    }
    if (status == messages::ReceiveStatus::closed) {
      on_channel_closed();
      return;
    }
    try {
      switch (kind_of(packet.body)) {
        case MessageKind::sockets:
          on_sockets(decode_sockets(packet.body), std::move(packet.fds), packet.fds_lost);
          break;
        case MessageKind::dial: on_dial(decode_dial(packet.body), std::move(packet.fds), packet.fds_lost); break;
        case MessageKind::transparent: on_transparent(decode_transparent(packet.body)); break;
        case MessageKind::channel:
        case MessageKind::unknown: log::warn("port/builtin: unexpected message from the child: {}", packet.body);
      }
    } catch (const Error& e) {
      log::warn("port/builtin: {}", e.what());
    }
  }
}

void Connector::on_sockets(const SocketsMessage& m, std::vector<Fd> fds, bool fds_lost) {
  int family = m.family == 4 ? AF_INET : AF_INET6;
  Pool& pool = pool_for(family, m.type);
  pool.requested = std::max(0, pool.requested - m.count);
  if (fds_lost) {
    pause_refills();
  } else {
    m_fds_lost_warned = false;
  }
  if (!m.error.empty()) {
    log::warn("port/builtin: the child could not make sockets: {}", m.error);
    while (!pool.waiting.empty()) {
      Ticket t = pool.waiting.front();
      pool.waiting.pop_front();
      complete(t, Fd(), m.error);
    }
    return;
  }
  for (Fd& socket : fds) {
    Ticket waiting = 0;
    while (waiting == 0 && !pool.waiting.empty()) {
      waiting = pool.waiting.front();
      pool.waiting.pop_front();
      if (m_pending.count(waiting) == 0) {
        waiting = 0;  // cancelled meanwhile
      }
    }
    if (waiting != 0) {
      connect_pooled(waiting, std::move(socket));
    } else {
      pool.sockets.push_back(std::move(socket));
    }
  }
  refill(family, m.type);
}

void Connector::on_dial(const DialMessage& m, std::vector<Fd> fds, bool fds_lost) {
  auto ticket = static_cast<Ticket>(m.id);
  if (!m.error.empty() || fds.empty()) {
    std::string error = m.error;
    if (error.empty()) {
      error = fds_lost ? "receiving the socket from the child: too many open files" : "the child sent no socket";
    }
    complete(ticket, Fd(), error);
    return;
  }
  complete(ticket, std::move(fds.front()), "");
}

void Connector::on_transparent(const TransparentMessage& m) {
  m_transparency = m.ready ? Transparency::ready : Transparency::unavailable;
  if (!m.ready && !m_options.transparency_warned->exchange(true)) {
    log::warn("source IP transparent: falling back to non-transparent mode, client source IPs will not be preserved");
  }
  std::vector<Ticket> waiting;
  waiting.swap(m_waiting_for_transparency);
  for (Ticket t : waiting) {
    auto it = m_pending.find(t);
    if (it != m_pending.end()) {
      if (!m.ready) {
        it->second.source.reset();
      }
      proceed(t);
    }
  }
}

void Connector::on_channel_closed() {
  if (m_channel) {
    // The child closes its end when COMMAND has exited, so this is the normal way out.
    log::debug("port/builtin: the child's half of the port driver is gone; new connections fail");
    m_loop.unwatch(m_channel.get(), m_handler.get());
    m_loop.retire(std::move(m_handler));
    m_channel.reset();
  }
  m_channel_closed = true;
  m_outgoing.clear();
  std::vector<Ticket> tickets;
  for (const auto& [t, p] : m_pending) {
    tickets.push_back(t);
  }
  for (Ticket t : tickets) {
    complete(t, Fd(), "the child's half of the port driver is gone");
  }
}

}  // namespace rootlesskit::port::builtin

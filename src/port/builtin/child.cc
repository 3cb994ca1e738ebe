// The builtin driver's child half: answers the parent's requests on the parent/child channel (and
// on the further channels the parent passes over it, one per event loop of the parent) with
// sockets made in the namespace being served (the child's own, or the --detach-netns one), dials
// for the parent when asked, and sets up transparent routing once. Runs in the child on its main
// thread, between COMMAND's supervision events (no threads: the child's reaper and setns need a
// single-threaded process).
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>

#include <cerrno>
#include <optional>

#include "common/error.h"
#include "common/log.h"
#include "messages/channel.h"
#include "port/builtin/address.h"
#include "port/builtin/builtin.h"
#include "port/builtin/protocol.h"
#include "port/builtin/transparent.h"

namespace rootlesskit::port::builtin {
namespace {

Fd open_netns(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    throw errno_error("open " + path);
  }
  return fd;
}

// Joins the served network namespace for the lifetime of the object (no-op without
// --detach-netns). Safe here: the child is single-threaded.
class InServedNetns {
 public:
  InServedNetns(const Fd& served, const Fd& own) : m_own(own) {
    if (served && ::setns(served.get(), CLONE_NEWNET) != 0) {
      throw errno_error("setns to the detached network namespace");
    }
    m_joined = static_cast<bool>(served);
  }
  ~InServedNetns() {
    if (m_joined) {
      ::setns(m_own.get(), CLONE_NEWNET);
    }
  }
  InServedNetns(const InServedNetns&) = delete;
  InServedNetns& operator=(const InServedNetns&) = delete;

 private:
  const Fd& m_own;
  bool m_joined = false;
};

// A socket for the parent: non-blocking (the parent's loop needs it so), TCP_NODELAY like Go's.
Fd make_socket(int family, SocketType type) {
  Fd fd(::socket(family, (type == SocketType::tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) {
    throw errno_error("socket");
  }
  if (type == SocketType::tcp) {
    int one = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  return fd;
}

}  // namespace

// What the servers of every channel share: the namespace served, and the transparency set-up
// (done once, whichever channel asks first).
struct ChildDriver::Namespace {
  Fd served;  // --detach-netns: the namespace served
  Fd own;     // ... and the child's own, to return to
  std::optional<bool> transparency_ready;
};

// Serves one channel. The parent has one per event loop: the first is the parent/child channel,
// the others arrive on it (BuiltinChannel) and are served by Servers of their own.
class ChildDriver::Server : public IoHandler {
 public:
  Server(ChildDriver& driver, Fd channel) : m_driver(driver), m_loop(*driver.m_loop), m_channel(std::move(channel)) {
    int flags = ::fcntl(m_channel.get(), F_GETFL);
    ::fcntl(m_channel.get(), F_SETFL, flags | O_NONBLOCK);
    m_loop.watch(m_channel.get(), EPOLLIN, this);
  }
  ~Server() override { close(); }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void on_io(uint32_t) override {
    while (m_channel) {
      messages::Packet packet;
      messages::ReceiveStatus status = messages::ReceiveStatus::closed;
      try {
        status = messages::receive_packet(m_channel.get(), packet, MSG_DONTWAIT);
      } catch (const Error& e) {
        log::warn("port/builtin: reading from the parent failed: {}", e.what());
      }
      if (status == messages::ReceiveStatus::would_block) {
        return;
      }
      if (status == messages::ReceiveStatus::closed) {
        close();  // the parent is gone or shutting down; COMMAND goes on
        return;
      }
      try {
        handle(packet);
      } catch (const Error& e) {
        log::warn("port/builtin: {}", e.what());
      }
    }
  }

  void close() {
    if (m_channel) {
      m_loop.unwatch(m_channel.get(), this);
      m_channel.reset();
    }
  }

 private:
  void handle(messages::Packet& packet) {
    switch (kind_of(packet.body)) {
      case MessageKind::sockets: send_sockets(decode_sockets(packet.body)); break;
      case MessageKind::dial: dial(decode_dial(packet.body)); break;
      case MessageKind::transparent: set_up_transparency(); break;
      case MessageKind::channel: take_channel(packet); break;
      case MessageKind::unknown: throw Error("unexpected message from the parent: " + packet.body);
    }
  }

  void send_sockets(SocketsMessage m) {
    std::vector<Fd> sockets;
    try {
      InServedNetns in(ns().served, ns().own);
      for (int i = 0; i < m.count && i < static_cast<int>(messages::max_fds_per_packet); ++i) {
        sockets.push_back(make_socket(m.family == 4 ? AF_INET : AF_INET6, m.type));
      }
    } catch (const Error& e) {
      m.error = e.what();
      sockets.clear();
    }
    std::vector<int> fds;
    for (const Fd& s : sockets) {
      fds.push_back(s.get());
    }
    reply(encode(m), fds);
  }

  void dial(DialMessage m) {
    Fd socket;
    try {
      SocketAddress target = SocketAddress::from_ip(m.ip, m.port);
      InServedNetns in(ns().served, ns().own);
      socket = make_socket(target.family(), m.type);
      if (::connect(socket.get(), target.get(), target.length()) != 0 && errno != EINPROGRESS) {
        m.error = std::string("dial ") + (m.type == SocketType::tcp ? "tcp " : "udp ") + target.to_string() +
                  ": connect: " + errno_text(errno);
        socket.reset();
      }
    } catch (const Error& e) {
      m.error = e.what();
      socket.reset();
    }
    m.ip.clear();
    reply(encode(m), socket ? std::vector<int>{socket.get()} : std::vector<int>{});
  }

  void set_up_transparency() {
    if (!ns().transparency_ready) {
      InServedNetns in(ns().served, ns().own);
      ns().transparency_ready = setup_transparent_routing();
    }
    reply(encode(TransparentMessage{*ns().transparency_ready}), {});
  }

  // A channel lost on the way (the child out of fds) closes the parent's end with it: that
  // event loop of the parent then leaves its clients to the others (TcpForwarder).
  void take_channel(messages::Packet& packet) {
    if (packet.fds.empty()) {
      throw Error("a channel from the parent was lost on the way: too many open files");
    }
    m_driver.serve(std::move(packet.fds.front()));
  }

  // The parent reads its end all the time; a full buffer is waited out briefly rather than
  // losing an answer the parent waits for.
  void reply(const std::string& body, const std::vector<int>& fds) {
    try {
      for (int attempt = 0; attempt < 50; ++attempt) {
        if (messages::send_packet(m_channel.get(), body, fds, MSG_DONTWAIT)) {
          return;
        }
        pollfd pfd{m_channel.get(), POLLOUT, 0};
        ::poll(&pfd, 1, 100);
      }
      log::warn("port/builtin: the parent does not take the answers; dropped one");
    } catch (const Error& e) {
      log::debug("port/builtin: the parent is gone: {}", e.what());  // it stops first at exit
      close();
    }
  }

  Namespace& ns() { return *m_driver.m_namespace; }

  ChildDriver& m_driver;
  EventLoop& m_loop;
  Fd m_channel;
};

ChildDriver::ChildDriver() = default;

ChildDriver::~ChildDriver() = default;

void ChildDriver::start(EventLoop& loop, const std::map<std::string, std::string>&, Fd channel,
                        const std::string& detached_netns_path) {
  m_loop = &loop;
  m_namespace = std::make_unique<Namespace>();
  if (!detached_netns_path.empty()) {
    m_namespace->served = open_netns(detached_netns_path);
    m_namespace->own = open_netns("/proc/self/ns/net");
  }
  serve(std::move(channel));
}

void ChildDriver::serve(Fd channel) { m_servers.push_back(std::make_unique<Server>(*this, std::move(channel))); }

void ChildDriver::stop() { m_servers.clear(); }

}  // namespace rootlesskit::port::builtin

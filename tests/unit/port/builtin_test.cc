// The builtin port driver end to end inside one process: the parent half on one event-loop
// thread, the child half on another, talking over a real SEQPACKET channel, forwarding real TCP
// and UDP on loopback to servers of the test (the "child namespace" is the test's own here; the
// integration tests cover real namespaces).
#include "port/builtin/builtin.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "common/error.h"
#include "messages/channel.h"
#include "port/privileged.h"

namespace rootlesskit::port::builtin {
namespace {

// A loopback TCP or UDP socket bound to a free port.
Fd bound_socket(int type, int* port) {
  Fd fd(::socket(AF_INET, type | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    throw errno_error("bind");
  }
  socklen_t len = sizeof a;
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
  *port = ntohs(a.sin_port);
  if (type == SOCK_STREAM) {
    ::listen(fd.get(), 64);
  }
  return fd;
}

// A free port number (bound and released: the kernel does not hand it out again at once).
int free_port(int type) {
  int port = 0;
  bound_socket(type, &port);
  return port;
}

Fd connect_to(int type, int port) {
  Fd fd(::socket(AF_INET, type | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    throw errno_error("connect");
  }
  timeval tv{10, 0};  // a stalled relay fails the test instead of hanging it
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

std::string read_all(int fd) {
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// A TCP server that answers "<request>!" after the client half-closes, then closes.
class EchoServer {
 public:
  EchoServer() : m_listener(bound_socket(SOCK_STREAM, &m_port)) {
    m_thread = std::thread([this] {
      while (true) {
        int c = ::accept4(m_listener.get(), nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) {
          return;
        }
        Fd conn(c);
        std::string request = read_all(c);
        std::string answer = request + "!";
        (void)!::send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
        ++m_served;
      }
    });
  }
  ~EchoServer() {
    ::shutdown(m_listener.get(), SHUT_RDWR);
    m_thread.join();
  }
  int port() const { return m_port; }
  int served() const { return m_served; }

 private:
  int m_port = 0;
  Fd m_listener;
  std::thread m_thread;
  std::atomic<int> m_served{0};
};

// Both halves, each on its own loop thread, as the parent and the child run them.
class Driver {
 public:
  explicit Driver(ParentOptions options = {}) : m_parent(options) {
    auto pair = messages::make_channel_pair();
    m_parent.start(m_parent_loop, ChildContext{});
    m_parent.attach_child(std::move(pair.parent));
    m_child.start(m_child_loop, {}, std::move(pair.child), "");
    m_parent_thread = std::make_unique<LoopThread>(m_parent_loop);
    m_child_thread = std::make_unique<LoopThread>(m_child_loop);
  }
  ~Driver() {
    m_parent_loop.call([this] { m_parent.stop(); });
    m_child_loop.call([this] { m_child.stop(); });
    m_parent_thread.reset();
    m_child_thread.reset();
  }
  Status add(const Spec& spec) {
    return m_parent_loop.call([&] { return m_parent.add_port(spec); });
  }
  void remove(int id) {
    m_parent_loop.call([&] { m_parent.remove_port(id); });
  }
  std::vector<Status> list() {
    return m_parent_loop.call([&] { return m_parent.list_ports(); });
  }
  // Keeps the parent's own loop (the first shard's, which also serves the API) busy until
  // `release` is set; returns once it is held.
  void hold_parent_loop(std::shared_future<void> release) {
    std::promise<void> held;
    m_parent_loop.post([&held, release] {
      held.set_value();
      release.wait();
    });
    held.get_future().wait();
  }
  std::string add_error(const Spec& spec) {
    try {
      add(spec);
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }

 private:
  EventLoop m_parent_loop;
  EventLoop m_child_loop;
  ParentDriver m_parent;
  ChildDriver m_child;
  std::unique_ptr<LoopThread> m_parent_thread;
  std::unique_ptr<LoopThread> m_child_thread;
};

ParentOptions with_event_loops(int count) {
  ParentOptions options;
  options.event_loops = count;
  return options;
}

std::string round_trip(int port, const std::string& request) {
  Fd c = connect_to(SOCK_STREAM, port);
  (void)!::send(c.get(), request.data(), request.size(), MSG_NOSIGNAL);
  ::shutdown(c.get(), SHUT_WR);  // the half-close must reach the server
  return read_all(c.get());
}

TEST(BuiltinPortDriver, ForwardsTcpWithHalfClose) {
  EchoServer server;
  Driver driver;
  int port = free_port(SOCK_STREAM);
  Status st = driver.add(Spec{"tcp", "127.0.0.1", port, server.port(), ""});
  EXPECT_EQ(st.id, 1);
  EXPECT_EQ(round_trip(port, "hello"), "hello!");
  std::string big(3 << 20, 'x');  // more than any pipe or socket buffer
  EXPECT_EQ(round_trip(port, big), big + "!");
}

// A TCP server that speaks first and is done writing at once ("hi", then SHUT_WR), then counts
// what the client sends until its EOF. The relay takes a side that was read to its end out of
// epoll; the client's later bytes must bring it back (for EPOLLOUT once the buffers fill).
TEST(BuiltinPortDriver, ClientKeepsSendingAfterTheServerIsDone) {
  int server_port = 0;
  Fd listener = bound_socket(SOCK_STREAM, &server_port);
  std::atomic<size_t> received{0};
  std::thread server([&] {
    Fd conn(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    (void)!::send(conn.get(), "hi", 2, MSG_NOSIGNAL);
    ::shutdown(conn.get(), SHUT_WR);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the relay's writes back up
    received = read_all(conn.get()).size();
  });
  Driver driver;
  int port = free_port(SOCK_STREAM);
  driver.add(Spec{"tcp", "127.0.0.1", port, server_port, ""});
  Fd c = connect_to(SOCK_STREAM, port);
  EXPECT_EQ(read_all(c.get()), "hi");  // up to the server's EOF
  std::string big(16 << 20, 'y');      // more than the socket buffers and a pipe hold
  size_t sent = 0;
  while (sent < big.size()) {
    ssize_t n = ::send(c.get(), big.data() + sent, big.size() - sent, MSG_NOSIGNAL);
    ASSERT_GT(n, 0) << errno_text(errno);
    sent += static_cast<size_t>(n);
  }
  ::shutdown(c.get(), SHUT_WR);
  EXPECT_EQ(read_all(c.get()), "");  // the relay closes once both directions are done
  server.join();
  EXPECT_EQ(received.load(), big.size());
}

TEST(BuiltinPortDriver, ChildDialFallbackForwardsToo) {
  EchoServer server;
  ParentOptions options;
  options.connect_from_parent = false;
  Driver driver(options);
  int port = free_port(SOCK_STREAM);
  driver.add(Spec{"tcp4", "127.0.0.1", port, server.port(), ""});
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(round_trip(port, "n" + std::to_string(i)), "n" + std::to_string(i) + "!");
  }
}

TEST(BuiltinPortDriver, ManyShortConnections) {
  EchoServer server;
  Driver driver;
  int port = free_port(SOCK_STREAM);
  driver.add(Spec{"tcp", "127.0.0.1", port, server.port(), ""});
  for (int i = 0; i < 300; ++i) {  // several pool refills
    ASSERT_EQ(round_trip(port, "x"), "x!") << i;
  }
  EXPECT_EQ(server.served(), 300);
}

// With several event loops, a connection is accepted and relayed by whichever loop is idle: while
// the parent's own loop is held busy, another one serves. Removing the port closes that loop's
// connections too.
TEST(BuiltinPortDriver, OtherLoopsServeWhileTheParentLoopIsBusy) {
  EchoServer server;
  Driver driver(with_event_loops(2));
  int port = free_port(SOCK_STREAM);
  Status st = driver.add(Spec{"tcp", "127.0.0.1", port, server.port(), ""});
  std::promise<void> release;
  driver.hold_parent_loop(release.get_future().share());
  EXPECT_EQ(round_trip(port, "while busy"), "while busy!");
  Fd live = connect_to(SOCK_STREAM, port);
  (void)!::send(live.get(), "a", 1, MSG_NOSIGNAL);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the other loop relays it
  release.set_value();
  driver.remove(st.id);
  char buf[16];
  EXPECT_EQ(::recv(live.get(), buf, sizeof buf, 0), 0);  // closed (not the receive timeout)
}

// Clients on several threads at once, relayed by three loops (ThreadSanitizer watches this one).
TEST(BuiltinPortDriver, ConcurrentClientsOnSeveralLoops) {
  EchoServer server;
  Driver driver(with_event_loops(3));
  int port = free_port(SOCK_STREAM);
  driver.add(Spec{"tcp", "127.0.0.1", port, server.port(), ""});
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::string request = std::to_string(t) + "." + std::to_string(i);
        answered += round_trip(port, request) == request + "!";
      }
    });
  }
  for (auto& c : clients) {
    c.join();
  }
  EXPECT_EQ(answered.load(), 200);
}

// Leaves this process `free` fd numbers below its soft RLIMIT_NOFILE while it lives (a new fd
// takes the lowest free number; the limit bounds the number).
class FewFreeFds {
 public:
  explicit FewFreeFds(int free) {
    // UBSan's vptr check reads memory through pipe(2), which fails out of fds, and then reports
    // a type it has not checked before as "invalid vptr" (a type it has checked is cached). The
    // starved paths make an Error while the fds are still taken: let UBSan check that type now.
    (void)Error("UBSan meets Error while fds are free").exit_code();
    ::getrlimit(RLIMIT_NOFILE, &m_saved);
    rlimit lowered = m_saved;
    lowered.rlim_cur = 0;
    for (int left = free; left > 0 || ::fcntl(static_cast<int>(lowered.rlim_cur), F_GETFD) != -1; ++lowered.rlim_cur) {
      if (::fcntl(static_cast<int>(lowered.rlim_cur), F_GETFD) == -1) {
        --left;
      }
    }
    ::setrlimit(RLIMIT_NOFILE, &lowered);
  }
  ~FewFreeFds() { ::setrlimit(RLIMIT_NOFILE, &m_saved); }
  FewFreeFds(const FewFreeFds&) = delete;
  FewFreeFds& operator=(const FewFreeFds&) = delete;

 private:
  rlimit m_saved{};
};

// A parent out of fds when the first TCP port starts the other loops keeps none it could not
// connect to the child (one used to take the connections that came while the first loop was
// busy and leave them waiting for good); the next TCP port starts it, and the first port is
// then accepted on by it too: answered while the parent's own loop is busy.
TEST(BuiltinPortDriver, ALoopThatCouldNotStartComesWithTheNextTcpPort) {
  EchoServer server;
  {
    // Under UBSan: a loop starts once while fds are free, so that the types it is made of have
    // been checked before FewFreeFds (see there).
    Driver warm_up(with_event_loops(2));
    warm_up.add(Spec{"tcp", "127.0.0.1", free_port(SOCK_STREAM), server.port(), ""});
  }
  Driver driver(with_event_loops(2));
  int first = free_port(SOCK_STREAM);
  {
    // The listener, the second loop's epoll and eventfd fit; its channel pair does not.
    FewFreeFds few(4);
    driver.add(Spec{"tcp", "127.0.0.1", first, server.port(), ""});
  }
  // The child half runs in this process here, so the sockets the new port asked it for may
  // have met the lowered limit too; a client waiting for them is then reset. Until a round
  // trip is answered, the pool may still be empty because of that.
  bool warmed_up = false;
  for (int i = 0; i < 10 && !warmed_up; ++i) {
    warmed_up = round_trip(first, "warm-up") == "warm-up!";
  }
  ASSERT_TRUE(warmed_up);
  {
    std::promise<void> release;
    driver.hold_parent_loop(release.get_future().share());
    auto answer = std::async(std::launch::async, [&] { return round_trip(first, "one loop"); });
    EXPECT_EQ(answer.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);  // no other loop
    release.set_value();
    EXPECT_EQ(answer.get(), "one loop!");
  }
  driver.add(Spec{"tcp", "127.0.0.1", free_port(SOCK_STREAM), server.port(), ""});
  std::promise<void> release;
  driver.hold_parent_loop(release.get_future().share());
  EXPECT_EQ(round_trip(first, "two loops"), "two loops!");
  release.set_value();
}

TEST(BuiltinPortDriver, RefusedTargetResetsTheClient) {
  Driver driver;
  int port = free_port(SOCK_STREAM);
  driver.add(Spec{"tcp", "127.0.0.1", port, free_port(SOCK_STREAM), ""});
  Fd c = connect_to(SOCK_STREAM, port);
  char buf[1];
  ssize_t n = ::recv(c.get(), buf, 1, 0);
  EXPECT_EQ(n, -1);
  EXPECT_EQ(errno, ECONNRESET);
}

TEST(BuiltinPortDriver, RemovePortClosesListenerAndLiveConnections) {
  EchoServer server;
  Driver driver;
  int port = free_port(SOCK_STREAM);
  Status st = driver.add(Spec{"tcp", "127.0.0.1", port, server.port(), ""});
  Fd live = connect_to(SOCK_STREAM, port);
  (void)!::send(live.get(), "a", 1, MSG_NOSIGNAL);
  // Wait until the relay is up (the server has the connection when it reads).
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  driver.remove(st.id);
  char buf[16];
  EXPECT_EQ(::recv(live.get(), buf, sizeof buf, 0), 0);  // closed (not the receive timeout)
  EXPECT_THROW(connect_to(SOCK_STREAM, port), Error);
  EXPECT_EQ(driver.add_error(Spec{}), R"(unknown proto: "")");
  try {
    driver.remove(st.id);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "unknown id: 1");
  }
  // Ids are never reused.
  EXPECT_EQ(driver.add(Spec{"tcp", "127.0.0.1", port, server.port(), ""}).id, 2);
}

TEST(BuiltinPortDriver, UpstreamErrors) {
  Driver driver;
  int port = free_port(SOCK_STREAM);
  driver.add(Spec{"tcp", "127.0.0.1", port, 80, ""});
  EXPECT_EQ(driver.add_error(Spec{"tcp", "127.0.0.1", port, 81, ""}), "conflict with ID 1");
  EXPECT_EQ(driver.add_error(Spec{"sctp", "127.0.0.1", port, 81, ""}), "unsupported port protocol sctp");
  EXPECT_EQ(driver.add_error(Spec{"tcp4", "127.0.0.1", port, 81, ""}),
            "listen tcp4 127.0.0.1:" + std::to_string(port) + ": bind: address already in use");
  EXPECT_EQ(driver.add_error(Spec{"tcp", "127.0.0.1", 0, 81, ""}), "invalid ParentPort: '\\x00'");
  EXPECT_EQ(driver.list().size(), 1u);
}

// A UDP echo's step: answers one datagram with "<datagram>!"; false once the socket is shut down.
bool echo_datagram(int server_fd) {
  char buf[2048];
  sockaddr_storage from{};
  socklen_t len = sizeof from;
  ssize_t n = ::recvfrom(server_fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
  if (n <= 0) {
    return false;
  }
  std::string answer = std::string(buf, static_cast<size_t>(n)) + "!";
  ::sendto(server_fd, answer.data(), answer.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
  return true;
}

TEST(BuiltinPortDriver, ForwardsUdpPerClient) {
  int server_port = 0;
  Fd server = bound_socket(SOCK_DGRAM, &server_port);
  std::thread echo([&] {
    for (int i = 0; i < 4 && echo_datagram(server.get()); ++i) {
    }
  });
  Driver driver;
  int port = free_port(SOCK_DGRAM);
  driver.add(Spec{"udp", "127.0.0.1", port, server_port, ""});
  Fd a = connect_to(SOCK_DGRAM, port);
  Fd b = connect_to(SOCK_DGRAM, port);
  for (int i = 0; i < 2; ++i) {
    for (Fd* c : {&a, &b}) {
      std::string msg = "ping" + std::to_string(c->get());
      ::send(c->get(), msg.data(), msg.size(), 0);
      char buf[2048];
      ssize_t n = ::recv(c->get(), buf, sizeof buf, 0);
      ASSERT_GT(n, 0);
      EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), msg + "!");
    }
  }
  ::shutdown(server.get(), SHUT_RDWR);
  echo.join();
}

// Bursts from two clients, interleaved, reach the server and come back to their own client in
// order: the listener reads them in batches and sends each run of one client's datagrams on in
// one go, so a batch holding both clients' datagrams must still split them by sender.
TEST(BuiltinPortDriver, ForwardsInterleavedUdpBursts) {
  constexpr int burst = 40;
  int server_port = 0;
  Fd server = bound_socket(SOCK_DGRAM, &server_port);
  std::thread echo([&] {
    while (echo_datagram(server.get())) {
    }
  });
  Driver driver;
  int port = free_port(SOCK_DGRAM);
  driver.add(Spec{"udp", "127.0.0.1", port, server_port, ""});
  Fd a = connect_to(SOCK_DGRAM, port);
  Fd b = connect_to(SOCK_DGRAM, port);
  for (int i = 0; i < burst; ++i) {
    for (auto [fd, name] : {std::pair{a.get(), "a"}, std::pair{b.get(), "b"}}) {
      std::string msg = name + std::to_string(i);
      ASSERT_EQ(::send(fd, msg.data(), msg.size(), 0), static_cast<ssize_t>(msg.size()));
    }
  }
  for (auto [fd, name] : {std::pair{a.get(), "a"}, std::pair{b.get(), "b"}}) {
    for (int i = 0; i < burst; ++i) {
      char buf[2048];
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      ASSERT_GT(n, 0) << name << ": answer " << i << " missing";
      EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), name + std::to_string(i) + "!");
    }
  }
  ::shutdown(server.get(), SHUT_RDWR);
  echo.join();
}

// A UDP echo that answers with the port the datagram came from, i.e. the flow's socket.
std::string udp_source_port_answer(int server_fd) {
  char buf[2048];
  sockaddr_in from{};
  socklen_t len = sizeof from;
  if (::recvfrom(server_fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len) <= 0) {  // 0: shut down
    return "";
  }
  std::string answer = std::to_string(ntohs(from.sin_port));
  ::sendto(server_fd, answer.data(), answer.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
  return answer;
}

TEST(BuiltinPortDriver, IdleUdpFlowsEnd) {
  int server_port = 0;
  Fd server = bound_socket(SOCK_DGRAM, &server_port);
  std::thread echo([&] {
    while (!udp_source_port_answer(server.get()).empty()) {
    }
  });
  ParentOptions options;
  options.udp_idle_timeout = std::chrono::milliseconds(200);
  Driver driver(options);
  int port = free_port(SOCK_DGRAM);
  driver.add(Spec{"udp4", "127.0.0.1", port, server_port, ""});
  Fd client = connect_to(SOCK_DGRAM, port);
  auto flow_port = [&] {
    ::send(client.get(), "x", 1, 0);
    char buf[64];
    ssize_t n = ::recv(client.get(), buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string("(no answer)");
  };
  std::string first = flow_port();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(flow_port(), first);  // traffic keeps the flow
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  std::string after_idle = flow_port();
  EXPECT_NE(after_idle, "(no answer)");
  EXPECT_NE(after_idle, first);  // a new flow, with a new socket in the child
  ::shutdown(server.get(), SHUT_RDWR);
  echo.join();
}

TEST(PrivilegedPort, MessageFollowsTheSysctl) {
  int start = unprivileged_port_start();
  ASSERT_GT(start, 0);
  const std::string cause = "listen tcp :80: bind: permission denied";
  EXPECT_EQ(explain_privileged_port(start, cause), cause);
  if (start > 1) {
    std::string text = explain_privileged_port(start - 1, cause);
    EXPECT_EQ(text.rfind("cannot expose privileged port " + std::to_string(start - 1) +
                             ", you can add 'net.ipv4.ip_unprivileged_port_start=" + std::to_string(start - 1) +
                             "' to /etc/sysctl.conf (currently " + std::to_string(start) + ")",
                         0),
              0u)
        << text;
    // The test binary is not called rootlesskit: no capability advice (as upstream).
    EXPECT_EQ(text.find("CAP_NET_BIND_SERVICE"), std::string::npos);
    EXPECT_EQ(text.substr(text.size() - cause.size()), cause);
  }
}

}  // namespace
}  // namespace rootlesskit::port::builtin

// The socat port driver end to end inside the test's own namespaces: real socat processes on
// loopback, started and supervised from an event-loop thread as the parent does, with a stand-in
// nsenter that drops its namespace options and runs the rest (the integration test
// tests/integration/test-port-socat.sh enters real namespaces). Skipped without socat.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "../network/fake_binary.h"
#include "common/error.h"
#include "common/process.h"
#include "common/process_tree.h"
#include "port/socat/socat.h"

namespace rootlesskit::port::socat {
namespace {

using std::chrono::milliseconds;

Fd bound_socket(int type, int* port) {
  Fd fd(::socket(AF_INET, type | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(*port));
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    throw errno_error("bind");
  }
  socklen_t len = sizeof a;
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
  *port = ntohs(a.sin_port);
  if (type == SOCK_STREAM) {
    ::listen(fd.get(), 64);
  }
  timeval tv{10, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

int free_port(int type) {
  int port = 0;
  bound_socket(type, &port);
  return port;
}

// One request/answer through the forwarded port; "" when the connection fails.
std::string ask(int type, int port, const std::string& request) {
  Fd c(::socket(AF_INET, type | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  timeval tv{5, 0};
  ::setsockopt(c.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(c.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::send(c.get(), request.data(), request.size(), MSG_NOSIGNAL) < 0) {
    return "";
  }
  char buf[512];
  ssize_t n = ::recv(c.get(), buf, sizeof buf, 0);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

// Answers each TCP connection's first read, or each UDP datagram, with "<it>!".
class EchoServer {
 public:
  explicit EchoServer(int type) : m_type(type), m_socket(bound_socket(type, &m_port)) {
    m_thread = std::thread([this] { serve(); });
  }
  ~EchoServer() {
    m_stop = true;
    m_thread.join();
  }
  int port() const { return m_port; }

 private:
  void serve() {
    timeval tv{0, 50'000};
    ::setsockopt(m_socket.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[512];
    while (!m_stop) {
      if (m_type == SOCK_DGRAM) {
        sockaddr_in peer{};
        socklen_t len = sizeof peer;
        ssize_t n = ::recvfrom(m_socket.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&peer), &len);
        if (n > 0) {
          std::string answer = std::string(buf, static_cast<size_t>(n)) + "!";
          ::sendto(m_socket.get(), answer.data(), answer.size(), 0, reinterpret_cast<sockaddr*>(&peer), len);
        }
        continue;
      }
      Fd conn(::accept4(m_socket.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!conn) {
        continue;
      }
      ssize_t n = ::recv(conn.get(), buf, sizeof buf, 0);
      if (n > 0) {
        std::string answer = std::string(buf, static_cast<size_t>(n)) + "!";
        (void)!::send(conn.get(), answer.data(), answer.size(), MSG_NOSIGNAL);
      }
    }
  }

  int m_type;
  int m_port = 0;
  Fd m_socket;
  std::thread m_thread;
  std::atomic<bool> m_stop{false};
};

// The socat processes this test process started for `port` (children of any of its threads).
std::vector<pid_t> socats_for(int port) {
  std::vector<pid_t> out;
  for (pid_t pid : children_of(::getpid())) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (cmdline.find("-LISTEN:" + std::to_string(port) + ",") != std::string::npos) {
      out.push_back(pid);
    }
  }
  return out;
}

template <typename F>
bool eventually(F&& condition, milliseconds timeout = milliseconds(5000)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
  return true;
}

// The driver on its own loop thread; the stand-in nsenter skips to the socat path.
class Driver {
 public:
  Driver() {
    std::string socat = look_path("socat");
    m_nsenter =
        std::make_unique<network::FakeBinary>("while [ \"$1\" != " + socat + " ]; do shift; done\nexec \"$@\"\n");
    m_driver = std::make_unique<ParentDriver>(resolve(Options{socat, m_nsenter->path(), milliseconds(2000)}));
    m_driver->start(m_loop, ChildContext{::getpid(), "/tmp", "", ""});
    m_thread = std::make_unique<LoopThread>(m_loop);
  }
  ~Driver() {
    m_loop.call([this] { m_driver->stop(); });
    m_thread.reset();
  }
  Status add(const Spec& spec) {
    return m_loop.call([&] { return m_driver->add_port(spec); });
  }
  void remove(int id) {
    m_loop.call([&] { m_driver->remove_port(id); });
  }
  void stop() {
    m_loop.call([&] { m_driver->stop(); });
  }
  std::vector<Status> list() {
    return m_loop.call([&] { return m_driver->list_ports(); });
  }
  std::string add_error(const Spec& spec) {
    try {
      add(spec);
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }
  std::string remove_error(int id) {
    try {
      remove(id);
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }
  DriverInfo info() const { return m_driver->info(); }

 private:
  EventLoop m_loop;
  std::unique_ptr<network::FakeBinary> m_nsenter;
  std::unique_ptr<ParentDriver> m_driver;
  std::unique_ptr<LoopThread> m_thread;
};

class SocatDriver : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      look_path("socat");
    } catch (const Error&) {
      GTEST_SKIP() << "socat is not installed (scripts/install-deps.sh installs it)";
    }
  }
};

TEST_F(SocatDriver, ForwardsTcpAndUdp) {
  Driver d;
  EchoServer tcp(SOCK_STREAM), udp(SOCK_DGRAM);
  int tcp_port = free_port(SOCK_STREAM), udp_port = free_port(SOCK_DGRAM);
  EXPECT_EQ(d.add(Spec{"tcp", "127.0.0.1", tcp_port, tcp.port(), ""}).id, 1);
  EXPECT_EQ(d.add(Spec{"udp", "", udp_port, udp.port(), ""}).id, 2);
  // add_port returned once socat listens: no retry needed.
  EXPECT_EQ(ask(SOCK_STREAM, tcp_port, "hello"), "hello!");
  EXPECT_EQ(ask(SOCK_STREAM, tcp_port, "again"), "again!");
  EXPECT_EQ(ask(SOCK_DGRAM, udp_port, "datagram"), "datagram!");
  EXPECT_EQ(d.list().size(), 2U);
  EXPECT_EQ(d.info().driver, "socat");
  EXPECT_EQ(d.info().protos, (std::vector<std::string>{"tcp", "udp"}));
}

TEST_F(SocatDriver, PortInUseFailsWithSocatsError) {
  Driver d;
  int port = 0;
  Fd taken = bound_socket(SOCK_STREAM, &port);
  std::string error = d.add_error(Spec{"tcp", "127.0.0.1", port, 80, ""});
  EXPECT_EQ(error.rfind("socat exited: exit status 1: socat[", 0), 0U) << error;
  EXPECT_NE(error.find("Address already in use"), std::string::npos) << error;
  EXPECT_TRUE(d.list().empty());
  EXPECT_TRUE(socats_for(port).empty());
}

TEST_F(SocatDriver, UpstreamMessagesAndIds) {
  Driver d;
  int port = free_port(SOCK_STREAM);
  EXPECT_EQ(d.add_error(Spec{"tcp6", "", port, 80, ""}), "unsupported proto: tcp6");
  EXPECT_EQ(d.add_error(Spec{"tcp", "::1", port, 80, ""}), "unsupported parentIP (v6?): ::1");
  EXPECT_EQ(d.add_error(Spec{"tcp", "", 0, 80, ""}), "invalid ParentPort: '\\x00'");
  EXPECT_EQ(d.add(Spec{"tcp", "", port, 80, ""}).id, 1);
  EXPECT_EQ(d.add_error(Spec{"tcp", "", port, 81, ""}), "conflict with ID 1");
  EXPECT_EQ(d.remove_error(7), "unknown port id: 7");
  d.remove(1);
  EXPECT_EQ(d.remove_error(1), "unknown port id: 1");
  EXPECT_EQ(d.add(Spec{"tcp", "", port, 80, ""}).id, 2);  // ids are never reused
}

TEST_F(SocatDriver, RemoveKillsSocatAndClosesThePort) {
  Driver d;
  EchoServer tcp(SOCK_STREAM);
  int port = free_port(SOCK_STREAM);
  int id = d.add(Spec{"tcp", "127.0.0.1", port, tcp.port(), ""}).id;
  ASSERT_EQ(ask(SOCK_STREAM, port, "x"), "x!");
  std::vector<pid_t> before = socats_for(port);
  ASSERT_FALSE(before.empty());
  d.remove(id);
  EXPECT_TRUE(socats_for(port).empty());
  EXPECT_EQ(ask(SOCK_STREAM, port, "x"), "");
}

TEST_F(SocatDriver, RestartsAKilledSocat) {
  Driver d;
  EchoServer tcp(SOCK_STREAM);
  int port = free_port(SOCK_STREAM);
  d.add(Spec{"tcp", "127.0.0.1", port, tcp.port(), ""});
  std::vector<pid_t> first = socats_for(port);
  ASSERT_EQ(first.size(), 1U);
  ::kill(first[0], SIGKILL);
  ASSERT_TRUE(eventually([&] {
    std::vector<pid_t> now = socats_for(port);
    return now.size() == 1 && now[0] != first[0] && ask(SOCK_STREAM, port, "back") == "back!";
  }));
  d.stop();
  EXPECT_TRUE(socats_for(port).empty());
}

}  // namespace
}  // namespace rootlesskit::port::socat

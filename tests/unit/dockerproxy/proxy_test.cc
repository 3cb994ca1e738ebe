// rootlesskit-docker-proxy end to end, in-process: a fake RootlessKit API server on a thread of
// the test, the program forked (it blocks signals and forks the real proxy, so it gets a process
// of its own) with fd 3 a pipe the test reads like dockerd, and a fake `docker-proxy` script in a
// temporary $PATH that records its argv, writes "0\n" to fd 3 and sleeps.
#include "dockerproxy/proxy.h"
#include "cli/docker_proxy_flags.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>

#include "../api/api_test_util.h"
#include "api/client.h"
#include "common/fd.h"

namespace rootlesskit::dockerproxy {
namespace {

using api::testing::FakePorts;
using api::testing::RunningServer;
using api::testing::TempDir;

// The fake docker-proxy. $FAKE_PROXY_MODE "fail": reports an error on fd 3 and exits 3, like
// the real one when it cannot listen.
constexpr const char* fake_proxy_script = R"(#!/bin/sh
printf '%s\n' "$@" > "$(dirname "$0")/args"
if [ "$FAKE_PROXY_MODE" = fail ]; then
  printf '1\nlisten tcp4 127.0.0.1:18080: bind: address already in use' >&3
  exit 3
fi
printf '0\n' >&3
exec sleep 60
)";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A directory for $PATH holding the fake docker-proxy (or nothing, for the lookup failure).
class FakeBin {
 public:
  explicit FakeBin(bool with_proxy = true) {
    if (with_proxy) {
      std::ofstream(path() + "/docker-proxy") << fake_proxy_script;
      ::chmod((path() + "/docker-proxy").c_str(), 0755);
    }
  }
  const std::string& path() const { return m_dir.path(); }
  std::string args() const { return slurp(path() + "/args"); }

 private:
  TempDir m_dir;
};

std::string dir_of(const std::string& socket) { return socket.substr(0, socket.rfind('/')); }

// The program (cli::docker_proxy_main) in a forked process: fd 3 is a pipe read here, stderr goes to a file.
class ProxyProcess {
 public:
  ProxyProcess(const std::vector<std::string>& args, const std::string& state_dir, const FakeBin& bin,
               const std::string& mode = "")
      : m_stderr(m_dir.path() + "/stderr") {
    std::vector<std::string> argv = {"rootlesskit-docker-proxy"};
    argv.insert(argv.end(), args.begin(), args.end());
    Pipe fd3 = make_pipe();
    m_pid = ::fork();
    if (m_pid == 0) {
      // The pipe itself may sit on fd 3: move the write end out of the way first.
      const int write_end = ::fcntl(fd3.write.get(), F_DUPFD_CLOEXEC, 10);
      fd3.write.reset();
      fd3.read.reset();
      ::dup2(write_end, 3);  // dup2 clears close-on-exec, as dockerd's ExtraFiles do
      ::close(write_end);
      const int err = ::open(m_stderr.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      ::dup2(err, STDERR_FILENO);
      ::close(err);
      state_dir.empty() ? ::unsetenv("ROOTLESSKIT_STATE_DIR") : ::setenv("ROOTLESSKIT_STATE_DIR", state_dir.c_str(), 1);
      ::setenv("PATH", (bin.path() + ":/usr/bin:/bin").c_str(), 1);
      ::setenv("FAKE_PROXY_MODE", mode.c_str(), 1);
      int code = 99;
      try {
        code = cli::docker_proxy_main(argv);
      } catch (...) {
      }
      ::_exit(code);
    }
    m_fd3 = std::move(fd3.read);
  }
  ~ProxyProcess() {
    if (m_pid > 0) {
      ::kill(m_pid, SIGKILL);
      ::waitpid(m_pid, nullptr, 0);
    }
  }

  // What dockerd reads: `n` bytes, or less at EOF; fails the test after 10 s.
  std::string read_fd3(size_t n) {
    std::string out;
    while (out.size() < n) {
      pollfd p{m_fd3.get(), POLLIN, 0};
      if (::poll(&p, 1, 10000) != 1) {
        ADD_FAILURE() << "nothing on fd 3 within 10 s; got [" << out << "]";
        break;
      }
      char buf[256];
      ssize_t r = ::read(m_fd3.get(), buf, std::min(sizeof buf, n - out.size()));
      if (r <= 0) {
        break;
      }
      out.append(buf, static_cast<size_t>(r));
    }
    return out;
  }
  std::string read_fd3_to_end() { return read_fd3(1 << 16); }

  void signal(int sig) const { ::kill(m_pid, sig); }
  // Exit code (or 1000 + signal number) once it ends; fails the test after 10 s.
  int wait() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int status = 0;
    while (::waitpid(m_pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "rootlesskit-docker-proxy did not exit within 10 s";
        return -1;
      }
      ::usleep(10000);
    }
    m_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
  }
  std::string stderr_text() const { return slurp(m_stderr); }

 private:
  TempDir m_dir;
  std::string m_stderr;
  pid_t m_pid = -1;
  Fd m_fd3;
};

const std::vector<std::string> proxy_args = {"-proto", "tcp",           "-host-ip",   "127.0.0.1",       "-host-port",
                                             "18080",  "-container-ip", "172.17.0.2", "-container-port", "80"};

std::vector<api::PortStatus> ports_of(const RunningServer& srv) { return api::Client::open(srv.socket()).list_ports(); }

void expect_publishes_then_removes_on(int stop_signal) {
  FakePorts ports;
  RunningServer srv(&ports);
  FakeBin bin;
  ProxyProcess proxy(proxy_args, dir_of(srv.socket()), bin);
  ASSERT_EQ(proxy.read_fd3(2), "0\n");  // written by the fake docker-proxy
  EXPECT_EQ(ports_of(srv), (std::vector<api::PortStatus>{{1, {"tcp4", "127.0.0.1", 18080, 18080, "127.0.0.1"}}}));
  EXPECT_EQ(bin.args(),
            "-container-ip\n172.17.0.2\n-container-port\n80\n-host-ip\n127.0.0.1\n"
            "-host-port\n18080\n-proto\ntcp\n");
  proxy.signal(stop_signal);
  EXPECT_EQ(proxy.wait(), 0) << proxy.stderr_text();
  EXPECT_TRUE(ports_of(srv).empty());
  EXPECT_EQ(proxy.read_fd3_to_end(), "");  // EOF: the real proxy was killed, our copy closed
  EXPECT_EQ(proxy.stderr_text(), "");
}

TEST(DockerProxy, PublishesThenRemovesOnSigint) { expect_publishes_then_removes_on(SIGINT); }

// Upstream leaks the port on SIGTERM.
TEST(DockerProxy, PublishesThenRemovesOnSigterm) { expect_publishes_then_removes_on(SIGTERM); }

TEST(DockerProxy, DisallowLoopbackChildIpUsesTheNetworkDriversIp) {
  FakePorts ports;
  RunningServer srv(&ports, [] {
    api::Info info = api::testing::sample_info();
    info.port_driver = api::PortDriverInfo{"slirp4netns", {"tcp", "tcp4", "udp", "udp4"}, true};
    return info;
  });
  FakeBin bin;
  ProxyProcess proxy(
      {"-host-ip", "0.0.0.0", "-host-port", "18081", "-container-ip", "172.17.0.2", "-container-port", "80"},
      dir_of(srv.socket()), bin);
  ASSERT_EQ(proxy.read_fd3(2), "0\n");
  EXPECT_EQ(ports_of(srv), (std::vector<api::PortStatus>{{1, {"tcp4", "0.0.0.0", 18081, 18081, "10.0.2.100"}}}));
  EXPECT_NE(bin.args().find("-host-ip\n10.0.2.100\n"), std::string::npos) << bin.args();
  proxy.signal(SIGINT);
  EXPECT_EQ(proxy.wait(), 0);
  EXPECT_TRUE(ports_of(srv).empty());
}

TEST(DockerProxy, UnsupportedProtoIsDiscardedWithZeroOnFd3) {
  FakePorts ports;
  RunningServer srv(&ports, [] {
    api::Info info = api::testing::sample_info();
    info.port_driver = api::PortDriverInfo{"slirp4netns", {"tcp", "tcp4", "udp", "udp4"}, true};
    return info;
  });
  FakeBin bin;
  ProxyProcess proxy({"-host-ip", "::", "-host-port", "80"}, dir_of(srv.socket()), bin);
  EXPECT_EQ(proxy.read_fd3_to_end(), "0\n");
  EXPECT_EQ(proxy.wait(), 0);
  EXPECT_NE(proxy.stderr_text().find("protocol \\\"tcp6\\\" is not supported by the RootlessKit port driver "
                                     "\\\"slirp4netns\\\", discarding request for \\\"[::]:80\\\""),
            std::string::npos)
      << proxy.stderr_text();
  EXPECT_TRUE(ports_of(srv).empty());
  EXPECT_EQ(bin.args(), "");  // the real docker-proxy never ran
}

void expect_execs_real_proxy_for(std::optional<api::PortDriverInfo> driver) {
  FakePorts ports;
  RunningServer srv(&ports, [driver] {
    api::Info info = api::testing::sample_info();
    info.port_driver = driver;
    return info;
  });
  FakeBin bin;
  ProxyProcess proxy({"--proto=udp", "-host-ip", "::", "-host-port", "5353", "extra"}, dir_of(srv.socket()), bin);
  ASSERT_EQ(proxy.read_fd3(2), "0\n");
  EXPECT_EQ(bin.args(), "--proto=udp\n-host-ip\n::\n-host-port\n5353\nextra\n");
  EXPECT_TRUE(ports_of(srv).empty());
  proxy.signal(SIGKILL);  // it is the fake proxy's sleep now
  EXPECT_EQ(proxy.wait(), 1000 + SIGKILL);
}

TEST(DockerProxy, NoPortDriverExecsTheRealProxyWithTheSameArgs) { expect_execs_real_proxy_for(std::nullopt); }
TEST(DockerProxy, ImplicitPortDriverExecsTheRealProxy) {
  expect_execs_real_proxy_for(api::PortDriverInfo{"implicit", {}, false});
}

TEST(DockerProxy, RealProxyDyingRemovesThePortAndFails) {
  FakePorts ports;
  RunningServer srv(&ports);
  FakeBin bin;
  ProxyProcess proxy(proxy_args, dir_of(srv.socket()), bin, "fail");
  // dockerd sees the real proxy's own report, then EOF as soon as it exits.
  EXPECT_EQ(proxy.read_fd3_to_end(), "1\nlisten tcp4 127.0.0.1:18080: bind: address already in use");
  EXPECT_EQ(proxy.wait(), 1);
  EXPECT_TRUE(std::regex_match(
      proxy.stderr_text(),
      std::regex(R"(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d docker-proxy exited unexpectedly: exit status 3\n)")))
      << proxy.stderr_text();
  EXPECT_TRUE(ports_of(srv).empty());
}

// Errors: "1\n<error>" on fd 3 and Go's log.Fatal line on stderr, exit 1.
void expect_error(ProxyProcess& proxy, const std::string& message) {
  EXPECT_EQ(proxy.read_fd3_to_end(), "1\n" + message);
  EXPECT_EQ(proxy.wait(), 1);
  std::string err = proxy.stderr_text();
  EXPECT_TRUE(std::regex_match(err, std::regex(R"(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d [^]*\n)"))) << err;
  EXPECT_EQ(err.substr(std::min<size_t>(20, err.size())), message + "\n");
}

TEST(DockerProxy, StateDirIsRequired) {
  FakeBin bin;
  ProxyProcess proxy(proxy_args, "", bin);
  expect_error(proxy, "$ROOTLESSKIT_STATE_DIR needs to be set");
}

TEST(DockerProxy, MissingSocket) {
  FakeBin bin;
  TempDir state;
  ProxyProcess proxy(proxy_args, state.path() + "/", bin);
  expect_error(proxy, "error while connecting to RootlessKit API socket: stat " + state.path() +
                          "/api.sock: no such file or directory");
}

TEST(DockerProxy, InfoFailureNamesTheVersionHint) {
  FakeBin bin;
  TempDir state;
  // A socket nobody listens on: the connect is refused.
  Fd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string path = state.path() + "/api.sock";
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
  ASSERT_EQ(::bind(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ProxyProcess proxy(proxy_args, state.path(), bin);
  std::string fd3 = proxy.read_fd3_to_end();
  EXPECT_EQ(fd3.rfind("1\nfailed to call info API, probably RootlessKit binary is too old (needs "
                      "to be v0.14.0 or later): ",
                      0),
            0u)
      << fd3;
  EXPECT_EQ(proxy.wait(), 1);
}

TEST(DockerProxy, AddPortErrorIsWrapped) {
  FakePorts ports;
  RunningServer srv(&ports);
  api::Client::open(srv.socket()).add_port({"tcp4", "127.0.0.1", 18080, 80, ""});
  FakeBin bin;
  ProxyProcess proxy(proxy_args, dir_of(srv.socket()), bin);
  expect_error(proxy, "error while calling PortManager.AddPort(): conflict with ID 1");
  EXPECT_EQ(ports_of(srv).size(), 1u);
  EXPECT_EQ(bin.args(), "");
}

TEST(DockerProxy, MissingRealProxyRemovesThePort) {
  FakePorts ports;
  RunningServer srv(&ports);
  FakeBin bin(false);
  ProxyProcess proxy(proxy_args, dir_of(srv.socket()), bin);
  expect_error(proxy,
               "error while starting docker-proxy: exec: \"docker-proxy\": executable "
               "file not found in $PATH");
  EXPECT_TRUE(ports_of(srv).empty());
}

TEST(DockerProxy, BadFlagPrintsUsageAndExits2WithoutTouchingFd3) {
  FakeBin bin;
  ProxyProcess proxy({"-bogus"}, "/nonexistent", bin);
  EXPECT_EQ(proxy.read_fd3_to_end(), "");
  EXPECT_EQ(proxy.wait(), 2);
  EXPECT_EQ(proxy.stderr_text().rfind("flag provided but not defined: -bogus\n"
                                      "Usage of rootlesskit-docker-proxy:\n  -container-ip string\n",
                                      0),
            0u)
      << proxy.stderr_text();
}

}  // namespace
}  // namespace rootlesskit::dockerproxy

// The innermost stage's service: a report of its namespaces, one listener, one signalfd, one
// poll loop. Runs as uid 0 in the new namespaces, after the child set them up.
#include "service.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "api_client.h"
#include "rootlesskit/error.h"

namespace embed {
namespace {

rootlesskit::Error errno_error(const std::string& what) {
  return rootlesskit::Error(what + ": " + std::strerror(errno));
}

// Owns one fd (move-only).
class Fd {
 public:
  explicit Fd(int fd) : m_fd(fd) {}
  Fd(Fd&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
  Fd& operator=(Fd&&) = delete;
  ~Fd() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
  }
  int get() const { return m_fd; }

 private:
  int m_fd;
};

void report_namespaces() {
  for (const char* ns : {"user", "mnt", "net", "pid", "uts", "ipc", "cgroup"}) {
    char link[256] = {};
    std::string path = std::string("/proc/self/ns/") + ns;
    if (::readlink(path.c_str(), link, sizeof link - 1) < 0) {
      throw errno_error("readlink " + path);
    }
    std::printf("ns %s %s\n", ns, link);
  }
  std::printf("uid %d\npid %d\n", static_cast<int>(::getuid()), static_cast<int>(::getpid()));
}

// Every IPv4 address but loopback's, e.g. "addr tap0 10.41.0.100/16".
void report_addresses() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) < 0) {
    throw errno_error("getifaddrs");
  }
  for (ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET || (a->ifa_flags & IFF_LOOPBACK) != 0) {
      continue;
    }
    char text[INET_ADDRSTRLEN];
    ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, text, sizeof text);
    uint32_t mask = ntohl(reinterpret_cast<sockaddr_in*>(a->ifa_netmask)->sin_addr.s_addr);
    std::printf("addr %s %s/%d\n", a->ifa_name, text, __builtin_popcount(mask));
  }
  ::freeifaddrs(list);
}

// The filesystem mounted last on `dir` ("tmpfs" for a copied-up dir), or "-" when none is.
std::string mount_type(const std::string& dir) {
  std::ifstream mountinfo("/proc/self/mountinfo");
  std::string type = "-";
  for (std::string line; std::getline(mountinfo, line);) {
    std::istringstream fields(line);
    std::string id, parent, dev, root, mountpoint, word;
    fields >> id >> parent >> dev >> root >> mountpoint;
    while (fields >> word && word != "-") {
    }
    if (mountpoint == dir && fields >> word) {
      type = word;
    }
  }
  return type;
}

// What k3s does next (it creates /etc/rancher, k3s pkg/rootless/mounts.go): possible only in a
// copied-up /etc, since the host's /etc belongs to the host's root, who is nobody here.
void write_to_etc() {
  if (::mkdir("/etc/embed", 0755) < 0 && errno != EEXIST) {
    throw errno_error("mkdir /etc/embed (is /etc copied up?)");
  }
  std::ofstream out("/etc/embed/hello");
  out << "written by the embed example\n";
  if (!out.flush()) {
    throw rootlesskit::Error("cannot write /etc/embed/hello");
  }
  std::printf("wrote /etc/embed/hello\n");
}

Fd listen_tcp(const rootlesskit::port::Spec& spec) {
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) {
    throw errno_error("socket");
  }
  int on = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(spec.child_port));
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 || ::listen(fd.get(), 64) < 0) {
    throw errno_error("listen on port " + std::to_string(spec.child_port));
  }
  return fd;
}

// SIGTERM and SIGINT become readable on the returned fd. Blocked before anything else, so a
// stop request that comes early is kept rather than killing us half-way.
Fd stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
  Fd fd(::signalfd(-1, &set, SFD_CLOEXEC));
  if (fd.get() < 0) {
    throw errno_error("signalfd");
  }
  return fd;
}

// Answers connections until a stop signal; returns its name.
std::string serve(const Fd& listener, const Fd& signals) {
  while (true) {
    pollfd fds[2] = {{listener.get(), POLLIN, 0}, {signals.get(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw errno_error("poll");
    }
    if (fds[1].revents != 0) {
      signalfd_siginfo info{};
      if (::read(signals.get(), &info, sizeof info) == sizeof info) {
        return sigabbrev_np(static_cast<int>(info.ssi_signo));
      }
    }
    if (fds[0].revents != 0) {
      Fd connection(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (connection.get() >= 0) {
        // One short line into an empty socket buffer: it is written whole or not at all.
        [[maybe_unused]] ssize_t n = ::write(connection.get(), greeting, std::strlen(greeting));
      }
    }
  }
}

}  // namespace

int run_service(const ServiceOptions& o) {
  Fd signals = stop_signals();
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // a reader sees each line as it is printed
  report_namespaces();
  report_addresses();
  for (const std::string& dir : o.copy_up_dirs) {
    std::printf("mount %s %s\n", dir.c_str(), mount_type(dir).c_str());
  }
  write_to_etc();
  std::printf("api %s\n", o.api_socket.c_str());
  Fd listener = listen_tcp(o.publish);
  int id = add_port(o.api_socket, o.publish);
  std::printf("published %d %s:%d:%d/%s\n", id, o.publish.parent_ip.c_str(), o.publish.parent_port,
              o.publish.child_port, o.publish.proto.c_str());
  std::printf("ready\n");
  std::string signal = serve(listener, signals);
  std::printf("stopping: SIG%s\n", signal.c_str());
  remove_port(o.api_socket, id);
  std::printf("unpublished %d\n", id);
  return 0;
}

}  // namespace embed

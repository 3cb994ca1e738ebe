// vpnkit relay processes: setup and report, then one blocking copy loop per direction.
#include "network/vpnkit/relay.h"

#include <fcntl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "common/fd.h"
#include "common/log.h"
#include "network/netns.h"
#include "network/tap.h"
#include "network/vpnkit/connection.h"

namespace rootlesskit::network::vpnkit {
namespace {

constexpr int report_fd = 3;
constexpr auto dial_timeout = std::chrono::seconds(10);
// Dialing plus the handshake: the relay always answers before this.
constexpr int report_timeout_ms = 20000;
constexpr char tag_ok = 'K';
constexpr char tag_error = 'E';
// Shown by ps; the child's own name is "exe" (it runs /proc/self/exe).
constexpr const char* process_name = "tap-relay";

struct Endpoints {
  Fd tap;
  Fd socket;
};

// The relay keeps only stderr (for its log lines) and the report pipe as fd 3: nothing of the
// child's (its pipes to the parent, its signalfd, COMMAND's stdout) stays open because of it.
void isolate(int report) {
  if (report != report_fd && ::dup2(report, report_fd) < 0) {
    ::_exit(1);
  }
  ::close_range(report_fd + 1, ~0U, 0);
  int null = ::open("/dev/null", O_RDWR);
  if (null >= 0) {
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::close(null);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

void report(char tag, const std::string& text) {
  std::string body = tag + text;
  try {
    write_all(report_fd, body.data(), body.size());
  } catch (...) {
  }
  ::close(report_fd);
}

Endpoints open_endpoints(const RelayRequest& r) {
  if (!r.detached_netns_path.empty()) {
    OpenedNetns(NetnsTarget{"", r.detached_netns_path}).enter();
  }
  Endpoints e;
  // Persistent, so that the device goes away with the namespace (the kernel cleans up a dead
  // netns asynchronously) and not when our fd closes: unregistering a netdev waits for RCU grace
  // periods, which made every exit ~20 ms slower while the child reaped this process.
  create_persistent_tap(r.ifname);
  e.tap = open_tap(r.ifname);
  set_mac_address(r.ifname, r.mac);
  e.socket = dial(r.socket_path, dial_timeout);
  exchange_handshake(e.socket.get());
  VifInfo vif = connect_vif(e.socket.get(), r.uuid);
  if (vif.mac != r.mac) {
    log::warn("vpnkit gave vif {} the MAC {} now, {} before", r.uuid, dhcp::to_string(vif.mac), dhcp::to_string(r.mac));
  }
  return e;
}

[[noreturn]] void copy_tap_to_socket(int tap, int socket) {
  std::vector<uint8_t> buf(frame_header_size + max_frame_size);
  while (true) {
    ssize_t n = ::read(tap, buf.data() + frame_header_size, max_frame_size);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
      continue;
    }
    if (n <= 0) {
      log::error("vpnkit relay: reading from the tap: {}", n == 0 ? "EOF" : errno_text(errno));
      ::_exit(1);
    }
    auto header = encode_frame_header(static_cast<size_t>(n));
    std::memcpy(buf.data(), header.data(), header.size());
    try {
      write_all(socket, buf.data(), frame_header_size + static_cast<size_t>(n));
    } catch (const Error& e) {
      log::error("vpnkit relay: writing to VPNKit: {}", e.what());
      ::_exit(1);
    }
  }
}

[[noreturn]] void copy_socket_to_tap(int socket, int tap) {
  std::vector<uint8_t> frame;
  try {
    while (read_frame(socket, frame)) {
      // A tap that is still down answers EIO: the frame is dropped, as a NIC would.
      while (::write(tap, frame.data(), frame.size()) < 0 && errno == EINTR) {
      }
    }
    log::error("vpnkit relay: VPNKit closed the connection");
  } catch (const Error& e) {
    log::error("vpnkit relay: reading from VPNKit: {}", e.what());
  }
  ::_exit(1);
}

void exit_on_sigchld(int) { ::_exit(1); }

// After the report: forks the socket -> tap copier and becomes the tap -> socket one. When
// either ends, so does the other (SIGCHLD here, PDEATHSIG there).
[[noreturn]] void relay_frames(Endpoints& e) {
  struct sigaction action {};
  action.sa_handler = exit_on_sigchld;
  ::sigaction(SIGCHLD, &action, nullptr);
  pid_t self = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != self) {
      ::_exit(1);
    }
    copy_socket_to_tap(e.socket.get(), e.tap.get());
  }
  if (pid < 0) {
    log::error("vpnkit relay: fork: {}", errno_text(errno));
    ::_exit(1);
  }
  copy_tap_to_socket(e.tap.get(), e.socket.get());
}

[[noreturn]] void relay_main(const RelayRequest& r, pid_t parent, int report_write) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) {
    ::_exit(1);
  }
  ::prctl(PR_SET_NAME, process_name);
  isolate(report_write);
  Endpoints e;
  try {
    e = open_endpoints(r);
  } catch (const std::exception& ex) {
    report(tag_error, ex.what());
    ::_exit(1);
  }
  report(tag_ok, "");
  relay_frames(e);
}

std::string read_report(int fd) {
  pollfd p{fd, POLLIN, 0};
  int n = 0;
  while ((n = ::poll(&p, 1, report_timeout_ms)) < 0 && errno == EINTR) {
  }
  if (n == 0) {
    throw Error("the vpnkit relay did not answer within " + std::to_string(report_timeout_ms / 1000) + "s");
  }
  return read_to_end(fd);
}

}  // namespace

Relay::Relay(const RelayRequest& r) {
  pid_t parent = ::getpid();
  Worker worker = fork_worker("vpnkit relay", [&](int report) { relay_main(r, parent, report); });
  m_process = std::move(worker.process);
  std::string answer = read_report(worker.report.get());
  if (answer.empty()) {
    int status = m_process.wait();
    throw Error("the vpnkit relay exited: " + describe_wait_status(status));
  }
  if (answer.front() != tag_ok) {
    m_process.wait();
    throw Error(answer.substr(1));
  }
}

void set_mac_address(const std::string& ifname, const MacAddress& mac) {
  const std::string what = "failed to set MAC address " + dhcp::to_string(mac) + " on " + ifname;
  if (ifname.empty() || ifname.size() >= IFNAMSIZ) {
    throw Error(what + ": invalid interface name");
  }
  Fd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock) {
    throw errno_error(what + ": socket");
  }
  ifreq req{};
  std::strncpy(req.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
  req.ifr_hwaddr.sa_family = ARPHRD_ETHER;
  std::memcpy(req.ifr_hwaddr.sa_data, mac.data(), mac.size());
  if (::ioctl(sock.get(), SIOCSIFHWADDR, &req) != 0) {
    throw errno_error(what);
  }
}

}  // namespace rootlesskit::network::vpnkit

// vpnkit relay workers (common/spawn.h): setup and report, then one blocking copy loop per direction.
#include "network/vpnkit/relay.h"

#include <net/if.h>
#include <net/if_arp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "common/error.h"
#include "common/fd.h"
#include "common/log.h"
#include "common/spawn.h"
#include "network/netns.h"
#include "network/tap.h"
#include "network/vpnkit/connection.h"

namespace rootlesskit::network::vpnkit {
namespace {

constexpr auto dial_timeout = std::chrono::seconds(10);
// Dialing plus the handshake: the relay always answers before this.
constexpr auto report_timeout = std::chrono::seconds(20);
// Where the socket -> tap copier finds its two fds.
constexpr int copier_tap_fd = 4;
constexpr int copier_socket_fd = 5;
// Shown by ps, where it would otherwise look like the child itself.
constexpr const char* process_name = "tap-relay";

struct Endpoints {
  Fd tap;
  Fd socket;
};

Endpoints open_endpoints(const RelayRequest& r) {
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

// After the report: starts the socket -> tap copier (a worker of the relay) and becomes the tap
// -> socket one. When either ends, so does the other (SIGCHLD here, PDEATHSIG there).
[[noreturn]] void relay_frames(Endpoints& e) {
  struct sigaction action {};
  action.sa_handler = exit_on_sigchld;
  ::sigaction(SIGCHLD, &action, nullptr);
  ProcessSetup setup;
  setup.fds = {{copier_tap_fd, e.tap.get()}, {copier_socket_fd, e.socket.get()}};
  try {
    Worker copier = spawn_worker("vpnkit relay copier", setup, [] {
      report_ready();
      copy_socket_to_tap(copier_socket_fd, copier_tap_fd);
    });
    copier.await_ready();
    copier.process().release();  // it ends with us (PDEATHSIG), and we with it (SIGCHLD)
  } catch (const Error& ex) {
    log::error("vpnkit relay: {}", ex.what());
    ::_exit(1);
  }
  copy_tap_to_socket(e.tap.get(), e.socket.get());
}

// The relay's body, after its setup steps (common/spawn.h: stdio, fds, the detached netns).
[[noreturn]] void relay_main(const RelayRequest& r) {
  ::prctl(PR_SET_NAME, process_name);
  Endpoints e = open_endpoints(r);
  report_ready();
  relay_frames(e);
}

}  // namespace

Relay::Relay(const RelayRequest& r) {
  std::optional<OpenedNetns> netns;
  if (!r.detached_netns_path.empty()) {
    netns.emplace(NetnsTarget{"", r.detached_netns_path});
  }
  ProcessSetup setup;
  if (netns) {
    setup.namespaces = netns->joins();
  }
  Worker worker = spawn_worker("the vpnkit relay", setup, [&] { relay_main(r); });
  worker.await_ready(report_timeout);
  m_process = std::move(worker.process());
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

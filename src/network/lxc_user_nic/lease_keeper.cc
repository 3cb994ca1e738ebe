// Lease keeper: a worker (common/spawn.h) that acquires, configures, reports, renews forever.
#include "network/lxc_user_nic/lease_keeper.h"

#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "common/error.h"
#include "common/log.h"
#include "common/spawn.h"
#include "network/dhcp/client.h"
#include "network/netlink.h"
#include "network/netns.h"

namespace rootlesskit::network::lxc_user_nic {
namespace {

using Clock = std::chrono::steady_clock;
// Two DHCP exchanges plus netlink: the keeper always answers before this.
constexpr auto report_timeout = 3 * dhcp_timeout;

// The DHCPRELEASE the keeper sends when it is told to stop (SIGTERM, which is also its
// PDEATHSIG): prepared in advance, because a signal handler may only call sendto(2) and _exit(2).
struct PreparedRelease {
  int fd = -1;
  sockaddr_in to{};
  uint8_t bytes[576] = {};
  size_t size = 0;
};
PreparedRelease prepared_release;

extern "C" void release_and_exit(int) {
  if (prepared_release.size > 0) {
    ::sendto(prepared_release.fd, prepared_release.bytes, prepared_release.size, MSG_DONTWAIT,
             reinterpret_cast<const sockaddr*>(&prepared_release.to), sizeof prepared_release.to);
  }
  ::_exit(0);
}

// Called with each new lease; SIGTERM is blocked while the handler's copy changes.
void prepare_release(const dhcp::Client& client, const dhcp::Lease& lease) {
  if (lease.server == dhcp::Ipv4Address{}) {
    return;  // no server identifier: a RELEASE could not name its server
  }
  std::vector<uint8_t> bytes =
      dhcp::encode(dhcp::make_release(dhcp::random_xid(), client.mac(), lease.ip, lease.server));
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  ::sigprocmask(SIG_BLOCK, &term, nullptr);
  prepared_release.fd = client.fd();
  prepared_release.to.sin_family = AF_INET;
  prepared_release.to.sin_port = htons(dhcp::server_port);
  std::memcpy(&prepared_release.to.sin_addr, lease.server.data(), lease.server.size());
  prepared_release.size = std::min(bytes.size(), sizeof prepared_release.bytes);
  std::memcpy(prepared_release.bytes, bytes.data(), prepared_release.size);
  ::sigprocmask(SIG_UNBLOCK, &term, nullptr);
}

void sleep_for(std::chrono::seconds s) {
  timespec left{static_cast<time_t>(s.count()), 0};
  while (::nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
}

messages::NetworkDriverCompleted describe(const KeeperRequest& r, const dhcp::Lease& lease) {
  messages::NetworkDriverCompleted m;
  m.dev = r.dev;
  m.mtu = r.mtu;
  m.ip = dhcp::to_string(lease.ip);
  m.netmask = lease.prefix;
  m.gateway = dhcp::to_string(lease.router);
  m.dns = {dhcp::to_string(lease.dns.front())};  // upstream uses the first DNS server only
  return m;
}

// Renews until it succeeds; returns the fresh lease. Retries (rebinding by broadcast) while the
// server does not answer; an expired lease is only logged: the address stays configured.
dhcp::Lease renew(dhcp::Client& client, const dhcp::Lease& lease, Clock::time_point expiry, const std::string& dev) {
  bool broadcast = false;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::seconds>(expiry - Clock::now());
    try {
      return client.renew(lease, broadcast, std::clamp(left, std::chrono::seconds(5), dhcp_timeout));
    } catch (const Error& e) {
      if (left.count() <= 0) {
        log::error("the DHCP lease of {} on {} has expired; still trying to renew it: {}", dhcp::to_string(lease.ip),
                   dev, e.what());
      } else {
        log::warn("failed to renew the DHCP lease of {} on {}: {}", dhcp::to_string(lease.ip), dev, e.what());
      }
    }
    broadcast = true;
    sleep_for(retry_delay(std::chrono::duration_cast<std::chrono::seconds>(expiry - Clock::now())));
  }
}

// Never returns while renewals succeed. Returns when the server moves us to another address:
// the interface keeps the old one (reconfiguring under COMMAND's feet would break its sockets;
// upstream panics instead).
void keep(dhcp::Client& client, dhcp::Lease lease, const std::string& dev) {
  while (auto delay = renewal_delay(lease)) {
    auto obtained = Clock::now();
    sleep_for(*delay);
    dhcp::Lease fresh = renew(client, lease, obtained + std::chrono::seconds(lease.lease_seconds), dev);
    if (fresh.ip != lease.ip) {
      log::error("the DHCP server moved {} from {} to {}; keeping {} and no longer renewing", dev,
                 dhcp::to_string(lease.ip), dhcp::to_string(fresh.ip), dhcp::to_string(lease.ip));
      return;
    }
    log::debug("dhcp: renewed the lease of {} on {} for {}s", dhcp::to_string(fresh.ip), dev, fresh.lease_seconds);
    lease = fresh;
    prepare_release(client, lease);
  }
}

// The keeper's body, after its setup steps (common/spawn.h: stdio, fds, the detached netns).
void keeper_main(const KeeperRequest& r) {
  // Its parent-death signal is SIGTERM (see the constructor); from here on it releases the lease.
  struct sigaction term {};
  term.sa_handler = release_and_exit;
  ::sigaction(SIGTERM, &term, nullptr);
  netlink::set_link_up(r.dev);
  dhcp::Client client(r.dev);
  dhcp::Lease lease;
  try {
    lease = client.acquire(dhcp_timeout);
  } catch (const Error& e) {
    throw e.wrap("failed to get a DHCP lease on " + r.dev + " (is a DHCP server running on bridge " + r.bridge + "?)");
  }
  messages::NetworkDriverCompleted configured = describe(r, lease);
  netlink::configure_interface({r.dev, r.mtu, configured.ip, configured.netmask, configured.gateway});
  prepare_release(client, lease);
  report_ready(messages::encode(configured));
  keep(client, lease, r.dev);
}

}  // namespace

LeaseKeeper::LeaseKeeper(const KeeperRequest& r) {
  std::optional<OpenedNetns> netns;
  if (!r.detached_netns_path.empty()) {
    netns.emplace(NetnsTarget{"", r.detached_netns_path});
  }
  ProcessSetup setup;
  // SIGTERM, not SIGKILL: the keeper still holds the netns (and so the veth) and can hand the
  // address back before it goes. With --pidns the kernel SIGKILLs it first: no release then.
  setup.pdeathsig = SIGTERM;
  if (netns) {
    setup.namespaces = netns->joins();
  }
  Worker worker = spawn_worker("DHCP lease keeper", setup, [&] { keeper_main(r); });
  std::string configured = worker.await_ready(report_timeout);
  m_process = std::move(worker.process());
  m_configured = messages::decode_network(configured);
}

LeaseKeeper::~LeaseKeeper() {
  if (!m_process) {
    return;
  }
  // SIGTERM lets it release the lease (a sendto and _exit); SIGKILL (by ChildProcess) if it is
  // somehow still there after a second.
  m_process.signal(SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (m_process.try_wait()) {
      return;
    }
    ::poll(nullptr, 0, 10);
  }
}

std::optional<std::chrono::seconds> renewal_delay(const dhcp::Lease& lease) {
  if (lease.lease_seconds == dhcp::infinite_lease) {
    return std::nullopt;
  }
  if (lease.renewal_seconds && *lease.renewal_seconds > 0 && *lease.renewal_seconds < lease.lease_seconds) {
    return std::chrono::seconds(*lease.renewal_seconds);
  }
  return std::chrono::seconds(std::max<uint32_t>(1, lease.lease_seconds / 10 * 9 + lease.lease_seconds % 10 * 9 / 10));
}

std::chrono::seconds retry_delay(std::chrono::seconds left) {
  if (left.count() <= 0) {
    return std::chrono::seconds(60);
  }
  return std::clamp(left / 2, std::chrono::seconds(5), std::chrono::seconds(60));
}

}  // namespace rootlesskit::network::lxc_user_nic

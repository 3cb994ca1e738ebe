// The child's DHCP lease keeper: a process forked from the rootlesskit child (which is
// single-threaded by design and busy supervising COMMAND) that, inside the netns, brings the veth
// up, asks for a lease, configures address/route/MTU, reports the lease back, then renews it for
// as long as the child lives, and hands the address back (DHCPRELEASE) when the child goes
// (PDEATHSIG SIGTERM). Runs in the child's netns, or joins the detached one.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/process.h"
#include "messages/message.h"
#include "network/dhcp/message.h"

namespace rootlesskit::network::lxc_user_nic {

// Upstream's read/write deadline for each DHCP exchange.
inline constexpr std::chrono::seconds dhcp_timeout{30};

struct KeeperRequest {
  std::string dev;
  int mtu = 0;
  std::string detached_netns_path;  // empty: the caller's netns
  std::string bridge;               // only for error messages
};

class LeaseKeeper {
 public:
  // Forks the keeper and waits until the interface is configured. Returns what was configured
  // (Dev, MTU, IP, Netmask, Gateway, DNS). Throws Error with the keeper's reason, e.g.
  // "failed to get a DHCP lease on eth0 (is a DHCP server running on bridge lxcbr0?): did not get
  // DHCPOFFER within 30s".
  explicit LeaseKeeper(const KeeperRequest& request);
  // Stops the keeper (SIGTERM: it sends a DHCPRELEASE and exits) and reaps it.
  ~LeaseKeeper();
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  const messages::NetworkDriverCompleted& configured() const { return m_configured; }

 private:
  ChildProcess m_process;  // killed and reaped with this object
  messages::NetworkDriverCompleted m_configured;
};

// When to renew a lease obtained now: after T1 when the server sent one shorter than the lease
// (RFC 2131 §4.4.5), else after 0.9 x lease (upstream's choice); nullopt for an infinite lease.
std::optional<std::chrono::seconds> renewal_delay(const dhcp::Lease& lease);

// How long to wait before retrying a failed renewal, `left` before the lease expires: half of
// what is left, between 5 s and 60 s; 60 s once it has expired.
std::chrono::seconds retry_delay(std::chrono::seconds left);

}  // namespace rootlesskit::network::lxc_user_nic

// The child's frame relay between its tap and VPNKit: processes forked from the rootlesskit child
// (which is single-threaded by design and busy supervising COMMAND). The first one joins the
// detached netns if any, creates the (persistent) tap with VPNKit's MAC, connects the vif with
// the parent's UUID, reports back, then copies tap -> socket; a second one, forked by it, copies socket ->
// tap (blocking copies, one direction each, so neither side can stall the other). Both end with
// the child (PDEATHSIG SIGKILL, chained), and together (the first exits when the second does).
#pragma once

#include <string>

#include "common/process.h"
#include "network/vpnkit/protocol.h"

namespace rootlesskit::network::vpnkit {

struct RelayRequest {
  std::string ifname;
  MacAddress mac{};
  std::string socket_path;
  std::string uuid;
  std::string detached_netns_path;  // empty: the caller's netns
};

class Relay {
 public:
  // Forks the relay and waits until the tap exists and the vif is connected. Throws Error with
  // the relay's reason, e.g. "failed to open tap tap0: TUNSETIFF: ...", or
  // "connecting to <socket>: connection refused".
  explicit Relay(const RelayRequest& request);

 private:
  ChildProcess m_process;  // killed and reaped with this object
};

// Sets the MAC address of `ifname` (which must be down) in the caller's netns: SIOCSIFHWADDR, as
// `ip link set <if> address <mac>`. Throws Error "failed to set MAC address <mac> on <if>: ...".
void set_mac_address(const std::string& ifname, const MacAddress& mac);

}  // namespace rootlesskit::network::vpnkit

// --net=vpnkit (SPEC §8.4), parent half: starts `vpnkit --ethernet <state>/vpnkit-ethernet.sock`,
// connects a vif with a fresh UUID, learns its MAC and (by DHCP over the vif) its address, and
// hands the child what it needs to connect the same vif to its tap (child.h). Runs in the parent.
#pragma once

#include <string>
#include <vector>

#include "cli/rootlesskit_flags.h"
#include "common/process.h"
#include "network/driver.h"
#include "network/helper_process.h"

namespace rootlesskit::network::vpnkit {

inline constexpr int default_mtu = 1500;
inline constexpr const char* default_ifname = "tap0";
inline constexpr const char* socket_name = "vpnkit-ethernet.sock";
// VPNKit's fixed network: its gateway and DNS (and the /24 upstream assumes).
inline constexpr const char* gateway = "192.168.65.1";
inline constexpr int netmask = 24;
// Keys of the message's opaque map.
inline constexpr const char* opaque_mac = "vpnkit.mac";
inline constexpr const char* opaque_socket = "vpnkit.socket";
inline constexpr const char* opaque_uuid = "vpnkit.uuid";

struct Options {
  std::string binary = "vpnkit";  // a resolved path after resolve_options()
  int mtu = default_mtu;
  std::string ifname = default_ifname;
  bool disable_host_loopback = false;  // --host-ip 0.0.0.0
};

// LookPath (a missing binary says that VPNKit is not packaged for Debian and where to get it),
// and upstream's warning for an MTU other than 1500.
Options resolve_options(const cli::RootlesskitFlags& flags);

// SPEC §8.4: <binary> --ethernet SOCKET --mtu N [--host-ip 0.0.0.0].
std::vector<std::string> build_argv(const Options& options, const std::string& socket_path);

class ParentDriver final : public network::ParentDriver {
 public:
  explicit ParentDriver(Options options);
  ~ParentDriver() override;

  // {"driver":"vpnkit","dns":["192.168.65.1"],"childIP":"<DHCP address>"} once configured.
  api::NetworkDriverInfo info() const override;
  // Starts vpnkit (PDEATHSIG SIGKILL), dials its socket for up to 10 s, connects a vif, asks
  // DHCP, closes that connection. Throws Error "connecting to <socket>: ...", "vpnkit exited:
  // ...", or the vif/DHCP error.
  messages::NetworkDriverCompleted configure(pid_t child_pid, const std::string& state_dir,
                                             const std::string& detached_netns_path) override;
  std::optional<std::string> reap_exited_helper() override;
  void cleanup() override;

 private:
  messages::NetworkDriverCompleted connect(const std::string& socket_path);
  void check_running();

  Options m_options;
  HelperOutput m_output{"network/vpnkit"};
  ChildProcess m_process;
  std::string m_child_ip;
};

}  // namespace rootlesskit::network::vpnkit

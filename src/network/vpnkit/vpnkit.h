// --net=vpnkit, parent half: starts `vpnkit --ethernet <state>/vpnkit-ethernet.sock`,
// connects a vif with a fresh UUID, learns its MAC and (by DHCP over the vif) its address, and
// hands the child what it needs to connect the same vif to its tap (child.h). Runs in the parent.
#pragma once

#include <string>
#include <vector>

#include "common/process.h"
#include "network/driver.h"
#include "network/helper_process.h"
#include "network/vpnkit/options.h"

namespace rootlesskit::network::vpnkit {

// Keys of the message's opaque map.
inline constexpr const char* opaque_mac = "vpnkit.mac";
inline constexpr const char* opaque_socket = "vpnkit.socket";
inline constexpr const char* opaque_uuid = "vpnkit.uuid";

class ParentDriver final : public network::ParentDriver {
 public:
  // `options` as resolve() returns them.
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

// --net=vdeplug_slirp (v0.3-era driver, removed upstream in 0.9), parent half: two vde_plug
// processes joined by a socketpair, `vde_plug slirp://` in the host's netns (libslirp makes the
// host-side sockets) and `vde_plug tap://<ifname>` inside the child's netns. Fixed network
// 10.0.2.0/24 (child .100, gateway .2, DNS .3), MTU 1500. The child half is generic_child.h.
#pragma once

#include <string>

#include "common/process.h"
#include "network/driver.h"
#include "network/helper_process.h"
#include "network/vdeplug_slirp/options.h"

namespace rootlesskit::network::vdeplug_slirp {

class ParentDriver final : public network::ParentDriver {
 public:
  // `options` as resolve() returns them.
  explicit ParentDriver(Options options);
  ~ParentDriver() override;

  api::NetworkDriverInfo info() const override;
  messages::NetworkDriverCompleted configure(pid_t child_pid, const std::string& state_dir,
                                             const std::string& detached_netns_path) override;
  std::optional<std::string> reap_exited_helper() override;
  void cleanup() override;

 private:
  void wait_until_attached(const NetnsTarget& target);
  std::optional<std::string> exited_helper();

  Options m_options;
  HelperOutput m_output{"network/vdeplug_slirp"};
  ChildProcess m_slirp;
  ChildProcess m_tap;
  bool m_configured = false;
};

}  // namespace rootlesskit::network::vdeplug_slirp

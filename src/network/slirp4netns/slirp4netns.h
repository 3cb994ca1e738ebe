// --net=slirp4netns, parent half: creates the tap in the child's netns, starts slirp4netns on it
// (readiness through fd 3), tells the child the addresses of the slirp network, and stops
// slirp4netns on every exit path. The child half is network/generic_child.h. Runs in the parent.
#pragma once

#include "common/fd.h"
#include "common/process.h"
#include "network/driver.h"
#include "network/helper_process.h"
#include "network/slirp4netns/options.h"

namespace rootlesskit::network::slirp4netns {

// The addresses the child configures: IP net+100/prefix, gateway net+2, DNS net+3 (+ fd00::3
// with IPv6, slirp's fixed v6 DNS), on 10.0.2.0/24 unless --cidr.
messages::NetworkDriverCompleted network_message(const Options& options);

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
  void wait_until_ready(Fd ready, const std::vector<std::string>& argv);

  Options m_options;
  HelperOutput m_output{"network/slirp4netns"};
  ChildProcess m_process;
  bool m_configured = false;
};

}  // namespace rootlesskit::network::slirp4netns

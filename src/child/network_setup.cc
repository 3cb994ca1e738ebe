// Child-side network steps, in upstream's order.
#include "child/network_setup.h"

#include "child/etc_files.h"
#include "common/error.h"
#include "common/log.h"
#include "common/strings.h"
#include "network/loopback.h"
#include "network/netns.h"
#include "rootlesskit/state_files.h"

namespace rootlesskit::child {

std::string create_detached_netns(const std::string& state_dir) {
  const std::string path = state_dir + "/" + state_file_netns;
  try {
    network::create_netns_file(path);
  } catch (const Error& e) {
    throw e.wrap("failed to create a detached netns on " + go_quote(path));
  }
  return path;
}

void setup_network(const NetworkSetup& s, const messages::NetworkDriverCompleted& message) {
  if (s.network == "host") {
    return;
  }
  if (s.detached_netns_path.empty()) {
    network::bring_up_loopback();  // a detached netns got its lo up when it was created
  }
  if (!s.driver) {
    return;
  }
  std::string dev = s.driver->configure_child(message, s.detached_netns_path);
  log::debug("configured network device {}", dev);
  std::vector<std::string> dns = s.driver->learned_dns();
  setup_etc_files(
      EtcFiles{s.state_dir, dns.empty() ? message.dns : dns, s.etc_copied_up, !s.detached_netns_path.empty()});
}

}  // namespace rootlesskit::child

// Network driver roles, as upstream splits them: the parent half starts helpers and tells the
// child what to configure; the child half configures the namespace's interfaces.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "api/types.h"
#include "messages/message.h"

namespace rootlesskit::network {

class ParentDriver {
 public:
  virtual ~ParentDriver() = default;
  // The "networkDriver" object of GET /v1/info.
  virtual api::NetworkDriverInfo info() const = 0;
  // Runs in the parent after the ID maps are written, with the child's host pid. Returns what the
  // child must configure. Helpers started here are stopped by cleanup().
  virtual messages::NetworkDriverCompleted configure(pid_t child_pid, const std::string& state_dir,
                                                     const std::string& detached_netns_path) = 0;
  // Called by the parent on every SIGCHLD while COMMAND runs. Reaps a helper that has exited and
  // returns why, e.g. "slirp4netns exited: signal: killed" (the parent then ends the run);
  // nullopt while every helper runs.
  virtual std::optional<std::string> reap_exited_helper() { return std::nullopt; }
  // Stops every helper; called on every exit path, also after a failed configure().
  virtual void cleanup() {}
};

// The "networkDriver" info of a driver that hands the child an address: `dns` and `childIP` from
// the message it sent, once configure() is done (`configured` null before: driver name only).
inline api::NetworkDriverInfo address_info(const std::string& driver,
                                           const messages::NetworkDriverCompleted* configured) {
  api::NetworkDriverInfo info;
  info.driver = driver;
  if (configured != nullptr) {
    info.dns = configured->dns;
    info.child_ip = configured->ip;
  }
  return info;
}

class ChildDriver {
 public:
  virtual ~ChildDriver() = default;
  // Runs in the child (uid 0, full capabilities) in its network namespace, or, with
  // --detach-netns, with `detached_netns_path` naming the namespace to configure. Configures the
  // interfaces (lo is already up) from the parent's message. Returns the device name. Most drivers
  // apply network/generic_child.h's configuration; a driver whose helper configures the
  // interface itself (pasta) returns at once, one that learns its address by DHCP
  // (lxc-user-nic) asks first and then applies it.
  virtual std::string configure_child(const messages::NetworkDriverCompleted& message,
                                      const std::string& detached_netns_path) = 0;
  // DNS servers the child half learned itself (lxc-user-nic's DHCP), valid after
  // configure_child. Empty: /etc/resolv.conf gets the parent's message.dns.
  virtual std::vector<std::string> learned_dns() const { return {}; }
};

}  // namespace rootlesskit::network

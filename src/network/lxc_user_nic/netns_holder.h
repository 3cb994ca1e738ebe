// A process that sits in a network namespace so that a tool which only takes a pid can find the
// namespace at /proc/PID/ns/net: lxc-user-nic with --detach-netns, where no process of ours lives
// in the detached netns. Runs in the parent; the holder is a fork of it (no exec).
#pragma once

#include <sys/types.h>

#include "common/process.h"
#include "network/netns.h"

namespace rootlesskit::network::lxc_user_nic {

// Upstream starts `nsenter -t PID -n<path> --no-fork -m -U --preserve-credentials sleep infinity`
// for this; a worker (common/spawn.h) that joins in its setup steps needs neither nsenter nor
// sleep and is ready as soon as the constructor returns.
class NetnsHolder {
 public:
  // Starts the holder worker: it joins `target` (user namespace first), marks itself dumpable
  // again (joining a user namespace clears it, and lxc-user-nic checks /proc/PID/ns/net as the
  // calling user), reports back, then waits to be killed (PDEATHSIG SIGKILL if we die first).
  // Throws Error with the holder's reason, e.g. "failed to join the network namespace <path>: ...".
  // A forked worker (common/spawn.h).
  explicit NetnsHolder(const NetnsTarget& target);

  pid_t pid() const { return m_process.pid(); }

  // SIGKILLs and reaps the holder (also done by the destructor). The namespace stays alive for
  // as long as something else holds it (the child, or the bind mount of --detach-netns).
  void stop();

 private:
  ChildProcess m_process;
};

}  // namespace rootlesskit::network::lxc_user_nic

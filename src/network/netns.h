// The one place that enters another network namespace: a new process (a worker or a helper
// program, common/spawn.h) joins it in its setup steps, from namespace files the caller opened
// (setns is refused in a multithreaded process and cannot be undone for a user namespace).
// Used by the parent (tap creation, helpers that must live in the child's netns) and by the child
// (--detach-netns).
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "common/fd.h"
#include "common/spawn.h"

namespace rootlesskit::network {

// Which namespaces a helper joins, in this order.
struct NetnsTarget {
  // The user namespace that owns the netns. The parent needs it: setns(CLONE_NEWNET) requires
  // CAP_SYS_ADMIN in the caller's own user namespace too, which the unprivileged parent has only
  // after joining the child's (verified: EPERM otherwise). Empty: stay (the child is already in it).
  std::string userns_path;
  std::string netns_path;  // /proc/PID/ns/net, or a bind-mounted netns file (--detach-netns)
};

// The child's netns as seen from the parent: joins /proc/PID/ns/user, then either
// /proc/PID/ns/net or `detached_netns_path` when not empty.
NetnsTarget child_netns(pid_t child_pid, const std::string& detached_netns_path);

// The namespace files of a target, opened (O_CLOEXEC) in the calling process, so that paths under
// /proc/PID/root resolve with the caller's view. Throws Error "failed to open <path>: <errno>".
class OpenedNetns {
 public:
  explicit OpenedNetns(const NetnsTarget& target);
  // What a new process joins (ProcessSetup::namespaces), user namespace first; valid while this
  // object lives. A failure reads "failed to join the network namespace <path>: <errno text>".
  std::vector<NamespaceJoin> joins() const;

 private:
  NetnsTarget m_target;
  Fd m_user;
  Fd m_net;
};

// Runs `fn` in a worker that joined `target`, and waits for it. An Error thrown by `fn` (or by
// joining) is rethrown here with the same text. `fn` runs after fork: see spawn_worker() for
// when that is allowed.
void run_in_netns(const NetnsTarget& target, const std::function<void()>& fn);

// Creates a new network namespace (from a worker, which unshares it and brings its lo up)
// and bind-mounts it onto `path` (created first as an empty 0400 file). The mount lives in the
// caller's mount namespace. Runs in the child, which has the capabilities (--detach-netns).
void create_netns_file(const std::string& path);

}  // namespace rootlesskit::network

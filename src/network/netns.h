// The one place that enters another network namespace: a forked helper process joins it (setns
// is refused in a multithreaded process and cannot be undone for a user namespace), does its
// work, and reports success or the error text back through a pipe. Used by the parent (tap
// creation, helpers that must live in the child's netns) and by the child (--detach-netns).
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

#include "common/fd.h"

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
// /proc/PID/root resolve with the caller's view. enter() joins them; call it only in a forked,
// single-threaded process. Throws Error "failed to open <path>: <errno>".
class OpenedNetns {
 public:
  explicit OpenedNetns(const NetnsTarget& target);
  // Throws Error "failed to join the user namespace <path>: ..." / "... network namespace ...".
  void enter() const;

 private:
  NetnsTarget m_target;
  Fd m_user;
  Fd m_net;
};

// Runs `fn` in a forked helper that joined `target`, and waits for it. An Error thrown by `fn`
// (or by joining) is rethrown here with the same text.
void run_in_netns(const NetnsTarget& target, const std::function<void()>& fn);

// Creates a new network namespace (from a forked helper, which unshares it and brings its lo up)
// and bind-mounts it onto `path` (created first as an empty 0400 file). The mount lives in the
// caller's mount namespace. Runs in the child, which has the capabilities (--detach-netns).
void create_netns_file(const std::string& path);

}  // namespace rootlesskit::network

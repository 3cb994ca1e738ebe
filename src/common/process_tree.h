// Ending a whole process subtree without a pid namespace. The child uses it when the parent dies
// and, in subreaper mode, when COMMAND exits; ChildProcess uses it so that killing the rootlesskit
// child also ends what COMMAND started.
#pragma once

#include <sys/types.h>

#include <vector>

namespace rootlesskit {

// Direct children of `pid` (all its threads), from /proc/PID/task/TID/children.
std::vector<pid_t> children_of(pid_t pid);

// SIGKILLs every descendant of `root` (not `root` itself), top-down, repeating until none is
// left (a process may fork while we walk the tree). Does not reap.
void kill_descendants(pid_t root);

}  // namespace rootlesskit

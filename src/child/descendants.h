// Ending a whole process subtree without a pid namespace: used when the parent dies and, in
// subreaper mode, when COMMAND exits. Runs in the child.
#pragma once

#include <sys/types.h>

#include <vector>

namespace rootlesskit::child {

// Direct children of `pid` (all its threads), from /proc/PID/task/TID/children.
std::vector<pid_t> children_of(pid_t pid);

// SIGKILLs every descendant of the calling process, repeating until none is left (a process may
// fork while we walk the tree). Does not reap.
void kill_descendants();

}  // namespace rootlesskit::child

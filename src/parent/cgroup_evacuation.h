// --evacuate-cgroup2 (upstream pkg/parent/cgrouputil/cgrouputil.go): moves every process of our
// cgroup into a sub-group so that the child's cgroup namespace can enable controllers. Runs in the
// parent, after the ID maps.
#pragma once

#include <sys/types.h>
#include <string>

namespace rootlesskit::parent {

void evacuate_cgroup2(pid_t child_pid, const std::string& group_name);

}  // namespace rootlesskit::parent

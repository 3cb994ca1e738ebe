// Mounts the child makes in its own mount namespace: root propagation, /proc for --pidns, and a
// fresh /sys for a new network namespace (docs/mount.md). Runs in the child as namespace root.
#pragma once

#include <string>

namespace rootlesskit::child {

// "rprivate" (default), "private", "rslave", "slave", "rshared", "shared".
void set_root_propagation(const std::string& mode);

// Mounts a new procfs on /proc (falls back to read-only, then only warns, like upstream).
void mount_procfs();

// Remounts /sys so that /sys/class/net shows this namespace's devices, keeping /sys/fs/cgroup
// (or mounting a fresh cgroup2 there when `fresh_cgroup2`).
void remount_sysfs(bool fresh_cgroup2);

// Mounts a fresh cgroup2 on /sys/fs/cgroup over a tmpfs (host network + --evacuate-cgroup2).
void mount_fresh_cgroup2();

}  // namespace rootlesskit::child

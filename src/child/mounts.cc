// Propagation, procfs and sysfs mounts of the child.
#include "child/mounts.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <map>

#include "common/error.h"
#include "common/fs.h"
#include "common/log.h"

namespace rootlesskit::child {
namespace {

// mount(2) with a fallback to read-only, then only a warning: what upstream does for proc and sysfs.
void mount_with_fallback(const char* fstype, const char* target) {
  if (::mount("none", target, fstype, 0, nullptr) == 0) {
    return;
  }
  log::warn("failed to mount {}, falling back to read-only mount: {}",
            fstype == std::string("proc") ? "procfs" : "sysfs", errno_text(errno));
  if (::mount("none", target, fstype, MS_RDONLY, nullptr) != 0) {
    log::warn("failed to mount {}: {}", fstype == std::string("proc") ? "procfs" : "sysfs", errno_text(errno));
  }
}

}  // namespace

void set_root_propagation(const std::string& mode) {
  static const std::map<std::string, unsigned long> flags = {{"private", MS_PRIVATE}, {"rprivate", MS_REC | MS_PRIVATE},
                                                             {"shared", MS_SHARED},   {"rshared", MS_REC | MS_SHARED},
                                                             {"slave", MS_SLAVE},     {"rslave", MS_REC | MS_SLAVE}};
  if (mode.empty()) {
    return;  // upstream: "" leaves / as it is
  }
  auto it = flags.find(mode);
  if (it == flags.end()) {
    throw Error("unknown propagation mode: " + mode);
  }
  if (::mount("none", "/", nullptr, it->second, nullptr) != 0) {
    throw errno_error("failed to share mount point: /");
  }
}

void mount_procfs() { mount_with_fallback("proc", "/proc"); }

void remount_sysfs(bool fresh_cgroup2) {
  std::string saved = make_temp_dir("/tmp", "rksys", 0700, "creating a directory under /tmp");
  if (!fresh_cgroup2 && ::mount("/sys/fs/cgroup", saved.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    int err = errno;
    ::rmdir(saved.c_str());
    throw errno_error("failed to create bind mount on " + saved, err);
  }
  mount_with_fallback("sysfs", "/sys");
  if (fresh_cgroup2) {
    if (::mount("none", "/sys/fs/cgroup", "cgroup2", 0, nullptr) != 0) {
      throw errno_error("failed to mount cgroup2 on /sys/fs/cgroup");
    }
  } else if (::mount(saved.c_str(), "/sys/fs/cgroup", nullptr, MS_MOVE, nullptr) != 0) {
    int err = errno;
    ::umount2(saved.c_str(), MNT_DETACH);
    ::rmdir(saved.c_str());
    throw errno_error("failed to move mount point from " + saved + " to /sys/fs/cgroup", err);
  }
  ::rmdir(saved.c_str());
}

void mount_fresh_cgroup2() {
  if (::mount("none", "/sys/fs/cgroup", "tmpfs", 0, nullptr) != 0) {
    throw errno_error("failed to mount tmpfs on /sys/fs/cgroup");
  }
  if (::mount("none", "/sys/fs/cgroup", "cgroup2", 0, nullptr) != 0) {
    throw errno_error("failed to mount cgroup2 on /sys/fs/cgroup");
  }
}

}  // namespace rootlesskit::child

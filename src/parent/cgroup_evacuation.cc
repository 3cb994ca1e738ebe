// Finds the cgroup2 mount and the child's group, creates <group>/<name>, moves the processes and
// enables the controllers. Failures to move or enable only warn, as upstream.
#include "parent/cgroup_evacuation.h"

#include <sys/stat.h>

#include <sstream>

#include "common/error.h"
#include "common/fs.h"
#include "common/log.h"
#include "common/strings.h"

namespace rootlesskit::parent {
namespace {

std::vector<std::string> cgroup2_mounts() {
  std::istringstream in(read_file("/proc/self/mountinfo").value_or(""));
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    auto dash = line.find(" - ");
    if (dash == std::string::npos) {
      continue;
    }
    auto tail = split(line.substr(dash + 3), ' ');
    auto head = split(line.substr(0, dash), ' ');
    if (!tail.empty() && tail[0] == "cgroup2" && head.size() > 4) {
      out.push_back(head[4]);
    }
  }
  return out;
}

std::string own_group(pid_t pid) {
  std::istringstream in(read_file("/proc/" + std::to_string(pid) + "/cgroup").value_or(""));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("0::", 0) == 0) {
      return line.substr(3);
    }
  }
  throw Error("no cgroup2 entry in /proc/" + std::to_string(pid) + "/cgroup");
}

void write_text(const std::string& path, const std::string& text) { write_existing_file(path, text); }

void move_processes(const std::string& group, const std::string& target) {
  std::istringstream procs(read_file(group + "/cgroup.procs").value_or(""));
  std::string pid;
  while (std::getline(procs, pid)) {
    if (pid.empty() || pid == "0") {
      continue;
    }
    try {
      write_text(target + "/cgroup.procs", pid);
    } catch (const Error&) {
      log::warn("failed to move process {} to cgroup {}", pid, go_quote(target));
    }
  }
}

void enable_controllers(const std::string& group) {
  std::istringstream in(read_file(group + "/cgroup.controllers").value_or(""));
  std::string controller;
  while (in >> controller) {
    try {
      write_text(group + "/cgroup.subtree_control", "+" + controller);
    } catch (const Error&) {
      log::warn("failed to enable controller {}", go_quote(controller));
    }
  }
}

}  // namespace

void evacuate_cgroup2(pid_t child_pid, const std::string& group_name) {
  auto mounts = cgroup2_mounts();
  if (mounts.empty()) {
    log::warn("cgroup2 is not mounted. cgroup2 evacuation is discarded.");
    return;
  }
  if (mounts.size() > 1) {
    log::warn("expected single mountpoint for cgroup2, got {}", mounts.size());
  }
  std::string group = clean_path(mounts[0] + "/" + own_group(child_pid));
  std::string target = group + "/" + group_name;
  if (::mkdir(target.c_str(), 0755) != 0 && errno != EEXIST) {
    throw errno_error("mkdir " + target);
  }
  move_processes(group, target);
  enable_controllers(group);
}

}  // namespace rootlesskit::parent

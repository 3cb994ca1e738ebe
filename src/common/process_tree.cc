// Process-tree walk through /proc/PID/task/TID/children (needs CONFIG_PROC_CHILDREN, on in
// Debian's kernels).
#include "common/process_tree.h"

#include <signal.h>

#include <sstream>
#include <string>

#include "common/fs.h"

namespace rootlesskit {
namespace {

// The whole text of a /proc file, or "" if the process is gone (reads then fail with ESRCH).
std::string read_proc_file(const std::string& path) { return read_file(path).value_or(""); }

}  // namespace

std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> out;
  std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : read_directory(task_dir).value_or(std::vector<std::string>{})) {
    std::istringstream in(read_proc_file(task_dir + "/" + task + "/children"));
    pid_t child = 0;
    while (in >> child) {
      out.push_back(child);
    }
  }
  return out;
}

namespace {

// A killed process stays listed as its parent's child until it is reaped.
bool is_zombie(pid_t pid) {
  std::string stat = read_proc_file("/proc/" + std::to_string(pid) + "/stat");
  auto paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] == 'Z';
}

}  // namespace

void kill_descendants(pid_t root) {
  // Stopping each process first would be needed against a fork bomb; for a normal tree, killing
  // top-down and repeating catches the children forked meanwhile.
  for (int round = 0; round < 100; ++round) {
    std::vector<pid_t> pending = children_of(root);
    if (pending.empty()) {
      return;
    }
    bool killed_any = false;
    while (!pending.empty()) {
      pid_t pid = pending.back();
      pending.pop_back();
      auto grandchildren = children_of(pid);
      pending.insert(pending.end(), grandchildren.begin(), grandchildren.end());
      if (!is_zombie(pid) && ::kill(pid, SIGKILL) == 0) {
        killed_any = true;
      }
    }
    if (!killed_any) {
      return;
    }
  }
}

}  // namespace rootlesskit

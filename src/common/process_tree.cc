// Process-tree walk through /proc/PID/task/TID/children (needs CONFIG_PROC_CHILDREN, on in
// Debian's kernels).
#include "common/process_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>
#include <string>

#include "common/fd.h"

namespace rootlesskit {
namespace {

// The whole text of a /proc file, or "" if the process is gone (reads then fail with ESRCH;
// std::ifstream would throw from inside a destructor here).
std::string read_proc_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  std::string text;
  if (!fd) {
    return text;
  }
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd.get(), buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) {
      text.append(buf, static_cast<size_t>(n));
    }
  }
  return text;
}

}  // namespace

std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> out;
  std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = ::opendir(task_dir.c_str());
  if (dir == nullptr) {
    return out;
  }
  while (dirent* e = ::readdir(dir)) {
    if (e->d_name[0] == '.') {
      continue;
    }
    std::istringstream in(read_proc_file(task_dir + "/" + e->d_name + "/children"));
    pid_t child = 0;
    while (in >> child) {
      out.push_back(child);
    }
  }
  ::closedir(dir);
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

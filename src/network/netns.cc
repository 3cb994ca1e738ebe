// Forked helpers that join a network namespace (and, from the parent, its owning user namespace)
// to create taps, configure interfaces or create a detached netns. Runs in the parent or the
// child; the helper itself is single-threaded, as setns(CLONE_NEWUSER) requires.
#include "network/netns.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "common/error.h"
#include "common/fs.h"
#include "common/process.h"
#include "network/loopback.h"

namespace rootlesskit::network {
namespace {

Fd open_ns(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    throw errno_error("failed to open " + path);
  }
  return fd;
}

// In the forked helper: runs `fn`, sends any error text to `error_fd`, never returns.
[[noreturn]] void helper_main(int error_fd, const std::function<void()>& fn) {
  std::string message;
  try {
    fn();
    ::_exit(0);
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {
    message = "unknown error";
  }
  try {
    write_all(error_fd, message.data(), message.size());
  } catch (...) {
  }
  ::_exit(1);
}

// Forks, runs `fn` in the helper, waits. Rethrows the helper's error text.
void run_in_helper(const std::function<void()>& fn) {
  Worker worker = fork_worker("namespace helper", [&](int report) { helper_main(report, fn); });
  ChildProcess helper = std::move(worker.process);
  std::string message = read_to_end(worker.report.get());
  int status = helper.wait();
  if (!message.empty()) {
    throw Error(message);
  }
  if (status != 0) {
    throw Error("network namespace helper exited: " + describe_wait_status(status));
  }
}

}  // namespace

NetnsTarget child_netns(pid_t child_pid, const std::string& detached_netns_path) {
  std::string proc = "/proc/" + std::to_string(child_pid);
  return NetnsTarget{proc + "/ns/user", detached_netns_path.empty() ? proc + "/ns/net" : detached_netns_path};
}

OpenedNetns::OpenedNetns(const NetnsTarget& target) : m_target(target) {
  if (!target.userns_path.empty()) {
    m_user = open_ns(target.userns_path);
  }
  m_net = open_ns(target.netns_path);
}

void OpenedNetns::enter() const {
  if (m_user && ::setns(m_user.get(), CLONE_NEWUSER) != 0) {
    throw errno_error("failed to join the user namespace " + m_target.userns_path);
  }
  if (::setns(m_net.get(), CLONE_NEWNET) != 0) {
    throw errno_error("failed to join the network namespace " + m_target.netns_path);
  }
}

void run_in_netns(const NetnsTarget& target, const std::function<void()>& fn) {
  OpenedNetns netns(target);
  run_in_helper([&] {
    netns.enter();
    fn();
  });
}

void create_netns_file(const std::string& path) {
  write_file(path, "", 0400);
  run_in_helper([&] {
    if (::unshare(CLONE_NEWNET) != 0) {
      throw errno_error("unshare(CLONE_NEWNET)");
    }
    bring_up_loopback();
    // The helper shares our mount namespace, so the bind mount outlives it and keeps the netns.
    if (::mount("/proc/self/ns/net", path.c_str(), nullptr, MS_BIND, nullptr) != 0) {
      throw errno_error("failed to bind-mount /proc/self/ns/net on " + path);
    }
  });
}

}  // namespace rootlesskit::network

// Workers that join a network namespace (and, from the parent, its owning user namespace) to
// create taps, configure interfaces or create a detached netns. Runs in the parent or the child;
// the worker itself is single-threaded, as setns(CLONE_NEWUSER) requires.
#include "network/netns.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <string>

#include "common/error.h"
#include "common/fs.h"
#include "common/process.h"
#include "common/spawn.h"
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

// Runs `fn` in a worker (after joining `namespaces`) and waits for it to end. Rethrows its error.
void run_in_worker(std::vector<NamespaceJoin> namespaces, const std::function<void()>& fn) {
  ProcessSetup setup;
  setup.namespaces = std::move(namespaces);
  Worker worker = spawn_worker("network namespace helper", setup, [&] {
    fn();
    report_ready();
  });
  worker.await_ready();
  int status = worker.process().wait();
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

std::vector<NamespaceJoin> OpenedNetns::joins() const {
  std::vector<NamespaceJoin> joins;
  if (m_user) {
    joins.push_back({m_user.get(), CLONE_NEWUSER, "the user namespace " + m_target.userns_path});
  }
  joins.push_back({m_net.get(), CLONE_NEWNET, "the network namespace " + m_target.netns_path});
  return joins;
}

void run_in_netns(const NetnsTarget& target, const std::function<void()>& fn) {
  OpenedNetns netns(target);
  run_in_worker(netns.joins(), fn);
}

void create_netns_file(const std::string& path) {
  write_file(path, "", 0400);
  run_in_worker({}, [&] {
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

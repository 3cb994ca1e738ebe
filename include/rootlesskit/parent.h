// The parent role: creates the child in new namespaces, maps its IDs, runs the network and port
// drivers and the REST API, and returns when the child exits. Runs as the calling (host) user.
// Embedders (like k3s with upstream's Go package) call parent::run() from their own main().
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rootlesskit/state_files.h"

#include "rootlesskit/port_spec.h"

namespace rootlesskit::network {
class ParentDriver;
}
namespace rootlesskit::port {
class ParentDriver;
}

namespace rootlesskit::parent {

struct Options {
  // The child finds its pipe fds through this variable; it also marks the child role.
  std::string pipe_fd_env_key = env_pipe_fd;
  std::string child_use_activation_env_key = env_child_use_activation;
  // Absolute path; empty means a fresh $TMPDIR/rootlesskit<digits>. Either way the directory is
  // 0700, cleaned of a killed run's files at start and removed at exit, like upstream; unlike
  // upstream, one holding anything rootlesskit did not create is refused (docs/security.md).
  std::string state_dir;
  std::string state_dir_env_key = env_state_dir;
  std::string parent_euid_env_key = env_parent_euid;
  std::string parent_egid_env_key = env_parent_egid;

  // Null: host network (no network namespace). Made by network::make_parent_driver
  // (rootlesskit/network.h).
  std::shared_ptr<network::ParentDriver> network_driver;
  // Null: no port driver (none, or implicit with pasta): /v1/ports answers 400. Made by
  // port::make_parent_driver (rootlesskit/port.h).
  std::shared_ptr<port::ParentDriver> port_driver;
  // Published before COMMAND starts (-p/--publish); each is validated by the driver.
  std::vector<port::Spec> publish_ports;
  bool create_pidns = false;
  bool create_cgroupns = false;
  bool create_utsns = false;
  bool create_ipcns = false;
  bool detach_netns = false;
  std::string propagation = "rprivate";
  std::string evacuate_cgroup2;
  std::string subid_source = "auto";  // auto | dynamic | static

  // argv the child is started with; argv[0] is exec'd with the child's environment (the
  // pipe variable set). Empty: /proc/self/exe and this process's own argv[1..] (read from
  // /proc/self/cmdline), so the child re-parses the same command line, as upstream's re-exec.
  std::vector<std::string> child_argv;

  // Set: the cloned child runs this instead of exec'ing child_argv (one exec of the child image
  // less, ~0.5 ms of start-up), with the environment and fds the exec would have given it; its
  // return value is the child's exit code. Only for a program that has one thread when it calls
  // run() (code after a clone of a threaded process may block on a lock another thread held).
  // The rootlesskit CLI sets it; an embedder re-exec'ing itself (as k3s) leaves it empty.
  std::function<int()> child_main;
};

// Runs the whole parent. Returns the exit code to exit with: the command's own code, 255 when it
// was killed by a signal. Throws rootlesskit::Error (with an exit code) on setup failures; the
// child and every helper are gone and the state dir removed by the time it returns or throws.
int run(const Options& options);

}  // namespace rootlesskit::parent

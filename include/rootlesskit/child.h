// The child role: runs inside the new user+mount (+pid/net/...) namespaces as uid 0 with full
// capabilities, finishes the setup the parent announces over the pipe, then runs the command.
// Embedders call child::run() when is_child() says their binary was started as the child.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rootlesskit/state_files.h"

namespace rootlesskit::network {
class ChildDriver;
}
namespace rootlesskit::port {
class ChildDriver;
}

namespace rootlesskit::child {

struct Options {
  std::string pipe_fd_env_key = env_pipe_fd;
  std::string child_use_activation_env_key = env_child_use_activation;
  std::string state_dir_env_key = env_state_dir;
  std::vector<std::string> target_cmd;  // argv; argv[0] is looked up in PATH
  // host | none | <driver name>: network::name_of() of the parent's selection.
  std::string network = "host";
  // The child half of the network driver (network::make_child_driver, rootlesskit/network.h);
  // null for host and none (none only brings lo up).
  std::shared_ptr<network::ChildDriver> network_driver;
  // The child half of the port driver (port::make_child_driver, rootlesskit/port.h: builtin);
  // null when the driver has none. Must match the parent's port driver.
  std::shared_ptr<port::ChildDriver> port_driver;
  std::vector<std::string> copy_up_dirs;
  std::string copy_up_mode = "tmpfs+symlink";
  bool detach_netns = false;
  bool mount_procfs = false;  // must equal the parent's create_pidns
  std::string propagation = "rprivate";
  bool reaper = false;
  bool evacuate_cgroup2 = false;
};

// True when this process was started as the child (the pipe variable is set).
bool is_child(const std::string& pipe_fd_env_key = env_pipe_fd);

// Runs the child role and returns the exit code to exit with (the command's; 255 if it was
// killed by a signal). Throws rootlesskit::Error on setup failures.
int run(const Options& options);

}  // namespace rootlesskit::child

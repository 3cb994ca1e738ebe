// child::run(): the child role as a list of named steps (docs/ARCHITECTURE.md; upstream
// pkg/child/child.go).
// Runs inside the new namespaces as uid 0 with full capabilities (the parent exec'd us only after
// writing the ID maps).
#include "rootlesskit/child.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdlib>

#include "child/command.h"
#include "child/mounts.h"
#include "child/network_setup.h"
#include "common/error.h"
#include "common/event_loop.h"
#include "common/fd.h"
#include "common/log.h"
#include "common/signals.h"
#include "common/strings.h"
#include "copyup/tmpfs_symlink.h"
#include "messages/message.h"
#include "port/driver.h"

namespace rootlesskit::child {
namespace {

// Takes the channel fd announced in the environment ("<fd>,<fd>", upstream's "<read>,<write>"
// shape; both are the one channel socket) and removes the variable, so neither the variable nor
// the fd reaches the command (upstream leaks its write pipe).
Fd take_channel(const std::string& key) {
  const char* value = std::getenv(key.c_str());
  auto parts = split(value != nullptr ? value : "", ',');
  // -1 for a missing or malformed half (GCC 12 at -Os warns falsely about optionals here).
  const long long r = parts.size() == 2 ? parse_int(parts[0]).value_or(-1) : -1;
  const long long w = parts.size() == 2 ? parse_int(parts[1]).value_or(-1) : -1;
  if (r < 0 || r != w) {
    throw Error("unexpected " + key + ": " + go_quote(value != nullptr ? value : ""));
  }
  ::unsetenv(key.c_str());
  Fd channel(static_cast<int>(r));
  ::fcntl(channel.get(), F_SETFD, FD_CLOEXEC);
  return channel;
}

bool take_flag(const std::string& key) {
  const char* value = std::getenv(key.c_str());
  bool set = value != nullptr && parse_go_bool(value).value_or(false);
  ::unsetenv(key.c_str());
  return set;
}

// Re-armed because exec may have cleared it. In a pid namespace SIGKILL ends everything at once;
// otherwise SIGTERM lets the command loop kill COMMAND's whole subtree first. Returns the parent's
// pid to recognise that case (0 in a pid namespace). If the parent is already gone, the channel
// is at EOF and the setup stops there.
pid_t arm_parent_death_signal(bool pid_namespace) {
  ::prctl(PR_SET_PDEATHSIG, pid_namespace ? SIGKILL : SIGTERM);
  return pid_namespace ? 0 : ::getppid();
}

std::string read_message(const Fd& channel) {
  std::string body;
  if (!messages::receive_message(channel.get(), &body)) {
    throw Error("the parent closed the channel before the setup was complete");
  }
  log::debug("Received {}", body);
  return body;
}

// Returns whether /etc was copied up (then /etc/resolv.conf and /etc/hosts can be replaced).
bool setup_mounts(const Options& o) {
  set_root_propagation(o.propagation);
  bool etc_copied_up = false;
  for (const auto& dir : copyup::copy_up(o.copy_up_dirs)) {
    log::debug("copied up {}", dir);
    etc_copied_up = etc_copied_up || dir == "/etc";
  }
  bool new_netns = o.network != "host" && !o.detach_netns;
  if (new_netns) {
    remount_sysfs(o.evacuate_cgroup2);
  } else if (o.evacuate_cgroup2) {
    mount_fresh_cgroup2();
  }
  return etc_copied_up;
}

// Starts the port driver's child half, if any, with the channel (which it keeps: the parent
// half talks to it while COMMAND runs); without one the channel closes here. Stops it on every
// way out.
class PortChildHalf {
 public:
  explicit PortChildHalf(port::ChildDriver* driver) : m_driver(driver) {}
  PortChildHalf(const PortChildHalf&) = delete;
  PortChildHalf& operator=(const PortChildHalf&) = delete;
  ~PortChildHalf() {
    if (m_started) {
      m_driver->stop();
    }
  }
  void start(EventLoop& loop, const std::map<std::string, std::string>& opaque, Fd channel,
             const std::string& detached_netns_path) {
    if (m_driver != nullptr) {
      m_driver->start(loop, opaque, std::move(channel), detached_netns_path);
      m_started = true;
    }
  }

 private:
  port::ChildDriver* m_driver;
  bool m_started = false;
};

// The parent exports it (ROOTLESSKIT_STATE_DIR unless an embedder chose another key).
std::string state_dir_from_env(const Options& o) {
  const char* value = std::getenv(o.state_dir_env_key.c_str());
  if (value == nullptr || *value == '\0') {
    throw Error("got empty StateDir");
  }
  return value;
}

}  // namespace

bool is_child(const std::string& pipe_fd_env_key) {
  const char* value = std::getenv(pipe_fd_env_key.c_str());
  return value != nullptr && *value != '\0';
}

int run(const Options& o) {
  if (o.copy_up_mode != "tmpfs+symlink" && !o.copy_up_dirs.empty()) {
    throw Error("unknown copy-up mode: " + o.copy_up_mode);
  }
  Fd channel = take_channel(o.pipe_fd_env_key);
  SignalReceiver signals;
  pid_t parent_pid = arm_parent_death_signal(o.mount_procfs);
  bool socket_activation = take_flag(o.child_use_activation_env_key);
  if (o.mount_procfs) {
    mount_procfs();
  }
  NetworkSetup network{o.network, o.network_driver, state_dir_from_env(o), "", false};
  if (o.detach_netns) {
    network.detached_netns_path = create_detached_netns(network.state_dir);
  }
  log::debug("channel fd: {}", channel.get());
  messages::send_message(channel.get(), messages::encode_named("ChildInitUserNSCompleted"));
  // The mounts need nothing from the parent: doing them now overlaps them with the parent's
  // network setup (e.g. slirp4netns starting up).
  network.etc_copied_up = setup_mounts(o);
  auto net = messages::decode_network(read_message(channel));
  auto ports = messages::decode_port(read_message(channel));
  setup_network(network, net);
  EventLoop loop;  // serves the port driver's child half while COMMAND runs
  PortChildHalf port_half(o.port_driver.get());
  port_half.start(loop, ports.opaque, std::move(channel), network.detached_netns_path);
  log::debug("reaper: {}, executing {}", o.reaper, go_slice(o.target_cmd));
  CommandOptions command{o.target_cmd, o.reaper, o.mount_procfs, socket_activation, parent_pid};
  return run_command(command, signals, loop);
}

}  // namespace rootlesskit::child

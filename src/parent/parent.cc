// parent::run(): the parent role as a list of named steps (docs/ARCHITECTURE.md; upstream
// pkg/parent/parent.go). Runs as the calling user in the host namespaces.
#include "rootlesskit/parent.h"

#include <poll.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "api/server.h"
#include "common/error.h"
#include "common/event_loop.h"
#include "common/fs.h"
#include "common/log.h"
#include "common/process.h"
#include "common/signals.h"
#include "common/strings.h"
#include "messages/message.h"
#include "network/driver.h"
#include "parent/apparmor.h"
#include "parent/cgroup_evacuation.h"
#include "parent/preflight.h"
#include "parent/spawn.h"
#include "parent/state_dir.h"
#include "parent/supervisor.h"
#include "port/driver.h"
#include "subid/subid.h"

extern char** environ;

namespace rootlesskit::parent {
namespace {

int listen_fds_to_pass() {
  const char* pid = std::getenv("LISTEN_PID");
  const char* fds = std::getenv("LISTEN_FDS");
  if (pid == nullptr || fds == nullptr) {
    return 0;
  }
  auto n = parse_int(fds);
  // Only fds meant for us (systemd semantics; upstream passes them regardless:
  // docs/compatibility.md, Processes and signals).
  if (!n || *n <= 0 || parse_int(pid) != ::getpid()) {
    return 0;
  }
  return static_cast<int>(*n);
}

std::vector<std::string> child_environment(const Options& o, const StateDir& state, int listen_fds) {
  std::vector<std::string> keys = {o.state_dir_env_key, o.parent_euid_env_key, o.parent_egid_env_key,
                                   o.child_use_activation_env_key, o.pipe_fd_env_key};
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    std::string key = entry.substr(0, entry.find('='));
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      env.push_back(entry);
    }
  }
  env.push_back(o.state_dir_env_key + "=" + state.path());
  env.push_back(o.parent_euid_env_key + "=" + std::to_string(::geteuid()));
  env.push_back(o.parent_egid_env_key + "=" + std::to_string(::getegid()));
  env.push_back(o.child_use_activation_env_key + "=" + (listen_fds > 0 ? "true" : "false"));
  return env;
}

// Options::child_argv, or by default this program again (/proc/self/exe: argv[0] may be a name
// the child's PATH would resolve differently) with our own arguments, as upstream's parent
// re-execs os.Args.
std::vector<std::string> child_argv(const Options& o) {
  if (!o.child_argv.empty()) {
    return o.child_argv;
  }
  std::vector<std::string> argv = split(read_file("/proc/self/cmdline").value_or(""), '\0');
  if (!argv.empty() && argv.back().empty()) {
    argv.pop_back();  // the text ends with a NUL
  }
  if (argv.empty()) {
    throw Error("failed to read /proc/self/cmdline: set parent::Options::child_argv");
  }
  argv[0] = "/proc/self/exe";
  return argv;
}

SpawnRequest make_spawn_request(const Options& o, const StateDir& state, const SignalReceiver& signals) {
  SpawnRequest r;
  r.argv = child_argv(o);
  r.listen_fds = listen_fds_to_pass();
  r.env = child_environment(o, state, r.listen_fds);
  r.pipe_fd_env_key = o.pipe_fd_env_key;
  r.clone_flags = CLONE_NEWUSER | CLONE_NEWNS | (o.create_pidns ? CLONE_NEWPID : 0);
  r.unshare_flags = (o.network_driver && !o.detach_netns ? CLONE_NEWNET : 0) |
                    (o.create_cgroupns ? CLONE_NEWCGROUP : 0) | (o.create_utsns ? CLONE_NEWUTS : 0) |
                    (o.create_ipcns ? CLONE_NEWIPC : 0);
  r.exec_mask = signals.previous_mask();
  r.child_main = o.child_main ? &o.child_main : nullptr;
  return r;
}

struct IdMapPlan {
  subid::User user;
  subid::IdRanges ranges;
};

// Looked up before the child exists, so a bad subid file fails without anything to clean up.
IdMapPlan plan_id_maps(const Options& o) {
  try {
    IdMapPlan plan{subid::current_user(), {}};
    try {
      plan.ranges = subid::lookup(subid::parse_source(o.subid_source), plan.user);
    } catch (const Error& e) {
      throw e.wrap("failed to compute uid/gid map");
    }
    return plan;
  } catch (const Error& e) {
    throw e.wrap("failed to setup UID/GID map");
  }
}

void write_id_maps(const SpawnedChild& child, const IdMapPlan& plan) {
  try {
    subid::write_id_maps(child.process.pid(), plan.user, plan.ranges);
  } catch (const Error& e) {
    throw e.wrap("failed to setup UID/GID map");
  }
}

// A set-up step that fails because the child died meanwhile names only the symptom (slirp4netns:
// "/proc/42/ns/net: No such file or directory"): report the child's exit instead, as receive()
// does when the channel ends.
constexpr std::chrono::milliseconds child_exit_grace{100};
template <typename Step>
auto needing_the_child(SpawnedChild& child, Step step) {
  try {
    return step();
  } catch (const Error&) {
    throw_if_child_exited(child, child_exit_grace);
    throw;
  }
}

// Waits for the next message from the child. Setup can be interrupted (Ctrl-C, SIGTERM): the
// caller's cleanup then kills the child.
std::string receive(SpawnedChild& child, SignalReceiver& signals) {
  while (true) {
    pollfd fds[2] = {{child.channel.get(), POLLIN, 0}, {signals.fd(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw errno_error("poll");
    }
    if (fds[1].revents != 0) {
      while (auto s = signals.read()) {
        if (s->signo == SIGINT || s->signo == SIGTERM || s->signo == SIGHUP || s->signo == SIGQUIT) {
          throw Error("interrupted during setup: signal: " + go_signal_name(s->signo), 128 + s->signo);
        }
      }
    }
    if (fds[0].revents != 0) {
      std::string body;
      if (!messages::receive_message(child.channel.get(), &body)) {
        throw_child_exit(child);
      }
      if (auto message = messages::decode_child_error(body)) {
        if (message->find("permission denied") != std::string::npos) {
          warn_if_apparmor_restricts_userns();
        }
        throw Error(*message);
      }
      return body;
    }
  }
}

// The child reads no message while it mounts; if it failed meanwhile, say so rather than
// reporting the broken pipe.
void send(SpawnedChild& child, const std::string& body) {
  log::debug("Sending {}", body);
  try {
    messages::send_message(child.channel.get(), body);
  } catch (const Error&) {
    throw_child_exit(child);
  }
}

void write_child_pid(const StateDir& state, pid_t pid) {
  // Written only now, fully set up, so `nsenter -t $(cat child_pid)` never sees a half-built child.
  try {
    state.write_file(state_file_child_pid, std::to_string(pid), 0444);
  } catch (const Error& e) {
    // Upstream's text, e.g. on a full disk: "failed to write the child PID 42 to
    // /run/x/child_pid: write /run/x/child_pid: no space left on device".
    throw e.wrap("failed to write the child PID " + std::to_string(pid) + " to " + state.file(state_file_child_pid));
  }
}

// Forwarded connections need fds: use the hard limit. The child was spawned before this, so the
// command keeps the caller's soft limit.
void raise_nofile_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
}

api::Info make_info(const Options& o, const StateDir& state, pid_t child_pid) {
  api::Info info;
  info.version = ROOTLESSKIT_VERSION;
  info.state_dir = state.path();
  info.child_pid = child_pid;
  if (o.network_driver) {
    info.network_driver = o.network_driver->info();
  }
  if (o.port_driver) {
    info.port_driver = o.port_driver->info();
  }
  return info;
}

// --detach-netns: the child bind-mounted the netns on STATE/netns in its own mount namespace;
// the parent reaches it through the child's root (as upstream pkg/parent/parent.go does).
std::string detached_netns_path(const Options& o, const StateDir& state, pid_t child_pid) {
  if (!o.detach_netns) {
    return "";
  }
  return "/proc/" + std::to_string(child_pid) + "/root" + clean_path(state.path()) + "/" + state_file_netns;
}

messages::NetworkDriverCompleted configure_network(const Options& o, const StateDir& state, pid_t child_pid) {
  if (!o.network_driver) {
    return {};
  }
  try {
    return o.network_driver->configure(child_pid, state.path(), detached_netns_path(o, state, child_pid));
  } catch (const Error& e) {
    throw e.wrap("failed to setup network");
  }
}

// Stops the network helpers on every exit path.
struct NetworkCleanup {
  network::ParentDriver* driver;
  ~NetworkCleanup() {
    if (driver != nullptr) {
      driver->cleanup();
    }
  }
};

port::ChildContext port_child_context(const Options& o, const StateDir& state, pid_t child_pid,
                                      const messages::NetworkDriverCompleted& net) {
  port::ChildContext c;
  c.child_pid = child_pid;
  c.state_dir = state.path();
  c.child_ip = net.ip;
  c.detached_netns_path = detached_netns_path(o, state, child_pid);
  return c;
}

// The -p ports are published before COMMAND starts (upstream adds them after the child may
// already run COMMAND), so that COMMAND finds them open.
void publish_ports(port::ParentDriver& driver, const std::vector<port::Spec>& specs) {
  for (const port::Spec& spec : specs) {
    try {
      port::Status status = driver.add_port(spec);
      log::debug("published port {}", status.id);
    } catch (const Error& e) {
      throw e.wrap("failed to expose port " + port::describe(spec));
    }
  }
}

// Stops the API server and the port driver on every way out (their listeners close here).
struct ApiAndPortsCleanup {
  api::Server& server;
  port::ParentDriver* ports;
  ~ApiAndPortsCleanup() {
    server.stop();
    if (ports != nullptr) {
      ports->stop();
    }
  }
};

// Runs the parent's event loop on this thread until the child exits: the API, the port
// driver and the supervision of the child share it. Returns the child's wait status.
int serve_until_child_exits(EventLoop& loop, SpawnedChild& child, SignalReceiver& signals,
                            network::ParentDriver* network) {
  Supervisor supervisor(loop, signals, child.process, network);
  loop.run();
  if (!supervisor.failure().empty()) {
    throw Error(supervisor.failure());
  }
  if (!supervisor.child_status()) {
    throw Error("the parent's event loop ended before the child");
  }
  return *supervisor.child_status();
}

}  // namespace

int run(const Options& o) {
  warn_about_environment(o.propagation);
  IdMapPlan id_maps = plan_id_maps(o);
  StateDir state = StateDir::open(o.state_dir);
  SignalReceiver signals;  // before the fork: no signal is lost (upstream loses early ones)
  SpawnedChild child = spawn_child(make_spawn_request(o, state, signals));
  NetworkCleanup network_cleanup{o.network_driver.get()};
  log::debug("started the child (PID={}), state dir {}", child.process.pid(), state.path());
  needing_the_child(child, [&] { write_id_maps(child, id_maps); });
  release_child(child);
  messages::expect_named(receive(child, signals), "ChildInitUserNSCompleted");
  log::debug("Received ChildInitUserNSCompleted");
  if (!o.evacuate_cgroup2.empty()) {
    needing_the_child(child, [&] { evacuate_cgroup2(child.process.pid(), o.evacuate_cgroup2); });
  }
  messages::NetworkDriverCompleted net =
      needing_the_child(child, [&] { return configure_network(o, state, child.process.pid()); });
  send(child, messages::encode(net));

  EventLoop loop;
  api::Server server(
      loop, [&] { return make_info(o, state, child.process.pid()); }, o.port_driver.get());
  ApiAndPortsCleanup api_and_ports{server, o.port_driver.get()};
  messages::PortDriverCompleted port_message;
  if (o.port_driver) {
    o.port_driver->start(loop, port_child_context(o, state, child.process.pid(), net));
    publish_ports(*o.port_driver, o.publish_ports);
    port_message.opaque = o.port_driver->opaque_for_child();
  }
  write_child_pid(state, child.process.pid());
  raise_nofile_limit();
  server.start(api::listen_unix(state.file(state_file_api_sock)));
  log::debug("listening on {}", state.file(state_file_api_sock));
  // The last message lets COMMAND start: api.sock already answers and the -p ports are open
  // when it runs (upstream races both). After it, the channel belongs to the port driver (its
  // requests were queued until now) or is closed.
  send(child, messages::encode(port_message));
  if (o.port_driver && o.port_driver->uses_child_channel()) {
    o.port_driver->attach_child(std::move(child.channel));
  }
  child.channel.reset();
  log::debug("waiting for the child to exit");
  int status = serve_until_child_exits(loop, child, signals, o.network_driver.get());
  log::debug("child exited: {}", describe_wait_status(status));
  if (status != 0) {
    throw Error("child exited: " + describe_wait_status(status), exit_code_of(status));
  }
  return 0;
}

}  // namespace rootlesskit::parent

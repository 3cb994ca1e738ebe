// An example embedder: one program that runs RootlessKit's parent and child roles itself, through
// include/rootlesskit/ only, the way k3s embeds upstream's Go packages (k3s pkg/rootless). The
// same binary runs three times, and its own environment variables say which stage it is:
//   parent     (host user, host namespaces): no marker; checks sysctls, runs parent::run()
//   child      (uid 0 in the new namespaces): _EMBED_ROOTLESS_FD set; runs child::run()
//   innermost  (the real program, re-exec'd by the child): _EMBED_ROOTLESS_SOCK set
// See docs/embedding.md.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "rootlesskit/child.h"
#include "rootlesskit/error.h"
#include "rootlesskit/log.h"
#include "rootlesskit/network.h"
#include "rootlesskit/parent.h"
#include "rootlesskit/port.h"
#include "rootlesskit/port_spec.h"
#include "service.h"
#include "settings.h"
#include "sysctl_check.h"

namespace rk = rootlesskit;

namespace {

// Our own pipe variable (k3s: _K3S_ROOTLESS_FD): it marks the child stage and never reaches the
// innermost stage (child::run removes it).
const char* const pipe_fd_key = "_EMBED_ROOTLESS_FD";
// Set by the parent stage before parent::run() (k3s: _K3S_ROOTLESS_SOCK): marks the innermost
// stage, and tells it where the REST API is.
const char* const api_sock_key = "_EMBED_ROOTLESS_SOCK";
// "1" when the parent evacuates the cgroup: the child must then mount a fresh cgroup2 (k3s:
// _K3S_ROOTLESS_EVACUATE_CGROUP2). Parent and child options must agree.
const char* const evacuate_key = "_EMBED_ROOTLESS_EVACUATE_CGROUP2";

// The one network choice, made the same way in the parent and in the child stage.
rk::network::Selection network_selection(const embed::Settings& s) {
  rk::network::slirp4netns::Options o;
  if (s.mtu != 0) {
    o.mtu = s.mtu;
  }
  o.cidr = rk::network::Ipv4Network::parse(s.cidr);
  o.ifname = "tap0";
  o.disable_host_loopback = s.disable_host_loopback;
  // The slirp4netns port driver forwards through slirp4netns' API socket.
  o.api_socket = s.port_driver == "slirp4netns";
  return o;
}

rk::port::Selection port_selection(const embed::Settings& s) {
  if (s.port_driver == "slirp4netns") {
    return rk::port::slirp4netns::Options{};
  }
  return rk::port::builtin::ParentOptions{};
}

int run_parent(const embed::Settings& s) {
  embed::check_sysctls();  // before anything exists: a clear message instead of EPERM later
  rk::parent::Options o;
  o.pipe_fd_env_key = pipe_fd_key;
  o.state_dir = s.state_dir;
  o.create_pidns = true;
  o.create_cgroupns = true;
  o.create_utsns = true;
  o.create_ipcns = true;
  o.evacuate_cgroup2 = s.evacuate_cgroup2;
  o.network_driver = rk::network::make_parent_driver(network_selection(s));
  o.port_driver = rk::port::make_parent_driver(port_selection(s));
  // o.child_argv left empty: the child stage is this binary again (/proc/self/exe) with our
  // arguments, as k3s re-execs itself. A multithreaded embedder must re-exec; a single-threaded
  // one may set o.child_main instead and save the exec.
  // Inherited by the child and by the innermost stage.
  ::setenv(api_sock_key, (s.state_dir + "/" + rk::state_file_api_sock).c_str(), 1);
  if (!s.evacuate_cgroup2.empty()) {
    ::setenv(evacuate_key, "1", 1);
  }
  return rk::parent::run(o);
}

int run_child(const embed::Settings& s) {
  rk::child::Options o;
  o.pipe_fd_env_key = pipe_fd_key;
  // The innermost stage is this program again, with the same arguments (k3s: os.Args).
  o.target_cmd = {"/proc/self/exe"};
  o.target_cmd.insert(o.target_cmd.end(), s.args.begin(), s.args.end());
  const rk::network::Selection network = network_selection(s);
  o.network = rk::network::name_of(network);
  o.network_driver = rk::network::make_child_driver(network);
  o.port_driver = rk::port::make_child_driver(port_selection(s));
  o.copy_up_dirs = s.copy_up_dirs;
  o.mount_procfs = true;  // the parent creates a pid namespace
  o.reaper = true;
  const char* evacuate = std::getenv(evacuate_key);
  o.evacuate_cgroup2 = evacuate != nullptr && std::string(evacuate) == "1";
  return rk::child::run(o);
}

int run_innermost(const embed::Settings& s) {
  embed::ServiceOptions o;
  o.api_socket = std::getenv(api_sock_key);
  // Whatever this program starts is not the innermost stage again.
  ::unsetenv(api_sock_key);
  ::unsetenv(evacuate_key);
  o.publish = s.publish;
  o.copy_up_dirs = s.copy_up_dirs;
  return embed::run_service(o);
}

}  // namespace

int main(int argc, char** argv) {
  const bool child = rk::child::is_child(pipe_fd_key);
  const bool innermost = !child && std::getenv(api_sock_key) != nullptr;
  const char* stage = child ? "child" : innermost ? "innermost" : "parent";
  try {
    embed::Settings settings = embed::read_settings(argc, argv);
    if (settings.help) {
      std::fputs(embed::usage, stdout);
      return 0;
    }
    if (!innermost) {
      rk::log::init(child ? "child " : "parent", settings.debug);
    }
    if (child) {
      return run_child(settings);
    }
    return innermost ? run_innermost(settings) : run_parent(settings);
  } catch (const rk::Error& e) {
    std::fprintf(stderr, "embed %s: %s\n", stage, e.what());
    return e.exit_code();
  }
}

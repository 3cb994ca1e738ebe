// rootlesskit: the thin CLI over the library. The same binary is the parent (started by the user)
// and the child: the parent's clone runs the child role with the flags already parsed; an image
// started with the pipe variable set (as upstream's re-exec) parses the same argv again.
#include <malloc.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/driver_options.h"
#include "cli/flagset.h"
#include "cli/rootlesskit_flags.h"
#include "common/error.h"
#include "common/log.h"
#include "rootlesskit/child.h"
#include "rootlesskit/network.h"
#include "rootlesskit/parent.h"
#include "rootlesskit/port.h"

namespace rk = rootlesskit;

namespace {

std::vector<std::string> to_args(int argc, char** argv) { return std::vector<std::string>(argv + 1, argv + argc); }

bool reaper_enabled(const rk::cli::RootlesskitFlags& f) {
  if (f.reaper == "auto") {
    return f.pidns;
  }
  return f.reaper == "true";
}

// NETWORK and PORTS: the drivers the flags select (resolved once: binary lookup, slirp4netns
// feature probe).
int run_child(const rk::cli::RootlesskitFlags& f, const rk::network::Selection& network,
              const rk::port::Selection& ports) {
  rk::child::Options o;
  o.target_cmd = f.command;
  o.network = rk::network::name_of(network);
  o.network_driver = rk::network::make_child_driver(network);
  o.port_driver = rk::port::make_child_driver(ports);
  o.copy_up_dirs = f.copy_up;
  o.copy_up_mode = f.copy_up_mode;
  o.detach_netns = f.detach_netns;
  o.mount_procfs = f.pidns;
  o.propagation = f.propagation;
  o.reaper = reaper_enabled(f);
  o.evacuate_cgroup2 = !f.evacuate_cgroup2.empty();
  return rk::child::run(o);
}

// Runs ROLE, turning its errors into the fatal line and exit code upstream's CLI gives.
template <typename Role>
int report_errors(Role role) {
  try {
    return role();
  } catch (const rk::Error& e) {
    rk::log::fatal_line(e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    rk::log::fatal_line(e.what());
    return 1;
  }
}

int run_parent(const rk::cli::RootlesskitFlags& f, int argc, char** argv) {
  rk::cli::validate_rootlesskit(f, [](const std::string& warning) { rk::log::warn("{}", warning); });
  rk::parent::Options o;
  o.state_dir = f.state_dir;
  const rk::network::Selection network = rk::cli::network_selection(f);
  const rk::port::Selection ports = rk::cli::port_selection(f);
  o.network_driver = rk::network::make_parent_driver(network, f.detach_netns);
  o.port_driver = rk::port::make_parent_driver(ports);
  o.publish_ports = rk::cli::publish_specs(f);
  o.create_pidns = f.pidns;
  o.create_cgroupns = f.cgroupns;
  o.create_utsns = f.utsns;
  o.create_ipcns = f.ipcns;
  o.detach_netns = f.detach_netns;
  o.propagation = f.propagation;
  o.evacuate_cgroup2 = f.evacuate_cgroup2;
  o.subid_source = f.subid_source;
  o.child_argv = {"/proc/self/exe"};
  o.child_argv.insert(o.child_argv.end(), argv + 1, argv + argc);
  // We are one thread here: the clone runs the child role without exec'ing us again, with the
  // drivers already resolved.
  o.child_main = [&] {
    rk::log::init("child ", f.debug);
    return report_errors([&] { return run_child(f, network, ports); });
  };
  return rk::parent::run(o);
}

}  // namespace

int main(int argc, char** argv) {
  // One malloc arena for every thread: the builtin driver's event-loop threads allocate little,
  // mostly from their own tcache, and a second arena costs the parent ~130 kB resident.
  ::mallopt(M_ARENA_MAX, 1);
  const bool child = rk::child::is_child();
  rk::log::init(child ? "child " : "parent", false);
  return report_errors([&] {
    try {
      auto parsed = rk::cli::parse_rootlesskit(to_args(argc, argv));
      if (parsed.action != rk::cli::ParseResult::Action::run) {
        std::cout << parsed.output << std::flush;
        return 0;
      }
      rk::log::init(child ? "child " : "parent", parsed.flags.debug);
      const rk::cli::RootlesskitFlags& f = parsed.flags;
      if (child) {
        return run_child(f, rk::cli::network_selection(f), rk::cli::port_selection(f));
      }
      return run_parent(f, argc, argv);
    } catch (const rk::cli::UsageError& e) {
      std::cout << e.stdout_text() << std::flush;
      rk::log::fatal_line(e.what());
      return 1;
    }
  });
}

// The example's settings: its command line, and environment variables read by every stage the
// way k3s reads K3S_ROOTLESS_MTU, _CIDR, _PORT_DRIVER, _DISABLE_HOST_LOOPBACK and _COPYUPDIRS.
// The parent and the child stage must build the same driver choice from them.
#pragma once

#include <string>
#include <vector>

#include "rootlesskit/port_spec.h"

namespace embed {

inline constexpr const char* usage =
    "usage: embed [--publish=[HOSTIP:]HOSTPORT:CHILDPORT/tcp] [--evacuate-cgroup2=NAME] [--debug] STATE_DIR\n"
    "\n"
    "Runs a small TCP service as root in new user, mount, network (slirp4netns), pid, cgroup, uts\n"
    "and ipc namespaces, and publishes its port on the host through RootlessKit's REST API.\n"
    "SIGTERM or SIGINT stops it. STATE_DIR is created, and removed at exit.\n"
    "\n"
    "  --publish=SPEC            the port to publish (default 127.0.0.1:8080:80/tcp)\n"
    "  --evacuate-cgroup2=NAME   first move this cgroup2 group's processes to NAME below it\n"
    "  --debug                   the library's debug lines\n"
    "\n"
    "Environment:\n"
    "  EMBED_ROOTLESS_MTU                    slirp4netns' MTU (default 65520)\n"
    "  EMBED_ROOTLESS_CIDR                   the network (default 10.41.0.0/16; we get .100)\n"
    "  EMBED_ROOTLESS_PORT_DRIVER            builtin (default) or slirp4netns\n"
    "  EMBED_ROOTLESS_DISABLE_HOST_LOOPBACK  true (default): 10.41.0.2 does not reach the host's lo\n"
    "  EMBED_ROOTLESS_COPYUPDIRS             more dirs to copy up (comma-separated), besides\n"
    "                                        /etc, /var/run, /run and /var/lib\n";

struct Settings {
  bool help = false;
  bool debug = false;
  std::string state_dir;          // absolute
  std::vector<std::string> args;  // our argv[1..]: each stage re-runs us with them
  rootlesskit::port::Spec publish;
  std::string evacuate_cgroup2;
  int mtu = 0;  // 0: the driver's default
  std::string cidr = "10.41.0.0/16";
  std::string port_driver = "builtin";
  bool disable_host_loopback = true;
  std::vector<std::string> copy_up_dirs = {"/etc", "/var/run", "/run", "/var/lib"};
};

// Throws rootlesskit::Error (exit code 2 for bad usage).
Settings read_settings(int argc, char** argv);

}  // namespace embed

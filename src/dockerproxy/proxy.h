// rootlesskit-docker-proxy: the drop-in for libnetwork's docker-proxy that dockerd < 28 runs,
// inside RootlessKit's child namespaces, for every published port in rootless mode. It asks the
// RootlessKit API ($ROOTLESSKIT_STATE_DIR/api.sock) to publish the host port on the host, then
// runs the real docker-proxy on the child's side of that port (upstream
// cmd/rootlesskit-docker-proxy/main.go; docs/docker-proxy.md).
#pragma once

#include <string>
#include <vector>

#include "dockerproxy/options.h"

namespace rootlesskit::dockerproxy {

// The program once its command line is parsed (cli/docker_proxy_flags.h); `argv` is passed on
// as is to the real docker-proxy when there is no port driver. Returns the exit code:
//   0  stopped by SIGINT (what dockerd sends), SIGTERM, SIGHUP or SIGQUIT, after killing the real
//      docker-proxy and removing the port; or a proto the port driver cannot publish (warned
//      about, "0\n" on fd 3, like upstream #250);
//   1  any error: "1\n<error>" on fd 3 while it is still ours, `YYYY/MM/DD HH:MM:SS <error>` on
//      stderr (Go's log.Fatal). The real docker-proxy dying on its own is such an error (after
//      the port is removed).
// Does not return when the API reports no port driver: it execs the real docker-proxy with the
// same arguments.
int run_proxy(const Options& options, const std::vector<std::string>& argv);

}  // namespace rootlesskit::dockerproxy

// rootlesskit-docker-proxy: the drop-in for libnetwork's docker-proxy that dockerd < 28 runs,
// inside RootlessKit's child namespaces, for every published port in rootless mode. It asks the
// RootlessKit API ($ROOTLESSKIT_STATE_DIR/api.sock) to publish the host port on the host, then
// runs the real docker-proxy on the child's side of that port (upstream
// cmd/rootlesskit-docker-proxy/main.go; docs/docker-proxy.md).
#pragma once

#include <string>
#include <vector>

namespace rootlesskit::dockerproxy {

// The whole program; argv[0] names it in the usage text. Returns the exit code:
//   0  stopped by SIGINT (what dockerd sends), SIGTERM, SIGHUP or SIGQUIT, after killing the real
//      docker-proxy and removing the port; or a proto the port driver cannot publish (warned
//      about, "0\n" on fd 3, like upstream #250);
//   2  bad command line (Go flag's message and usage on stderr; -h/-help print the usage, 0);
//   1  any error: "1\n<error>" on fd 3 while it is still ours, `YYYY/MM/DD HH:MM:SS <error>` on
//      stderr (Go's log.Fatal). The real docker-proxy dying on its own is such an error (after
//      the port is removed).
// Does not return when the API reports no port driver: it execs the real docker-proxy with the
// same arguments.
int main_entry(const std::vector<std::string>& argv);

}  // namespace rootlesskit::dockerproxy

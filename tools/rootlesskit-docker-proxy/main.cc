// rootlesskit-docker-proxy: thin main() over src/dockerproxy (see proxy.h). dockerd < 28 runs it
// as its userland proxy inside RootlessKit's child namespaces.
#include "cli/docker_proxy_flags.h"

int main(int argc, char** argv) {
  return rootlesskit::cli::docker_proxy_main(std::vector<std::string>(argv, argv + argc));
}

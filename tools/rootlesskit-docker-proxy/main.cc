// rootlesskit-docker-proxy: thin main() over src/dockerproxy (see proxy.h). dockerd < 28 runs it
// as its userland proxy inside RootlessKit's child namespaces.
#include "dockerproxy/proxy.h"

int main(int argc, char** argv) {
  return rootlesskit::dockerproxy::main_entry(std::vector<std::string>(argv, argv + argc));
}

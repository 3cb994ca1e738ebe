// A stand-in for k3s: a program of its own that embeds the parent and the child roles through the
// public headers, with its own pipe variable (k3s uses _K3S_ROOTLESS_FD), a pid namespace, the
// reaper and a copied-up /etc. Usage: embedder STATE_DIR COMMAND... (tests/integration/test-embedding.sh)
#include <cstdio>
#include <string>
#include <vector>

#include "rootlesskit/child.h"
#include "rootlesskit/error.h"
#include "rootlesskit/parent.h"

namespace {

const char* const pipe_key = "_EMBEDDER_ROOTLESS_FD";

int run_child(int argc, char** argv) {
  rootlesskit::child::Options o;
  o.pipe_fd_env_key = pipe_key;
  o.target_cmd.assign(argv + 2, argv + argc);
  o.mount_procfs = true;
  o.reaper = true;
  o.copy_up_dirs = {"/etc"};
  return rootlesskit::child::run(o);
}

int run_parent(int argc, char** argv) {
  rootlesskit::parent::Options o;
  o.pipe_fd_env_key = pipe_key;
  o.state_dir = argv[1];
  o.create_pidns = true;
  o.child_argv = {"/proc/self/exe"};
  o.child_argv.insert(o.child_argv.end(), argv + 1, argv + argc);
  return rootlesskit::parent::run(o);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: embedder STATE_DIR COMMAND...\n");
    return 2;
  }
  const bool child = rootlesskit::child::is_child(pipe_key);
  try {
    return child ? run_child(argc, argv) : run_parent(argc, argv);
  } catch (const rootlesskit::Error& e) {
    std::fprintf(stderr, "embedder %s: %s\n", child ? "child" : "parent", e.what());
    return e.exit_code();
  }
}

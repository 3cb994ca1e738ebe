// Starting the child: clone(2) into new user+mount(+pid) namespaces, unshare the rest, wait until
// the parent has written the ID maps, then exec the child image (which thereby starts as uid 0
// with full capabilities: no second exec is needed to gain them), or run the child's main
// function in the clone itself. Runs in the parent.
#pragma once

#include <signal.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "common/fd.h"
#include "common/process.h"

namespace rootlesskit::parent {

struct SpawnRequest {
  std::vector<std::string> argv;  // argv[0] is exec'd as is (e.g. /proc/self/exe)
  std::vector<std::string> env;   // complete environment, without the pipe variable
  // Names the channel for the child: "<fd>,<fd>" (upstream's "<read>,<write>" shape; both
  // numbers are the one channel socket).
  std::string pipe_fd_env_key;
  int clone_flags = 0;    // CLONE_NEW* given to clone(2)
  int unshare_flags = 0;  // CLONE_NEW* unshared by the child before exec
  int listen_fds = 0;     // systemd socket-activation fds 3..3+N-1 kept at their numbers
  sigset_t exec_mask{};   // signal mask the child image starts with
  // Not null: run in the cloned child instead of the exec (parent::Options::child_main).
  const std::function<int()>* child_main = nullptr;
};

struct SpawnedChild {
  // The parent's end of the parent/child channel (messages/channel.h). The parent holds no copy
  // of the child's end, so the child's death shows as EOF here. Declared first so that it is
  // closed last: on an error path the child is killed before it can see the EOF and report
  // a second, misleading error ("the parent closed the channel ...").
  Fd channel;
  ChildProcess process;
};

// Starts the child; it blocks before exec until release_child() is called. Throws Error
// ("failed to start the child: ...").
SpawnedChild spawn_child(const SpawnRequest& request);

// Lets the child exec its image (call after the ID maps are written). Throws as
// throw_child_exit() when the child is already gone (the write fails with EPIPE: a symptom).
void release_child(SpawnedChild& child);

// Waits for the child to exit and throws that: Error "child exited: signal: killed" with
// upstream's exit code (exit_code_of). For a step that failed because the child is gone.
[[noreturn]] void throw_child_exit(SpawnedChild& child);

// Throws as throw_child_exit() if the child has exited or exits within `grace`; returns
// otherwise. For a step whose failure may only be a symptom of the child's death (a helper that
// cannot find the child's namespaces); the grace covers a child that is still between losing
// its namespaces and being reported as exited.
void throw_if_child_exited(SpawnedChild& child, std::chrono::milliseconds grace);

}  // namespace rootlesskit::parent

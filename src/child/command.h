// Running COMMAND from the child: fork+exec with PDEATHSIG, signal forwarding, the reaper
// (pid-namespace init, or PR_SET_CHILD_SUBREAPER without --pidns), and exit status mapping.
// Runs in the child, inside all the new namespaces, on its main (and only) thread.
#pragma once

#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/signals.h"

namespace rootlesskit::child {

struct CommandOptions {
  std::vector<std::string> argv;
  bool reaper = false;
  bool pid_namespace_init = false;  // we are pid 1 of a new pid namespace
  bool socket_activation = false;   // set LISTEN_PID to the command's own pid
  // Without a pid namespace, the parent-death signal is SIGTERM rather than SIGKILL, so that we
  // can take COMMAND's whole subtree down with us; 0 in a pid namespace (its end kills all).
  pid_t parent_pid = 0;
};

// Runs the command to completion, supervising it (signals, reaping) on `loop`, which may serve
// other handlers meanwhile (the port driver's child half). Returns 0 when it exits 0; throws
// Error "command [argv] exited: <status>" with the exit code to use (255 for a signal) otherwise.
int run_command(const CommandOptions& options, SignalReceiver& signals, EventLoop& loop);

}  // namespace rootlesskit::child

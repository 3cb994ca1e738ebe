// Starting a long-running network helper (slirp4netns, vde_plug, later vpnkit/pasta) from the
// parent: chosen fds at chosen numbers, PDEATHSIG SIGKILL, its own process group, and optionally
// inside the child's network namespace (network/netns.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/process.h"
#include "common/spawn.h"
#include "network/netns.h"

namespace rootlesskit::network {

struct HelperSpec {
  std::vector<std::string> argv;  // argv[0] is looked up in $PATH (Go exec.LookPath rules)
  // {fd number in the helper, fd in the caller}; 0/1/2 included. Unlisted stdio fds are
  // inherited; no other fd reaches the helper.
  std::vector<FdMapping> fds;
  // Joined before exec when set (the helper then runs in the child's netns).
  const OpenedNetns* netns = nullptr;
};

// Forks and execs the helper (spawn_program). It gets SIGKILL if the parent dies, starts with no
// blocked signals, and runs in a process group of its own: a Ctrl-C on the terminal goes to
// rootlesskit and COMMAND, not to the network under them (rootlesskit stops its helpers itself).
// The returned owner holds a pidfd. Throws Error "failed to start <argv0>: <cause>", e.g.
// "failed to start slirp4netns: failed to join the network namespace <path>: <errno text>".
ChildProcess spawn_helper(const HelperSpec& spec);

// A helper's stdout+stderr, shown as debug lines "<label>: <line>" like upstream's logWriter.
// Nobody reads it while COMMAND runs, so the helper's end is non-blocking: once the pipe buffer
// is full, further output is dropped instead of stalling the network. drain() is called at the
// moments the text matters (readiness, exit, cleanup).
class HelperOutput {
 public:
  explicit HelperOutput(std::string label);
  // The fd to hand to the helper as 1 and 2; close it after spawning (release_helper_end()).
  int helper_end() const { return m_write.get(); }
  void release_helper_end() { m_write.reset(); }
  int fd() const { return m_read.get(); }
  // Reads what is available without blocking, logging complete lines. At EOF, logs the rest.
  void drain();
  // The last complete or partial lines read (at most ~2 KiB), for error messages.
  const std::string& tail() const { return m_tail; }
  void clear_tail() { m_tail.clear(); }

 private:
  std::string m_label;
  Fd m_read;
  Fd m_write;
  std::string m_partial;
  std::string m_tail;
};

// "<name> exited: <status> (<output tail>)" once the helper has exited (it is then reaped);
// nullopt while it runs or when there is none. For ParentDriver::reap_exited_helper().
std::optional<std::string> exited_helper_message(ChildProcess& process, HelperOutput& output, const std::string& name);

// SIGKILLs and reaps the helper if there is one, logging "killing <name>" / "killed <name>: <status>"
// like upstream. For ParentDriver::cleanup().
void stop_helper(ChildProcess& process, HelperOutput& output, const std::string& name);

}  // namespace rootlesskit::network

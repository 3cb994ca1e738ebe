// Stopping a helper that daemonized away from us (pasta forks, and its first process exits): we
// cannot wait(2) for it nor give it PDEATHSIG, so we hold a pidfd (immune to PID reuse) and fork
// a small watchdog that SIGKILLs the daemon as soon as the parent is gone, even by SIGKILL.
// Runs in the parent; the watchdog is a worker of it (common/spawn.h: a fork, no exec).
#pragma once

#include <sys/types.h>

#include <string>

#include "common/fd.h"
#include "common/process.h"

namespace rootlesskit::network::pasta {

class DaemonGuard {
 public:
  // Opens a pidfd for `pid` and forks the watchdog. The watchdog keeps nothing of ours open but
  // the pidfd and the read end of a pipe whose only write end we hold: EOF on it (our exit,
  // whatever the cause) makes it kill the daemon; the daemon's own exit makes it exit.
  // Throws Error "<name> (PID <pid>) exited right after starting" or a fork/pidfd error (after
  // a failed fork the daemon is killed, since nothing would stop it otherwise).
  DaemonGuard(pid_t pid, std::string name);
  DaemonGuard(const DaemonGuard&) = delete;
  DaemonGuard& operator=(const DaemonGuard&) = delete;
  ~DaemonGuard();

  pid_t pid() const { return m_pid; }

  // Non-blocking, for the parent's SIGCHLD handling: true once the daemon has exited (its
  // watchdog then exits, and is reaped here).
  bool daemon_exited();

  // SIGKILLs the daemon, waits (at most a few seconds) until it is gone, then ends and reaps the
  // watchdog. Idempotent. Returns false if the daemon was still there after the wait.
  bool stop();

 private:
  pid_t m_pid = -1;
  std::string m_name;
  Fd m_pidfd;
  Fd m_alive;  // write end of the watchdog's pipe
  ChildProcess m_watchdog;
};

// True when the pidfd of a process is readable, i.e. the process has exited; waits at most
// `timeout_ms` (0: just looks).
bool pidfd_exited(int pidfd, int timeout_ms);

}  // namespace rootlesskit::network::pasta

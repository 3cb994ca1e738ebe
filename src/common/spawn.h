// The one way to start a process: fork, a fixed list of setup steps (parent-death signal, process
// group, namespaces, fds, signal mask), then execve (spawn_program) or C++ code (spawn_worker).
// A failed step comes back to the caller as {step, errno} and is worded there. Used by the parent
// (helpers, newuidmap, socat) and the child (COMMAND, network workers).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/fd.h"
#include "common/process.h"

namespace rootlesskit {

// The new process gets the caller's `source` fd at number `target`. A source may sit on another
// mapping's target number (every source is moved out of the way before any is installed), and
// one source may be given to several targets (e.g. a pipe as both 1 and 2).
struct FdMapping {
  int target;
  int source;
};

// A namespace the new process joins (setns) before it execs or runs its body, in list order (a
// user namespace before the network namespace it owns). The caller opens `fd` (O_CLOEXEC) and
// keeps it open until the spawn returns; `description` names it in errors, e.g.
// "the network namespace /proc/42/ns/net".
struct NamespaceJoin {
  int fd;
  int nstype;  // CLONE_NEWUSER, CLONE_NEWNET, ...
  std::string description;
};

// What a program gets of the caller's fds >= 3 that its plan does not list.
enum class OtherFds {
  cloexec,  // none: they are marked close-on-exec, whoever opened them (helpers)
  inherit,  // those without FD_CLOEXEC pass through: COMMAND gets what the user left inheritable
};

struct ProcessSetup {
  // Sent to the new process when the THREAD that spawned it ends (prctl(2) ties it to the
  // thread, not the process): spawn from a thread that lives as long as the process should.
  // If the parent is already gone by the time it is armed, the new process exits (127). 0: none.
  int pdeathsig = SIGKILL;
  // setpgid(0, 0): signals for the terminal's foreground group (Ctrl-C) do not reach it.
  // Programs only: a worker always gets its own group.
  bool new_process_group = false;
  std::optional<sigset_t> signal_mask;  // the mask it starts with; default: nothing blocked
  std::vector<NamespaceJoin> namespaces;
  std::vector<FdMapping> fds;              // 0/1/2 not listed here are inherited as they are
  OtherFds other_fds = OtherFds::cloexec;  // programs only (a worker keeps nothing unlisted)
};

struct ProgramSpec {
  std::vector<std::string> argv;                // argv[0] is resolved with look_path() (Go's exec.LookPath)
  std::optional<std::vector<std::string>> env;  // "KEY=VALUE"; nullopt: the caller's environ
  std::vector<std::string> extra_env;           // added to `env`, replacing same-named entries
  // A variable set to the new process's own pid (systemd's LISTEN_PID): its slot is reserved
  // before the fork and the digits are written into it after, without allocating. "": none.
  std::string own_pid_env;
  ProcessSetup setup;
};

// Forks, runs the setup steps and execs `spec.argv`; SIGPIPE is reset to its default first (we
// ignore it, and an ignored disposition survives exec). Returns once the exec has succeeded, as
// a ChildProcess that holds a pidfd. Safe to call from any thread of a multithreaded process:
// argv, envp and the fd plan are prepared before the fork, and nothing is allocated between
// fork and exec. Throws Error: look_path's text; "fork: ..."; "pidfd_open: ..."; or the step
// that failed (the process is then reaped), e.g. "fork/exec /usr/bin/socat: permission denied",
// "failed to join the network namespace /proc/42/ns/net: operation not permitted",
// "failed to pass fd 3: bad file descriptor".
ChildProcess spawn_program(const ProgramSpec& spec);

// Async-signal-safe: installs `count` mappings as the setup steps do: every source is first
// copied above all targets (close-on-exec copies: after exec only the targets remain), then
// dup2'd onto its target. `scratch` has `count` slots. Returns 0, or the errno of the step that
// failed with the mapping's index in `*failed`. For a caller that must clone(2) by itself
// (parent/spawn.cc: new namespaces); everyone else uses spawn_program()/spawn_worker().
int install_fds(const FdMapping* fds, size_t count, int* scratch, size_t* failed) noexcept;

// --- Workers: forked processes that run C++ code of ours instead of exec'ing.
//
// CONSTRAINT: a worker's body allocates, throws and logs, which is only safe after fork when the
// process that forks is single-threaded (another thread may hold the malloc lock or a logging
// mutex at the moment of the fork). So spawn_worker() may be called only before the parent starts
// the builtin port driver's threads (network drivers configure at step 14 of
// docs/ARCHITECTURE.md, the port driver starts at step 16), in the child
// (which never starts threads), or in a worker; from anywhere else the body must restrict itself
// to async-signal-safe calls. The setup steps themselves are always safe.
//
// Every worker is isolated the same way: its own process group (the terminal's signals are for
// COMMAND, not for the machinery under it), stdin and stdout on /dev/null, stderr kept for its
// log lines, its report pipe at fd `worker_report_fd`, the `fds` of its setup, and nothing else
// open: no pipe, socket or lock of the process that forked it stays alive because of it. The
// signal mask is emptied (or set to `signal_mask`).

// Where a worker finds its report pipe; a setup's fds must not target it.
inline constexpr int worker_report_fd = 3;

// In a worker: tells the process that started it that it is ready, with `body` for it (returned
// by Worker::await_ready), and closes the report pipe. At most once; the worker may go on running.
// Async-signal-safe (no allocation).
void report_ready(std::string_view body = {});

class Worker {
 public:
  Worker(std::string name, ChildProcess process, Fd report);
  Worker(Worker&&) noexcept = default;
  Worker& operator=(Worker&&) noexcept = default;

  ChildProcess& process() { return m_process; }

  // Waits until the worker reports and returns what it passed to report_ready(). Otherwise throws
  // Error, after reaping the worker: its own error (the text of what its body threw); the setup
  // step that failed ("failed to join ...: ..."); "<name> exited: <status>" when it ended without
  // a report; "<name> did not answer within <N>s" (after SIGKILL) when `timeout` passed.
  std::string await_ready(std::optional<std::chrono::milliseconds> timeout = std::nullopt);

 private:
  std::string m_name;  // e.g. "DHCP lease keeper", for messages
  ChildProcess m_process;
  Fd m_report;
};

// Forks a worker that runs the setup steps, then `body`; returns once the setup is done. When
// `body` returns, the worker exits 0; when it throws, the exception's text is its error report
// (or, once it has reported ready, an error log line) and it exits 1. The caller then normally
// calls await_ready(). Throws Error: "<name>: fork: ..."; the setup step that failed, worded as
// for spawn_program (the worker is then reaped); "<name> exited: <status>" if it died in setup.
Worker spawn_worker(std::string name, const ProcessSetup& setup, const std::function<void()>& body);

}  // namespace rootlesskit

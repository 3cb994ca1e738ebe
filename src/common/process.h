// Processes: the owner of a child pid (kills and reaps if still owned), running a helper
// program and capturing its output, PATH lookup, and Go-style wait-status texts. Starting a
// process is common/spawn.h. Used by the parent (newuidmap, getsubids, network helpers) and the
// child (COMMAND).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "common/fd.h"

namespace rootlesskit {

// Go's exec.LookPath: a name with a '/' is checked as is; otherwise each $PATH entry is tried.
// Returns the path, or throws Error with Go's text:
//   exec: "x": executable file not found in $PATH   |   exec: "/p": stat /p: no such file or directory
std::string look_path(const std::string& name);

// argv/envp for execve: pointers into `strings` (which must outlive the result), NULL-terminated.
// Built before a fork, so that the forked process does not allocate.
std::vector<char*> c_string_array(std::vector<std::string>& strings);

// Go's text for a wait(2) status: "exit status 3", "signal: killed", "signal: user defined signal 1".
std::string describe_wait_status(int status);
// Go's name of a signal as printed by os/exec ("killed", "terminated", "interrupt", ...).
std::string go_signal_name(int sig);
// Exit code upstream derives from a wait status: the exit code, or 255 when killed by a signal.
int exit_code_of(int status);

// Owns a child pid, and optionally a pidfd for it (spawn.h always opens one: an event loop can
// poll it for the exit, and signals sent through it cannot hit a recycled pid). The destructor
// SIGKILLs the process and all its descendants and reaps it, if it was neither waited for nor
// released. Move-only.
class ChildProcess {
 public:
  ChildProcess() = default;
  explicit ChildProcess(pid_t pid) : m_pid(pid) {}
  ChildProcess(pid_t pid, Fd pidfd) : m_pid(pid), m_pidfd(std::move(pidfd)) {}
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess();

  pid_t pid() const { return m_pid; }
  // Readable (POLLIN) once the process has exited; -1 when there is none. Owned by this object.
  int pidfd() const { return m_pidfd.get(); }
  explicit operator bool() const { return m_pid > 0; }
  // Blocks until the process exits; returns the raw wait status. The object no longer owns it.
  int wait();
  // Non-blocking: returns the wait status if it has exited (then no longer owned).
  std::optional<int> try_wait();
  // For a caller that reaps with waitpid(-1) (the child's reaper): if `reaped` is our pid, stops
  // owning it (it is gone: nothing to kill) and returns true.
  bool take_reaped(pid_t reaped);
  // Sends `sig` (through the pidfd when there is one); errors (already gone) are ignored.
  void signal(int sig) const;
  // Stops owning the pid without waiting (someone else reaps it); closes the pidfd.
  pid_t release();

 private:
  void kill_and_reap();
  pid_t m_pid = -1;
  Fd m_pidfd;
};

struct CommandResult {
  int status = 0;  // raw wait status
  std::string out;
  std::string err;
  bool success() const;
};

struct RunOptions {
  bool capture_stdout = true;
  bool capture_stderr = true;
  // Extra "KEY=VALUE" entries, replacing same-named ones; the current environment is inherited.
  std::vector<std::string> extra_env;
  bool pdeathsig = true;  // the helper gets SIGKILL if we die
};

// A started helper whose output is being captured; wait() collects it.
class RunningCommand {
 public:
  RunningCommand(ChildProcess process, Fd out, Fd err);
  RunningCommand(RunningCommand&&) noexcept = default;
  // Reads stdout/stderr to EOF and reaps the process.
  CommandResult wait();

 private:
  ChildProcess m_process;
  Fd m_out;
  Fd m_err;
};

// Starts argv (argv[0] looked up with look_path) without waiting, so independent helpers can run
// side by side. Throws Error only if it could not be started.
RunningCommand start_command(const std::vector<std::string>& argv, const RunOptions& options = {});

// Runs argv (argv[0] looked up with look_path) to completion. Throws Error only if it could not be
// started; a non-zero exit is reported in the result.
CommandResult run_command(const std::vector<std::string>& argv, const RunOptions& options = {});

}  // namespace rootlesskit

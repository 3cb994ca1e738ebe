// Processes: the owner of a child pid (kills and reaps if still owned), running a helper
// program and capturing its output, PATH lookup, and Go-style wait-status texts.
// Used by the parent (newuidmap, getsubids, network helpers) and the child (COMMAND).
#pragma once

#include <sys/types.h>

#include <functional>
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

// Owns a child pid: the destructor SIGKILLs it and all its descendants and reaps it, if it was
// neither waited for nor released. Move-only.
class ChildProcess {
 public:
  ChildProcess() = default;
  explicit ChildProcess(pid_t pid) : m_pid(pid) {}
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess();

  pid_t pid() const { return m_pid; }
  explicit operator bool() const { return m_pid > 0; }
  // Blocks until the process exits; returns the raw wait status. The object no longer owns it.
  int wait();
  // Non-blocking: returns the wait status if it has exited (then no longer owned).
  std::optional<int> try_wait();
  // Sends `sig`; errors (already gone) are ignored.
  void signal(int sig) const;
  // Stops owning the pid without waiting (someone else reaps it).
  pid_t release();

 private:
  void kill_and_reap();
  pid_t m_pid = -1;
};

// A forked worker process and the read end of the pipe it reports on.
struct Worker {
  ChildProcess process;
  Fd report;
};

// Forks; the new process runs `body(report_fd)`, which must never return (it execs or _exits).
// The caller gets the worker and the pipe's read end (its own copy of the write end is closed,
// so EOF means the worker exec'd, exited or closed it). `body` runs in a copy of a possibly
// multithreaded process: keep it to what is safe after fork. Throws Error "<what>: fork: ...".
Worker fork_worker(const std::string& what, const std::function<void(int report_fd)>& body);

struct CommandResult {
  int status = 0;  // raw wait status
  std::string out;
  std::string err;
  bool success() const;
};

struct RunOptions {
  bool capture_stdout = true;
  bool capture_stderr = true;
  // Extra "KEY=VALUE" entries; the current environment is inherited.
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

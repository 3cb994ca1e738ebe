// fork+exec of COMMAND, then a signalfd loop that forwards signals and reaps.
#include "child/command.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "common/error.h"
#include "common/fd.h"
#include "common/log.h"
#include "common/process.h"
#include "common/process_tree.h"
#include "common/strings.h"

extern char** environ;

namespace rootlesskit::child {
namespace {

// In the forked command process: never returns. Exec errors go back through `error_fd`.
[[noreturn]] void exec_command(const std::string& path, std::vector<std::string> argv, const CommandOptions& o,
                               const SignalReceiver& signals, pid_t supervisor, int error_fd) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != supervisor) {
    ::_exit(1);
  }
  ::signal(SIGPIPE, SIG_DFL);
  ::sigprocmask(SIG_SETMASK, &signals.previous_mask(), nullptr);
  if (o.socket_activation) {
    ::setenv("LISTEN_PID", std::to_string(::getpid()).c_str(), 1);
  }
  auto c_argv = c_string_array(argv);
  ::execve(path.c_str(), c_argv.data(), environ);
  int err = errno;
  (void)!::write(error_fd, &err, sizeof err);
  ::_exit(127);
}

// Returns the exec errno reported by the command process, or 0 once exec succeeded (EOF).
int wait_for_exec(Fd& error_read) {
  int err = 0;
  size_t n = read_full(error_read.get(), &err, sizeof err);
  return n == sizeof err ? err : 0;
}

// With the reaper every orphan is ours to wait for; without it only the command is.
std::optional<int> reap(pid_t command, bool reaper) {
  std::optional<int> command_status;
  while (true) {
    int status = 0;
    pid_t pid = ::waitpid(reaper ? -1 : command, &status, WNOHANG);
    if (pid <= 0) {
      return command_status;
    }
    if (pid == command) {
      command_status = status;
    }
  }
}

int supervise(pid_t command, const CommandOptions& o, SignalReceiver& signals) {
  while (true) {
    ReceivedSignal s = signals.next();
    if (s.signo == SIGCHLD) {
      if (auto status = reap(command, o.reaper)) {
        return *status;
      }
    } else if (s.signo == SIGTERM && o.parent_pid != 0 && ::getppid() != o.parent_pid) {
      log::debug("the parent died: killing every descendant");
      kill_descendants(::getpid());
    } else if (should_forward(s)) {
      ::kill(command, s.signo);
    }
  }
}

}  // namespace

int run_command(const CommandOptions& o, SignalReceiver& signals) {
  const std::string described = "command " + go_slice(o.argv);
  std::string path;
  try {
    path = look_path(o.argv.at(0));
  } catch (const Error& e) {
    throw e.wrap(described + " exited");
  }
  if (o.reaper && !o.pid_namespace_init) {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  }
  Pipe exec_error = make_pipe();
  pid_t self = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    throw errno_error(described + " exited: fork");
  }
  if (pid == 0) {
    exec_command(path, o.argv, o, signals, self, exec_error.write.get());
  }
  exec_error.write.reset();
  if (int err = wait_for_exec(exec_error.read); err != 0) {
    ::waitpid(pid, nullptr, 0);
    throw Error(described + " exited: fork/exec " + path + ": " + errno_text(err));
  }
  int status = supervise(pid, o, signals);
  if (o.reaper && !o.pid_namespace_init) {
    // Descendants left behind are ours in subreaper mode: end them as a pid namespace would
    // (SPEC §16 #16) instead of leaving orphans.
    kill_descendants(::getpid());
    while (::waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
    }
  }
  if (status != 0) {
    throw Error(described + " exited: " + describe_wait_status(status), exit_code_of(status));
  }
  return 0;
}

}  // namespace rootlesskit::child

// ChildProcess ownership, helper execution with captured output (over common/spawn.h), PATH
// lookup and Go-compatible wait-status descriptions.
#include "common/process.h"

#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/error.h"
#include "common/fd.h"
#include "common/process_tree.h"
#include "common/spawn.h"
#include "common/strings.h"

namespace rootlesskit {

std::string look_path(const std::string& name) {
  auto is_executable_file = [](const std::string& p, int* err) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      *err = errno;
      return false;
    }
    if (S_ISDIR(st.st_mode) || (st.st_mode & 0111) == 0) {
      *err = EACCES;
      return false;
    }
    return true;
  };
  int err = 0;
  if (name.find('/') != std::string::npos) {
    if (is_executable_file(name, &err)) {
      return name;
    }
    if (err == EACCES) {
      throw Error("exec: " + go_quote(name) + ": permission denied");
    }
    throw Error("exec: " + go_quote(name) + ": stat " + name + ": " + errno_text(err));
  }
  const char* path_env = std::getenv("PATH");
  for (const auto& dir : split(path_env ? path_env : "", ':')) {
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (is_executable_file(candidate, &err)) {
      return candidate;
    }
  }
  throw Error("exec: " + go_quote(name) + ": executable file not found in $PATH");
}

std::vector<char*> c_string_array(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) {
    out.push_back(s.data());
  }
  out.push_back(nullptr);
  return out;
}

std::string go_signal_name(int sig) {
  switch (sig) {
    case SIGHUP: return "hangup";
    case SIGINT: return "interrupt";
    case SIGQUIT: return "quit";
    case SIGILL: return "illegal instruction";
    case SIGTRAP: return "trace/breakpoint trap";
    case SIGABRT: return "aborted";
    case SIGBUS: return "bus error";
    case SIGFPE: return "floating point exception";
    case SIGKILL: return "killed";
    case SIGUSR1: return "user defined signal 1";
    case SIGSEGV: return "segmentation fault";
    case SIGUSR2: return "user defined signal 2";
    case SIGPIPE: return "broken pipe";
    case SIGALRM: return "alarm clock";
    case SIGTERM: return "terminated";
    case SIGSTKFLT: return "stack fault";
    case SIGCHLD: return "child exited";
    case SIGCONT: return "continued";
    case SIGSTOP: return "stopped (signal)";
    case SIGTSTP: return "stopped";
    case SIGTTIN: return "stopped (tty input)";
    case SIGTTOU: return "stopped (tty output)";
    case SIGURG: return "urgent I/O condition";
    case SIGXCPU: return "CPU time limit exceeded";
    case SIGXFSZ: return "file size limit exceeded";
    case SIGVTALRM: return "virtual timer expired";
    case SIGPROF: return "profiling timer expired";
    case SIGWINCH: return "window changed";
    case SIGIO: return "I/O possible";
    case SIGPWR: return "power failure";
    case SIGSYS: return "bad system call";
    default: return "signal " + std::to_string(sig);
  }
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) {
    return "exit status " + std::to_string(WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status)) {
    std::string text = "signal: " + go_signal_name(WTERMSIG(status));
    if (WCOREDUMP(status)) {
      text += " (core dumped)";
    }
    return text;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "exited with WAITSTATUS=0x%08x", static_cast<unsigned>(status));
  return buf;
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return 255;
}

namespace {

// Raw syscalls: bookworm's <sys/pidfd.h> lacks extern "C" (glibc 2.36).
int send_through_pidfd(int pidfd, int sig) {
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}

bool pidfd_says_exited(int pidfd) {
  pollfd p{pidfd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

}  // namespace

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : m_pid(std::exchange(other.m_pid, -1)), m_pidfd(std::move(other.m_pidfd)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill_and_reap();
    m_pid = std::exchange(other.m_pid, -1);
    m_pidfd = std::move(other.m_pidfd);
  }
  return *this;
}

ChildProcess::~ChildProcess() { kill_and_reap(); }

void ChildProcess::kill_and_reap() {
  if (m_pid <= 0) {
    return;
  }
  // Already exited (then its children were handed to a reaper: none are left under it), maybe
  // even reaped by someone else's waitpid(-1): the pid may name another process by now.
  bool exited = m_pidfd && pidfd_says_exited(m_pidfd.get());
  if (!exited) {
    // Its descendants first: without a pid namespace nothing else would end what COMMAND started.
    kill_descendants(m_pid);
    signal(SIGKILL);
  }
  int status = 0;
  while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
  }
  m_pid = -1;
  m_pidfd.reset();
}

int ChildProcess::wait() {
  int status = 0;
  while (::waitpid(m_pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw errno_error("waitpid");
    }
  }
  m_pid = -1;
  m_pidfd.reset();
  return status;
}

std::optional<int> ChildProcess::try_wait() {
  int status = 0;
  pid_t r = ::waitpid(m_pid, &status, WNOHANG);
  if (r == m_pid) {
    m_pid = -1;
    m_pidfd.reset();
    return status;
  }
  return std::nullopt;
}

bool ChildProcess::take_reaped(pid_t reaped) {
  if (m_pid <= 0 || reaped != m_pid) {
    return false;
  }
  m_pid = -1;
  m_pidfd.reset();
  return true;
}

void ChildProcess::signal(int sig) const {
  if (m_pidfd) {
    send_through_pidfd(m_pidfd.get(), sig);
  } else if (m_pid > 0) {
    ::kill(m_pid, sig);
  }
}

pid_t ChildProcess::release() {
  m_pidfd.reset();
  return std::exchange(m_pid, -1);
}

bool CommandResult::success() const { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }

namespace {

// Reads both pipes until EOF on each (poll, so neither can fill up and block the helper).
void drain(Fd& out_fd, Fd& err_fd, std::string& out, std::string& err) {
  while (out_fd || err_fd) {
    pollfd fds[2] = {{out_fd.get(), POLLIN, 0}, {err_fd.get(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw errno_error("poll");
    }
    Fd* owners[2] = {&out_fd, &err_fd};
    std::string* sinks[2] = {&out, &err};
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) {
        continue;
      }
      char buf[4096];
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        owners[i]->reset();
      }
    }
  }
}

}  // namespace

RunningCommand::RunningCommand(ChildProcess process, Fd out, Fd err)
    : m_process(std::move(process)), m_out(std::move(out)), m_err(std::move(err)) {}

CommandResult RunningCommand::wait() {
  CommandResult result;
  drain(m_out, m_err, result.out, result.err);
  result.status = m_process.wait();
  return result;
}

CommandResult run_command(const std::vector<std::string>& argv, const RunOptions& options) {
  return start_command(argv, options).wait();
}

RunningCommand start_command(const std::vector<std::string>& argv, const RunOptions& options) {
  Pipe out = make_pipe();
  Pipe err = make_pipe();
  ProgramSpec spec;
  spec.argv = argv;
  spec.extra_env = options.extra_env;
  spec.setup.pdeathsig = options.pdeathsig ? SIGKILL : 0;
  if (options.capture_stdout) {
    spec.setup.fds.push_back({STDOUT_FILENO, out.write.get()});
  }
  if (options.capture_stderr) {
    spec.setup.fds.push_back({STDERR_FILENO, err.write.get()});
  }
  ChildProcess process = spawn_program(spec);
  // Only the helper may hold the write ends, or the reads below would never see EOF.
  out.write.reset();
  err.write.reset();
  return RunningCommand(std::move(process), std::move(out.read), std::move(err.read));
}

}  // namespace rootlesskit

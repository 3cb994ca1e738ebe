// COMMAND started with common/spawn.h, then a signalfd loop that forwards signals and reaps.
#include "child/command.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "common/error.h"
#include "common/log.h"
#include "common/process.h"
#include "common/process_tree.h"
#include "common/spawn.h"
#include "common/strings.h"

namespace rootlesskit::child {
namespace {

// With the reaper every orphan is ours to wait for; without it only the command is.
std::optional<int> reap(ChildProcess& command, bool reaper) {
  std::optional<int> command_status;
  while (reaper || command) {
    int status = 0;
    pid_t pid = ::waitpid(reaper ? -1 : command.pid(), &status, WNOHANG);
    if (pid <= 0) {
      break;
    }
    if (command.take_reaped(pid)) {
      command_status = status;
    }
  }
  return command_status;
}

// Reads the signalfd on the child's loop: forwards signals to COMMAND and reaps; stops the loop
// once COMMAND's status is known.
class Supervisor : public IoHandler {
 public:
  Supervisor(ChildProcess& command, const CommandOptions& o, SignalReceiver& signals, EventLoop& loop)
      : m_command(command), m_options(o), m_signals(signals), m_loop(loop) {
    m_loop.watch(m_signals.fd(), EPOLLIN, this);
  }
  ~Supervisor() override { m_loop.unwatch(m_signals.fd(), this); }
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  void on_io(uint32_t) override {
    while (auto s = m_signals.read()) {
      handle(*s);
    }
  }
  std::optional<int> status() const { return m_status; }

 private:
  void handle(const ReceivedSignal& s) {
    if (s.signo == SIGCHLD) {
      if (auto status = reap(m_command, m_options.reaper); status && !m_status) {
        m_status = status;
        m_loop.stop();
      }
    } else if (s.signo == SIGTERM && m_options.parent_pid != 0 && ::getppid() != m_options.parent_pid) {
      log::debug("the parent died: killing every descendant");
      kill_descendants(::getpid());
    } else if (should_forward(s)) {
      m_command.signal(s.signo);
    }
  }

  ChildProcess& m_command;
  const CommandOptions& m_options;
  SignalReceiver& m_signals;
  EventLoop& m_loop;
  std::optional<int> m_status;
};

int supervise(ChildProcess& command, const CommandOptions& o, SignalReceiver& signals, EventLoop& loop) {
  Supervisor supervisor(command, o, signals, loop);
  // COMMAND may have exited before the signalfd was watched: its SIGCHLD is pending then, and
  // the first round reads it.
  loop.run();
  if (!supervisor.status()) {
    throw Error("the child's event loop ended before COMMAND");
  }
  return *supervisor.status();
}

// COMMAND gets PDEATHSIG SIGKILL, the signal mask we had before blocking everything, and every fd
// the user left inheritable (stdio, socket-activation fds 3...3+N-1, anything else).
ProgramSpec command_spec(const CommandOptions& o, const SignalReceiver& signals) {
  ProgramSpec spec;
  spec.argv = o.argv;
  spec.setup.signal_mask = signals.previous_mask();
  spec.setup.other_fds = OtherFds::inherit;
  if (o.socket_activation) {
    spec.own_pid_env = "LISTEN_PID";
  }
  return spec;
}

}  // namespace

int run_command(const CommandOptions& o, SignalReceiver& signals, EventLoop& loop) {
  const std::string described = "command " + go_slice(o.argv);
  ProgramSpec spec = command_spec(o, signals);
  if (o.reaper && !o.pid_namespace_init) {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  }
  ChildProcess command;
  try {
    command = spawn_program(spec);
  } catch (const Error& e) {
    throw e.wrap(described + " exited");
  }
  int status = supervise(command, o, signals, loop);
  if (o.reaper && !o.pid_namespace_init) {
    // Descendants left behind are ours in subreaper mode: end them as a pid namespace would
    // (docs/compatibility.md, Processes and signals) instead of leaving orphans.
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

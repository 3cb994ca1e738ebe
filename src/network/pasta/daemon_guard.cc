// pidfd + watchdog process for a daemonized helper.
#include "network/pasta/daemon_guard.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"
#include "common/log.h"

namespace rootlesskit::network::pasta {
namespace {

// Raw syscalls: bookworm's <sys/pidfd.h> lacks extern "C" (glibc 2.36), so C++ cannot link
// against its declarations.
int open_pidfd(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }
void kill_pidfd(int pidfd) { ::syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0); }

constexpr int stop_timeout_ms = 5000;
constexpr int watchdog_pidfd = 3;
constexpr int watchdog_alive = 4;

// The watchdog must not keep anything of the parent alive (the child's pipes, api.sock, the
// state dir lock, the caller's stdout), must not get the terminal's signals, and must not
// inherit the parent's blocked signal mask.
void isolate(int pidfd, int alive) {
  // Out of the way first: either source may already sit on 3 or 4.
  int high_pidfd = ::fcntl(pidfd, F_DUPFD, 64);
  int high_alive = ::fcntl(alive, F_DUPFD, 64);
  if (high_pidfd < 0 || high_alive < 0 || ::dup2(high_pidfd, watchdog_pidfd) < 0 ||
      ::dup2(high_alive, watchdog_alive) < 0) {
    ::_exit(1);
  }
  ::close_range(watchdog_alive + 1, ~0U, 0);
  int null = ::open("/dev/null", O_RDWR);
  if (null >= 0) {
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::close(null);
  }
  ::setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

[[noreturn]] void watchdog_main(int pidfd, int alive) {
  isolate(pidfd, alive);
  pollfd fds[2] = {{watchdog_alive, POLLIN, 0}, {watchdog_pidfd, POLLIN, 0}};
  while (::poll(fds, 2, -1) < 0 && errno == EINTR) {
  }
  if (fds[1].revents == 0) {
    // The parent is gone (or stopping us) and the daemon still runs.
    kill_pidfd(watchdog_pidfd);
  }
  ::_exit(0);
}

}  // namespace

bool pidfd_exited(int pidfd, int timeout_ms) {
  pollfd fd{pidfd, POLLIN, 0};
  int n = 0;
  while ((n = ::poll(&fd, 1, timeout_ms)) < 0 && errno == EINTR) {
  }
  return n > 0;
}

DaemonGuard::DaemonGuard(pid_t pid, std::string name) : m_pid(pid), m_name(std::move(name)) {
  m_pidfd.reset(open_pidfd(pid));
  if (!m_pidfd) {
    if (errno == ESRCH) {
      throw Error(m_name + " (PID " + std::to_string(pid) + ") exited right after starting");
    }
    throw errno_error("pidfd_open " + std::to_string(pid));
  }
  Pipe alive = make_pipe();
  pid_t watchdog = ::fork();
  if (watchdog < 0) {
    Error error = errno_error("fork");
    kill_pidfd(m_pidfd.get());  // unguarded, the daemon could outlive us
    throw error;
  }
  if (watchdog == 0) {
    watchdog_main(m_pidfd.get(), alive.read.get());
  }
  m_watchdog = ChildProcess(watchdog);
  m_alive = std::move(alive.write);
}

DaemonGuard::~DaemonGuard() { stop(); }

bool DaemonGuard::daemon_exited() {
  return m_watchdog && m_watchdog.try_wait().has_value();
}

bool DaemonGuard::stop() {
  bool gone = true;
  if (m_pidfd) {
    log::debug("killing {}", m_name);
    kill_pidfd(m_pidfd.get());
    gone = pidfd_exited(m_pidfd.get(), stop_timeout_ms);
    if (gone) {
      log::debug("killed {} (PID {})", m_name, m_pid);
    } else {
      log::warn("{} (PID {}) is still there {} s after SIGKILL", m_name, m_pid, stop_timeout_ms / 1000);
    }
    m_pidfd.reset();
  }
  m_alive.reset();
  if (m_watchdog) {
    m_watchdog.wait();
  }
  return gone;
}

}  // namespace rootlesskit::network::pasta

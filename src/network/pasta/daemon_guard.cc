// pidfd + watchdog worker (common/spawn.h) for a daemonized helper.
#include "network/pasta/daemon_guard.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"
#include "common/log.h"
#include "common/spawn.h"

namespace rootlesskit::network::pasta {
namespace {

// Raw syscalls: bookworm's <sys/pidfd.h> lacks extern "C" (glibc 2.36), so C++ cannot link
// against its declarations.
int open_pidfd(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }
void kill_pidfd(int pidfd) { ::syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0); }

constexpr int stop_timeout_ms = 5000;
// Where the watchdog finds its two fds.
constexpr int watchdog_pidfd = 4;
constexpr int watchdog_alive = 5;

// Only async-signal-safe calls: the watchdog is forked from a process that may have threads
// (an embedding program).
void watch() {
  report_ready();
  pollfd fds[2] = {{watchdog_alive, POLLIN, 0}, {watchdog_pidfd, POLLIN, 0}};
  while (::poll(fds, 2, -1) < 0 && errno == EINTR) {
  }
  if (fds[1].revents == 0) {
    // The parent is gone (or stopping us) and the daemon still runs.
    kill_pidfd(watchdog_pidfd);
  }
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
  Fd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  // No parent-death signal: it must outlive us to kill the daemon. Its stderr goes too: nothing
  // of ours (e.g. a pipe someone reads our output from to EOF) may outlive us because of it.
  ProcessSetup setup;
  setup.pdeathsig = 0;
  setup.fds = {{watchdog_pidfd, m_pidfd.get()}, {watchdog_alive, alive.read.get()}};
  if (null) {
    setup.fds.push_back({2, null.get()});
  }
  try {
    Worker watchdog = spawn_worker(m_name + " watchdog", setup, watch);
    watchdog.await_ready();
    m_watchdog = std::move(watchdog.process());
  } catch (const Error&) {
    kill_pidfd(m_pidfd.get());  // unguarded, the daemon could outlive us
    throw;
  }
  m_alive = std::move(alive.write);
}

DaemonGuard::~DaemonGuard() { stop(); }

bool DaemonGuard::daemon_exited() { return m_watchdog && m_watchdog.try_wait().has_value(); }

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

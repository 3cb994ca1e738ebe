// signalfd-based signal reception and the forwarding rule.
#include "common/signals.h"

#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"

namespace rootlesskit {
namespace {

sigset_t forwardable_set() {
  sigset_t set;
  sigfillset(&set);
  // Never catchable, or signals of faults in our own code.
  for (int sig : {SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGABRT}) {
    sigdelset(&set, sig);
  }
  // Broken pipes are handled as EPIPE where they happen.
  sigdelset(&set, SIGPIPE);
  return set;
}

}  // namespace

SignalReceiver::SignalReceiver() {
  sigset_t set = forwardable_set();
  if (::pthread_sigmask(SIG_BLOCK, &set, &m_previous) != 0) {
    throw Error("failed to block signals");
  }
  ::signal(SIGPIPE, SIG_IGN);
  int fd = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) {
    throw errno_error("signalfd");
  }
  m_fd.reset(fd);
}

SignalReceiver::~SignalReceiver() { ::pthread_sigmask(SIG_SETMASK, &m_previous, nullptr); }

std::optional<ReceivedSignal> SignalReceiver::read() {
  signalfd_siginfo info{};
  while (true) {
    ssize_t n = ::read(m_fd.get(), &info, sizeof info);
    if (n == static_cast<ssize_t>(sizeof info)) {
      return ReceivedSignal{static_cast<int>(info.ssi_signo), info.ssi_code, static_cast<pid_t>(info.ssi_pid)};
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    return std::nullopt;
  }
}

ReceivedSignal SignalReceiver::next() {
  while (true) {
    if (auto s = read()) {
      return *s;
    }
    pollfd pfd{m_fd.get(), POLLIN, 0};
    if (::poll(&pfd, 1, -1) < 0 && errno != EINTR) {
      throw errno_error("poll");
    }
  }
}

bool should_forward(const ReceivedSignal& s) {
  if (s.signo == SIGCHLD || s.signo == SIGURG || s.signo == SIGPIPE) {
    return false;
  }
  return s.code != SI_KERNEL;
}

}  // namespace rootlesskit

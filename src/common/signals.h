// Signal forwarding shared by the parent (-> child) and the child (-> command): every catchable
// signal is blocked and read from a signalfd, so forwarding starts the moment the process forks.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <optional>

#include "common/fd.h"

namespace rootlesskit {

struct ReceivedSignal {
  int signo = 0;
  int code = 0;  // si_code: SI_KERNEL for terminal-generated signals
  pid_t sender = 0;
};

// Blocks all forwardable signals plus SIGCHLD in the calling thread (threads started later inherit
// the mask) and reads them from a signalfd. The destructor restores the previous mask.
class SignalReceiver {
 public:
  SignalReceiver();
  SignalReceiver(const SignalReceiver&) = delete;
  SignalReceiver& operator=(const SignalReceiver&) = delete;
  ~SignalReceiver();

  int fd() const { return m_fd.get(); }
  // Non-blocking; nullopt when nothing is pending.
  std::optional<ReceivedSignal> read();
  // Blocks until a signal arrives and returns it.
  ReceivedSignal next();
  // The mask to restore in a freshly forked process before exec.
  const sigset_t& previous_mask() const { return m_previous; }

 private:
  Fd m_fd;
  sigset_t m_previous{};
};

// Whether `s` should be passed on to the process we supervise. Terminal-generated signals
// (SI_KERNEL, e.g. Ctrl-C) already reached the whole foreground process group, so forwarding them
// would deliver them twice (upstream #129).
bool should_forward(const ReceivedSignal& s);

}  // namespace rootlesskit

// Signals of the parent while COMMAND runs: SIGCHLD (the child, a network helper) and the ones
// to pass on.
#include "parent/supervisor.h"

namespace rootlesskit::parent {

Supervisor::Supervisor(EventLoop& loop, SignalReceiver& signals, ChildProcess& child, network::ParentDriver* network)
    : m_loop(loop), m_signals(signals), m_child(child), m_network(network) {
  m_loop.watch(m_signals.fd(), EPOLLIN, this);
}

Supervisor::~Supervisor() { m_loop.unwatch(m_signals.fd(), this); }

void Supervisor::on_io(uint32_t) {
  while (auto s = m_signals.read()) {
    handle(*s);
  }
}

void Supervisor::handle(const ReceivedSignal& s) {
  if (m_status || !m_failure.empty()) {
    return;  // the run is over; the loop stops after this round
  }
  if (s.signo == SIGCHLD) {
    // Other children of ours (socat helpers of a port driver) are reaped by their owners
    // through pidfds; only the child and the network helpers are looked at here.
    if (auto status = m_child.try_wait()) {
      m_status = status;
      m_loop.stop();
    } else if (auto helper_exit = m_network != nullptr ? m_network->reap_exited_helper() : std::nullopt) {
      m_failure = *helper_exit;
      m_loop.stop();
    }
  } else if (should_forward(s)) {
    m_child.signal(s.signo);
  }
}

}  // namespace rootlesskit::parent

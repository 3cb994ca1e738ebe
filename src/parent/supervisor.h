// The parent's watch over the child while COMMAND runs, as a handler on the parent's event loop
// (the loop that also serves the API and the port driver, on the main thread): forwards signals
// to the child, notices the child's exit, and ends the run when a network helper dies (COMMAND
// would otherwise go on without a network). Runs in the parent.
#pragma once

#include <optional>
#include <string>

#include "common/event_loop.h"
#include "common/process.h"
#include "common/signals.h"
#include "network/driver.h"

namespace rootlesskit::parent {

class Supervisor : public IoHandler {
 public:
  // Watches `signals` on `loop` until destroyed; `network` may be null (host network).
  Supervisor(EventLoop& loop, SignalReceiver& signals, ChildProcess& child, network::ParentDriver* network);
  ~Supervisor() override;
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  void on_io(uint32_t events) override;

  // Once the loop has stopped: the child's wait status, or why the run ended without it (a
  // helper's exit, e.g. "slirp4netns exited: signal: killed").
  std::optional<int> child_status() const { return m_status; }
  const std::string& failure() const { return m_failure; }

 private:
  void handle(const ReceivedSignal& s);

  EventLoop& m_loop;
  SignalReceiver& m_signals;
  ChildProcess& m_child;
  network::ParentDriver* m_network;
  std::optional<int> m_status;
  std::string m_failure;
};

}  // namespace rootlesskit::parent

// One published UDP port of the builtin driver: datagrams from each client address go out of
// a connected UDP socket of their own in the child's namespace (a "flow"), and the answers come
// back from the listener to that client. A flow ends after an idle time (90 s, as upstream's
// libnetwork-derived proxy). Removing the port closes the listener and every flow. Runs on the
// parent's event loop.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>

#include "common/event_loop.h"
#include "common/fd.h"
#include "port/builtin/address.h"
#include "port/builtin/connector.h"

namespace rootlesskit::port::builtin {

class UdpForwarder {
 public:
  struct Settings {
    SocketAddress target;
    std::chrono::milliseconds idle_timeout{90'000};
    std::string label;  // for debug lines, e.g. "udp 0.0.0.0:5353"
  };

  UdpForwarder(EventLoop& loop, Connector& connector, Fd listener, Settings settings);
  ~UdpForwarder();
  UdpForwarder(const UdpForwarder&) = delete;
  UdpForwarder& operator=(const UdpForwarder&) = delete;

  size_t flow_count() const { return m_flows.size(); }

 private:
  class Listener;
  class Flow;

  void receive_from_clients();
  Flow& flow_for(const SocketAddress& client);
  void close_flow(const std::string& key);
  void sweep();
  void schedule_sweep();

  EventLoop& m_loop;
  Connector& m_connector;
  Fd m_listener_fd;
  Settings m_settings;
  std::unique_ptr<Listener> m_listener;
  std::unordered_map<std::string, std::unique_ptr<Flow>> m_flows;
  Flow* m_last_flow = nullptr;  // the flow of the last datagram received, if still open
  EventLoop::TimerId m_sweep_timer = 0;
};

}  // namespace rootlesskit::port::builtin

// One published TCP port of the builtin driver on one shard: accepts from the port's listener in
// the host's namespace (shared by every shard), and per accepted client takes a socket in the
// child's namespace (Connector) and starts a splice relay. Destroying it stops accepting and
// closes every live connection it accepted. Runs on its shard's loop thread.
#pragma once

#include <list>
#include <memory>

#include "common/event_loop.h"
#include "common/fd.h"
#include "port/builtin/address.h"
#include "port/builtin/connector.h"
#include "port/builtin/shard.h"
#include "port/builtin/tcp_relay.h"

namespace rootlesskit::port::builtin {

class TcpForwarder {
 public:
  struct Settings {
    SocketAddress target;  // where to connect inside the child
    bool source_ip_transparent = false;
    std::string label;  // for debug lines, e.g. "tcp 0.0.0.0:8080"
  };

  // Starts accepting from `listener` (address.h listen_port; not owned, open until this is gone).
  TcpForwarder(Shard& shard, int listener, Settings settings);
  ~TcpForwarder();  // stops accepting; closes every connection
  TcpForwarder(const TcpForwarder&) = delete;
  TcpForwarder& operator=(const TcpForwarder&) = delete;

 private:
  class Acceptor;
  class Connection;
  using ConnectionList = std::list<std::unique_ptr<Connection>>;

  void accept_one();
  void watch_listener();
  void pause_accepting();
  void leave_to_other_loops();
  void close(ConnectionList::iterator it);

  EventLoop& m_loop;
  Connector& m_connector;
  PipePool& m_pipes;
  int m_listener;
  Settings m_settings;
  std::unique_ptr<Acceptor> m_acceptor;
  ConnectionList m_connections;
  EventLoop::TimerId m_resume_timer = 0;
  bool m_spare;         // on a further shard (Shard::spare)
  bool m_left = false;  // leave_to_other_loops() was called
};

}  // namespace rootlesskit::port::builtin

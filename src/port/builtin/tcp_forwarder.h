// One published TCP port of the builtin driver: the listener in the host's namespace, and per
// accepted client a socket in the child's namespace (Connector) and a splice relay. Removing
// the port closes the listener and every live connection. Runs on the parent's event loop.
#pragma once

#include <list>
#include <memory>

#include "common/event_loop.h"
#include "common/fd.h"
#include "port/builtin/address.h"
#include "port/builtin/connector.h"
#include "port/builtin/tcp_relay.h"

namespace rootlesskit::port::builtin {

class TcpForwarder {
 public:
  struct Settings {
    SocketAddress target;  // where to connect inside the child
    bool source_ip_transparent = false;
    std::string label;  // for debug lines, e.g. "tcp 0.0.0.0:8080"
  };

  // Takes a listening socket (address.h listen_port) and starts accepting.
  TcpForwarder(EventLoop& loop, Connector& connector, PipePool& pipes, Fd listener, Settings settings);
  ~TcpForwarder();  // closes the listener and every connection
  TcpForwarder(const TcpForwarder&) = delete;
  TcpForwarder& operator=(const TcpForwarder&) = delete;

  size_t connection_count() const { return m_connections.size(); }

 private:
  class Acceptor;
  class Connection;
  using ConnectionList = std::list<std::unique_ptr<Connection>>;

  void accept_one();
  void pause_accepting();
  void close(ConnectionList::iterator it);

  EventLoop& m_loop;
  Connector& m_connector;
  PipePool& m_pipes;
  Fd m_listener;
  Settings m_settings;
  std::unique_ptr<Acceptor> m_acceptor;
  ConnectionList m_connections;
  EventLoop::TimerId m_resume_timer = 0;
};

}  // namespace rootlesskit::port::builtin

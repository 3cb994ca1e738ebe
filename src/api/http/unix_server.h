// A small HTTP/1.x server for a unix socket on the parent's event loop: non-blocking
// connections, keep-alive and pipelining, deadlines for idle and slow clients, and a cap on
// connections that evicts idle ones first, so no client can lock the API out. Enough for the
// REST API, without a TLS-capable HTTP library (and its ~9 ms of dynamic loading) in every
// rootlesskit start. Runs on the parent's event loop (its main thread).
#pragma once

#include <chrono>
#include <functional>
#include <list>
#include <memory>

#include "api/http/request_parser.h"
#include "api/http/response.h"
#include "common/event_loop.h"
#include "common/fd.h"

namespace rootlesskit::api::http {

struct ServerLimits {
  size_t max_connections = 1024;
  // A connection with no request in progress is closed after this long.
  std::chrono::milliseconds idle_timeout{60'000};
  // A request must arrive completely this long after its first byte; an answer must be taken
  // by the client this long after it was ready (header and body deadlines).
  std::chrono::milliseconds request_timeout{10'000};
};

class UnixServer {
 public:
  using Handler = std::function<Response(const Request&)>;

  // `loop` must outlive the server. The handler runs on the loop thread.
  UnixServer(EventLoop& loop, Handler handler, ServerLimits limits = {});
  ~UnixServer();  // stop()
  UnixServer(const UnixServer&) = delete;
  UnixServer& operator=(const UnixServer&) = delete;

  // Serves the listening socket (ownership taken). Loop thread, or before the loop runs.
  void start(Fd listening);
  // Closes the listener and every connection (loop thread, or after the loop stopped).
  // Idempotent.
  void stop();

 private:
  class Acceptor;
  class Connection;
  using ConnectionList = std::list<std::unique_ptr<Connection>>;

  void accept_all();
  void close(ConnectionList::iterator it);
  bool evict_oldest_idle();
  void pause_accepting(int err);
  void resume_accepting();
  void sweep();
  void arm_sweep();

  EventLoop& m_loop;
  Handler m_handler;
  ServerLimits m_limits;
  Fd m_listening;
  std::unique_ptr<Acceptor> m_acceptor;
  bool m_accepting = false;
  ConnectionList m_connections;  // oldest first
  EventLoop::TimerId m_sweep_timer = 0;
  EventLoop::TimerId m_resume_timer = 0;  // set while accepting pauses (out of fds)
};

}  // namespace rootlesskit::api::http

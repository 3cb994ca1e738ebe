// A small HTTP/1.x server for a unix socket: one event-loop thread, non-blocking connections,
// keep-alive and pipelining. Enough for the REST API, without pulling a TLS-capable HTTP library
// (and its ~9 ms of dynamic loading) into every rootlesskit start. Runs in the parent.
#pragma once

#include <functional>
#include <thread>

#include "api/http/request_parser.h"
#include "api/http/response.h"
#include "common/fd.h"

namespace rootlesskit::api::http {

class UnixServer {
 public:
  using Handler = std::function<Response(const Request&)>;

  explicit UnixServer(Handler handler) : m_handler(std::move(handler)) {}
  UnixServer(const UnixServer&) = delete;
  UnixServer& operator=(const UnixServer&) = delete;
  ~UnixServer() { stop(); }

  // Serves the listening socket (ownership taken) on a background thread. The thread inherits
  // the caller's signal mask. Throws Error if already running.
  void start(Fd listening);
  // Stops the thread and closes every connection. Idempotent.
  void stop();

 private:
  void loop();

  Handler m_handler;
  Fd m_listening;
  Pipe m_wake;
  std::thread m_thread;
};

}  // namespace rootlesskit::api::http

// The REST API server on $STATE/api.sock: HTTP/1.1 over a unix stream socket, upstream's routes
// (router.h). Runs in the parent (host namespaces) on one event-loop thread. Start it only after
// anything that must happen single-threaded (setns into a user namespace, fork without exec).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "api/port_manager.h"
#include "api/router.h"
#include "common/fd.h"

namespace rootlesskit::api {

// sizeof(sockaddr_un::sun_path) - 1: the longest path a unix socket can be bound to.
inline constexpr size_t kMaxUnixSocketPath = 107;

// Throws Error "unix socket path is too long (N bytes, at most 107): <path>" when `path` cannot be
// bound. The parent calls it before spawning the child (upstream only fails after, SPEC §16 #4).
void check_unix_socket_path(const std::string& path);

// Removes `path` if present (like upstream's rm -rf of a stale socket), then binds and listens on
// a new AF_UNIX stream socket there (O_CLOEXEC). Throws Error ("listen unix <path>: bind: ...").
Fd listen_unix(const std::string& path);

class Server {
 public:
  // See Router: `info` builds /v1/info, `ports` may be null (no port driver). Both must outlive
  // the Server; the server never calls them concurrently.
  Server(Router::InfoFunc info, PortManager* ports);
  ~Server();  // stop()s
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Takes ownership of a listening socket (listen_unix) and serves it on a background thread
  // until stop(). Throws Error if already started.
  void start(Fd listening_socket);

  // Stops accepting, closes every connection and joins the thread (a request being handled is
  // finished first). Closes the listening socket (the socket file stays). Idempotent.
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace rootlesskit::api

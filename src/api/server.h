// The REST API server on $STATE/api.sock: HTTP/1.1 over a unix stream socket, upstream's routes
// (router.h). Runs in the parent (host namespaces) on the parent's event loop, beside the
// port drivers it calls.
#pragma once

#include <cstddef>
#include <string>

#include "api/http/unix_server.h"
#include "api/router.h"
#include "common/event_loop.h"
#include "common/fd.h"

namespace rootlesskit::api {

// sizeof(sockaddr_un::sun_path) - 1: the longest path a unix socket can be bound to.
inline constexpr size_t max_unix_socket_path = 107;

// Throws Error "unix socket path is too long (N bytes, at most 107): <path>" when `path` cannot be
// bound. The parent calls it before spawning the child (upstream only fails after:
// docs/compatibility.md, State directory).
void check_unix_socket_path(const std::string& path);

// Removes `path` if present (like upstream's rm -rf of a stale socket), then binds and listens on
// a new AF_UNIX stream socket there (O_CLOEXEC), mode srwxr-xr-x whatever the umask (others
// cannot connect: that needs write permission). Throws Error ("listen unix <path>: bind: ...").
Fd listen_unix(const std::string& path);

class Server {
 public:
  // See Router: `info` builds /v1/info, `ports` may be null (no port driver). Both, and `loop`,
  // must outlive the Server; everything runs on the loop's thread.
  Server(EventLoop& loop, Router::InfoFunc info, PortManager* ports, http::ServerLimits limits = {});
  ~Server();  // stop()s
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Takes ownership of a listening socket (listen_unix) and serves it on the loop. Call on the
  // loop thread or before the loop runs. Throws Error if already started.
  void start(Fd listening_socket);

  // Closes the listening socket (the socket file stays) and every connection. Call on the loop
  // thread, or after the loop stopped. Idempotent.
  void stop();

 private:
  http::Response handle(const http::Request& request);

  Router m_router;
  http::UnixServer m_http;
};

}  // namespace rootlesskit::api

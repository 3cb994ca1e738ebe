// The REST API server on $STATE/api.sock: the Router's replies served by our own small HTTP/1.x
// server (api/http/unix_server.h) on the parent's event loop. No HTTP library with TLS is linked
// into rootlesskit: loading one cost ~9 ms on every start.
#include "api/server.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace rootlesskit::api {
namespace {
constexpr mode_t socket_mode = 0755;
}  // namespace

Server::Server(EventLoop& loop, Router::InfoFunc info, PortManager* ports, http::ServerLimits limits)
    : m_router(std::move(info), ports),
      m_http(
          loop, [this](const http::Request& r) { return handle(r); }, limits) {}

Server::~Server() { stop(); }

void Server::start(Fd listening_socket) { m_http.start(std::move(listening_socket)); }

void Server::stop() { m_http.stop(); }

http::Response Server::handle(const http::Request& request) {
  HttpReply reply = m_router.handle(request.method, request.path, request.body);
  http::Response response{reply.status, {}, std::move(reply.body)};
  if (!reply.content_type.empty()) {
    response.headers.emplace_back("Content-Type", reply.content_type);
  }
  if (reply.nosniff) {
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  }
  return response;
}

void check_unix_socket_path(const std::string& path) {
  if (path.size() > max_unix_socket_path) {
    throw Error("unix socket path is too long (" + std::to_string(path.size()) + " bytes, at most " +
                std::to_string(max_unix_socket_path) + "): " + path);
  }
}

Fd listen_unix(const std::string& path) {
  check_unix_socket_path(path);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    throw errno_error("remove " + path);
  }
  Fd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!sock) {
    throw errno_error("listen unix " + path + ": socket");
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  if (::bind(sock.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    throw errno_error("listen unix " + path + ": bind");
  }
  // bind(2) gives the socket 0777 minus the umask; upstream's is srwxr-xr-x (umask 022). Fixed
  // before listen(2), so no one connects meanwhile; not by umask(2), which is process-wide.
  if (::fchmodat(AT_FDCWD, path.c_str(), socket_mode, AT_SYMLINK_NOFOLLOW) != 0) {
    throw errno_error("listen unix " + path + ": chmod");
  }
  if (::listen(sock.get(), SOMAXCONN) != 0) {
    throw errno_error("listen unix " + path + ": listen");
  }
  return sock;
}

}  // namespace rootlesskit::api

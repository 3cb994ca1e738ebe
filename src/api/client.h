// Client of the REST API over $STATE/api.sock (upstream pkg/api/client): info plus a PortManager
// over HTTP. Used by rootlessctl and rootlesskit-docker-proxy, and by embedders; any process.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/types.h"

namespace rootlesskit::api {

class Client : public PortManager {
 public:
  // stat()s the socket path first like upstream (`stat /nonexist: no such file or directory`);
  // connects lazily, one connection per request. Throws Error.
  static Client open(const std::string& socket_path);

  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  ~Client() override;

  // Each call throws Error on failure: transport errors read like Go's
  // (`Get "http://rootlesskit/v1/info": dial unix /x/api.sock: connect: connection refused`),
  // non-2xx answers give the server's {"message"} text, or
  // `unexpected HTTP status Not Found, body="404 page not found\n"` for other bodies.
  Info info();
  PortStatus add_port(const PortSpec& spec) override;
  std::vector<PortStatus> list_ports() override;
  void remove_port(int id) override;

  const std::string& socket_path() const { return m_socket_path; }

 private:
  class Http;
  explicit Client(std::string socket_path);

  std::string m_socket_path;
  std::unique_ptr<Http> m_http;
};

// Go's http.StatusText ("Not Found"); empty for unknown codes.
std::string http_status_text(int status);

}  // namespace rootlesskit::api

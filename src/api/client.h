// Client of the REST API over $STATE/api.sock (upstream pkg/api/client): info plus a PortManager
// over HTTP. Used by rootlessctl and by embedders; any process.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "api/types.h"

namespace rootlesskit::api {

class Client : public PortManager {
 public:
  // How long one request may wait for the server to read it or to answer (upstream's client waits
  // forever on a server that accepts and never answers). Adding a port may wait for a driver.
  struct Timeouts {
    std::chrono::milliseconds request{std::chrono::seconds(30)};
    std::chrono::milliseconds add_port{std::chrono::seconds(60)};
  };

  // stat()s the socket path first like upstream (`stat /nonexist: no such file or directory`);
  // connects lazily, one connection per request. Throws Error.
  static Client open(const std::string& socket_path);

  void set_timeouts(Timeouts timeouts);

  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  ~Client() override;

  // Each call throws Error on failure: transport errors read like Go's
  // (`Get "http://rootlesskit/v1/info": dial unix /x/api.sock: connect: connection refused`),
  // non-2xx answers give the server's {"message"} text, or
  // `unexpected HTTP status Not Found, body="404 page not found\n"` for other bodies; a server
  // that does not answer in time gives
  // `Get "http://rootlesskit/v1/info": the API server at /x/api.sock did not answer within 30s`.
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
  Timeouts m_timeouts;
};

}  // namespace rootlesskit::api

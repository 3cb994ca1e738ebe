// Test helpers for the REST API: a temp dir, a fake PortManager, a running Server on a unix
// socket, and a raw HTTP/1.1 connection for checking bytes on the wire.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "api/server.h"
#include "common/error.h"
#include "common/event_loop.h"
#include "common/fd.h"

namespace rootlesskit::api::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "rk-api-test.XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    m_path = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(m_path); }
  const std::string& path() const { return m_path; }

 private:
  std::string m_path;
};

// In-memory port table with upstream's conflict rule; lists in DESCENDING id order so that tests
// see the server sort.
class FakePorts : public PortManager {
 public:
  PortStatus add_port(const PortSpec& spec) override {
    if (spec.parent_port <= 0 || spec.parent_port > 65535) {
      throw Error("invalid ParentPort: '\\x00'");
    }
    for (const auto& [id, p] : m_ports) {
      if (p.spec.proto == spec.proto && p.spec.parent_ip == spec.parent_ip && p.spec.parent_port == spec.parent_port) {
        throw Error("conflict with ID " + std::to_string(id));
      }
    }
    PortStatus status{m_next++, spec};
    m_ports[status.id] = status;
    return status;
  }
  std::vector<PortStatus> list_ports() override {
    std::vector<PortStatus> out;
    for (auto it = m_ports.rbegin(); it != m_ports.rend(); ++it) {
      out.push_back(it->second);
    }
    return out;
  }
  void remove_port(int id) override {
    if (m_ports.erase(id) == 0) {
      throw Error("unknown id: " + std::to_string(id));
    }
  }

 private:
  std::map<int, PortStatus> m_ports;
  int m_next = 1;
};

inline Info sample_info() {
  Info info;
  info.version = "3.0.1";
  info.state_dir = "/tmp/rootlesskit123";
  info.child_pid = 14086;
  info.network_driver = NetworkDriverInfo{"slirp4netns", {"10.0.2.3"}, "10.0.2.100", false};
  info.port_driver = PortDriverInfo{"builtin", {"tcp", "tcp4", "tcp6", "udp", "udp4", "udp6"}, false};
  return info;
}

// A started Server on <tempdir>/api.sock.
// A Server on its own event-loop thread, as the parent runs it.
class RunningServer {
 public:
  explicit RunningServer(PortManager* ports, Router::InfoFunc info = sample_info, http::ServerLimits limits = {})
      : m_socket(m_dir.path() + "/api.sock"), m_server(m_loop, std::move(info), ports, limits) {
    m_server.start(listen_unix(m_socket));
    m_thread = std::make_unique<LoopThread>(m_loop);
  }
  ~RunningServer() { stop(); }
  const std::string& socket() const { return m_socket; }
  // Stops serving and joins the loop thread. Idempotent.
  void stop() {
    if (m_thread) {
      m_loop.call([this] { m_server.stop(); });
      m_thread.reset();
    }
  }

 private:
  TempDir m_dir;
  std::string m_socket;
  EventLoop m_loop;
  Server m_server;
  std::unique_ptr<LoopThread> m_thread;
};

inline Fd connect_unix(const std::string& path) {
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw errno_error("connect " + path);
  }
  timeval tv{10, 0};  // a hung server fails the test instead of hanging it
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

struct RawResponse {
  std::string status_line;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool closed = false;  // the connection ended before a response
};

// One keep-alive connection speaking raw HTTP/1.1.
class RawHttp {
 public:
  explicit RawHttp(const std::string& socket) : m_fd(connect_unix(socket)) {}

  void send_raw(const std::string& bytes) {
    if (::send(m_fd.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL) < 0) {
      throw errno_error("send");
    }
  }

  RawResponse request(const std::string& method, const std::string& target, const std::string& body = "",
                      const std::string& extra_headers = "") {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: rootlesskit\r\n" + extra_headers;
    if (!body.empty() || method == "POST") {
      req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    send_raw(req + "\r\n" + body);
    return read_response(method == "HEAD");
  }

  RawResponse read_response(bool head = false) {
    RawResponse r;
    size_t end;
    while ((end = m_buf.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) {
        r.closed = true;
        return r;
      }
    }
    std::string head_text = m_buf.substr(0, end);
    m_buf.erase(0, end + 4);
    size_t line_end = head_text.find("\r\n");
    r.status_line = head_text.substr(0, line_end);
    size_t pos = line_end;
    while (pos != std::string::npos && pos < head_text.size()) {
      size_t next = head_text.find("\r\n", pos + 2);
      std::string line = head_text.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (auto& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      r.headers[name] = line.substr(colon + 2);
      pos = next;
    }
    size_t length = head || !r.headers.count("content-length") ? 0 : std::stoul(r.headers["content-length"]);
    while (m_buf.size() < length && fill()) {
    }
    r.body = m_buf.substr(0, length);
    m_buf.erase(0, length);
    return r;
  }

  // Half-closes: the server sees EOF after what was sent.
  void shutdown_write() { ::shutdown(m_fd.get(), SHUT_WR); }

  // True when the server has closed the connection (EOF within the receive timeout).
  bool at_eof() {
    char c;
    ssize_t n = ::recv(m_fd.get(), &c, 1, 0);
    return m_buf.empty() && (n == 0 || (n < 0 && errno == ECONNRESET));
  }

 private:
  bool fill() {
    char tmp[4096];
    ssize_t n = ::recv(m_fd.get(), tmp, sizeof tmp, 0);
    if (n <= 0) {
      return false;
    }
    m_buf.append(tmp, static_cast<size_t>(n));
    return true;
  }

  Fd m_fd;
  std::string m_buf;
};

}  // namespace rootlesskit::api::testing

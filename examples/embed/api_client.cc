// HTTP/1.1 requests written and read by hand on a unix stream socket ("Connection: close": the
// answer ends at EOF).
#include "api_client.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "rootlesskit/error.h"

namespace embed {
namespace {

struct Response {
  int status = 0;
  std::string body;
};

rootlesskit::Error errno_error(const std::string& what) {
  return rootlesskit::Error(what + ": " + std::strerror(errno));
}

// Owns the connection's fd.
class Connection {
 public:
  explicit Connection(const std::string& path) : m_fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (m_fd < 0) {
      throw errno_error("socket");
    }
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) {
      throw rootlesskit::Error("API socket path too long: " + path);
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    if (::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
      int err = errno;
      ::close(m_fd);
      errno = err;
      throw errno_error("dial unix " + path);
    }
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { ::close(m_fd); }

  void write_all(const std::string& data) {
    for (size_t done = 0; done < data.size();) {
      ssize_t n = ::write(m_fd, data.data() + done, data.size() - done);
      if (n < 0 && errno != EINTR) {
        throw errno_error("write to the API socket");
      }
      done += n > 0 ? static_cast<size_t>(n) : 0;
    }
  }

  std::string read_all() {
    std::string data;
    char buffer[4096];
    while (true) {
      ssize_t n = ::read(m_fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        throw errno_error("read from the API socket");
      }
      if (n == 0) {
        return data;
      }
      data.append(buffer, static_cast<size_t>(n));
    }
  }

 private:
  int m_fd;
};

Response request(const std::string& socket, const std::string& method, const std::string& path,
                 const std::string& body = "") {
  Connection c(socket);
  // The host part is ignored by the server; "rootlesskit" is what upstream's client sends.
  c.write_all(method + " " + path + " HTTP/1.1\r\nHost: rootlesskit\r\nConnection: close\r\n" +
              "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  std::string answer = c.read_all();
  Response r;
  // "HTTP/1.1 201 Created\r\n...headers...\r\n\r\nbody"
  if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12) {
    throw rootlesskit::Error("unexpected answer from the API: \"" + answer.substr(0, 64) + "\"");
  }
  r.status = std::atoi(answer.c_str() + 9);
  size_t end_of_head = answer.find("\r\n\r\n");
  r.body = end_of_head == std::string::npos ? "" : answer.substr(end_of_head + 4);
  return r;
}

// The string value of "key" in a flat JSON object, enough for {"message":"..."}.
std::string json_field(const std::string& json, const std::string& key) {
  size_t at = json.find("\"" + key + "\":");
  if (at == std::string::npos) {
    return "";
  }
  at += key.size() + 3;
  if (json[at] == '"') {
    return json.substr(at + 1, json.find('"', at + 1) - at - 1);
  }
  return json.substr(at, json.find_first_of(",}", at) - at);
}

void check(const Response& r, int expected, const std::string& what) {
  if (r.status != expected) {
    std::string message = json_field(r.body, "message");
    throw rootlesskit::Error(what + ": HTTP " + std::to_string(r.status) + ": " + (message.empty() ? r.body : message));
  }
}

std::string to_json(const rootlesskit::port::Spec& spec) {
  std::string json = "{\"proto\":\"" + spec.proto + "\"";
  if (!spec.parent_ip.empty()) {
    json += ",\"parentIP\":\"" + spec.parent_ip + "\"";
  }
  json += ",\"parentPort\":" + std::to_string(spec.parent_port);
  json += ",\"childPort\":" + std::to_string(spec.child_port);
  if (!spec.child_ip.empty()) {
    json += ",\"childIP\":\"" + spec.child_ip + "\"";
  }
  return json + "}";
}

}  // namespace

int add_port(const std::string& api_socket, const rootlesskit::port::Spec& spec) {
  Response r = request(api_socket, "POST", "/v1/ports", to_json(spec));
  check(r, 201, "failed to publish a port");
  // {"id":1,"spec":{...}}
  return std::atoi(json_field(r.body, "id").c_str());
}

void remove_port(const std::string& api_socket, int id) {
  check(request(api_socket, "DELETE", "/v1/ports/" + std::to_string(id)), 200,
        "failed to remove port " + std::to_string(id));
}

}  // namespace embed

// REST API client over a unix socket, on cpp-httplib's client dialing AF_UNIX. Error texts follow
// upstream's Go client (net/http url.Error + pkg/httputil), because rootlessctl prints them.
// Runs in rootlessctl and in embedders.
#include "api/client.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <httplib.h>

#include <cctype>
#include <cerrno>
#include <cstdio>

#include "api/http/response.h"
#include "common/error.h"
#include "common/strings.h"

namespace rootlesskit::api {
namespace {

// upstream httputil.HTTPStatusErrorBodyMaxLength
constexpr size_t error_body_max = 64 * 1024;

// Go's url.Error operation name: "Get", "Post", "Delete".
std::string go_op(std::string_view method) {
  std::string op(method);
  for (size_t i = 1; i < op.size(); ++i) {
    op[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(op[i])));
  }
  return op;
}

// "30s", "0.2s".
std::string seconds_text(std::chrono::milliseconds t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%gs", static_cast<double>(t.count()) / 1000.0);
  return buf;
}

struct HttpAnswer {
  int status = 0;
  std::string body;
};

// upstream httputil.HTTPStatusError.Error()
Error status_error(const HttpAnswer& answer) {
  std::string body = answer.body.substr(0, error_body_max);
  if (!body.empty() && body.size() < error_body_max) {
    if (auto message = error_message_from_json(body)) {
      return Error(*message);
    }
  }
  return Error("unexpected HTTP status " + std::string(http::reason_phrase(answer.status)) +
               ", body=" + go_quote(body));
}

}  // namespace

class Client::Http {
 public:
  explicit Http(std::string socket_path) : m_socket_path(std::move(socket_path)), m_client(m_socket_path, 80) {
    m_client.set_address_family(AF_UNIX);  // the "host" is then the socket path
    m_client.set_keep_alive(false);
    // Go's client sends the URL's host; Go's server refuses a socket path ("malformed Host").
    m_client.set_default_headers({{"Host", "rootlesskit"}});
  }

  // Sends one request; throws Error for transport failures and non-2xx statuses.
  HttpAnswer send(const std::string& method, const std::string& path, const std::string& body,
                  std::chrono::milliseconds timeout) {
    const std::string op = go_op(method) + " " + go_quote("http://rootlesskit" + path) + ": ";
    if (m_socket_path.size() >= sizeof(sockaddr_un::sun_path)) {
      throw Error(op + dial_error(EINVAL));  // what Go's dial says; httplib would not say why
    }
    auto usec = std::chrono::duration_cast<std::chrono::microseconds>(timeout).count();
    m_client.set_connection_timeout(usec / 1000000, usec % 1000000);
    m_client.set_read_timeout(usec / 1000000, usec % 1000000);
    m_client.set_write_timeout(usec / 1000000, usec % 1000000);
    const auto start = std::chrono::steady_clock::now();
    errno = 0;
    httplib::Result result = method == "GET"    ? m_client.Get(path)
                             : method == "POST" ? m_client.Post(path, body, "application/json")
                                                : m_client.Delete(path);
    const int err = errno;  // what the failed connect(2) left, if that is what failed
    if (!result) {
      bool timed_out = std::chrono::steady_clock::now() - start >= timeout;
      throw Error(op + transport_error(result.error(), err, timed_out, timeout));
    }
    HttpAnswer answer{result->status, result->body};
    if (answer.status / 100 != 2) {
      throw status_error(answer);
    }
    return answer;
  }

 private:
  std::string dial_error(int err) const { return "dial unix " + m_socket_path + ": connect: " + errno_text(err); }

  std::string transport_error(httplib::Error error, int err, bool timed_out, std::chrono::milliseconds timeout) const {
    if (error == httplib::Error::Connection && err != 0) {
      return dial_error(err);
    }
    if ((error == httplib::Error::Read || error == httplib::Error::Write) && timed_out) {
      return "the API server at " + m_socket_path + " did not answer within " + seconds_text(timeout);
    }
    if (error == httplib::Error::Read) {
      return "EOF";  // the server closed the connection without an answer
    }
    std::string text = httplib::to_string(error);
    if (!text.empty()) {
      text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    }
    return text;
  }

  std::string m_socket_path;
  httplib::Client m_client;
};

Client Client::open(const std::string& socket_path) {
  struct stat st {};
  if (::stat(socket_path.c_str(), &st) != 0) {
    throw errno_error("stat " + socket_path);
  }
  return Client(socket_path);
}

Client::Client(std::string socket_path)
    : m_socket_path(socket_path), m_http(std::make_unique<Http>(std::move(socket_path))) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

void Client::set_timeouts(Timeouts timeouts) { m_timeouts = timeouts; }

Info Client::info() { return info_from_json(m_http->send("GET", "/v1/info", "", m_timeouts.request).body); }

PortStatus Client::add_port(const PortSpec& spec) {
  return port_status_from_json(m_http->send("POST", "/v1/ports", to_json(spec), m_timeouts.add_port).body);
}

std::vector<PortStatus> Client::list_ports() {
  return port_statuses_from_json(m_http->send("GET", "/v1/ports", "", m_timeouts.request).body);
}

void Client::remove_port(int id) { m_http->send("DELETE", "/v1/ports/" + std::to_string(id), "", m_timeouts.request); }

}  // namespace rootlesskit::api

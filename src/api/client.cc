// REST API client over a unix socket: httplib's ClientImpl with its connect step replaced by an
// AF_UNIX connect (Debian's httplib 0.11.4 cannot dial unix sockets itself). Error texts follow
// upstream's Go client (net/http url.Error + pkg/httputil), because rootlessctl prints them.
#include "api/client.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <httplib.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "common/strings.h"

namespace rootlesskit::api {
namespace {

// Go's client has no timeout; an hour stands in for "wait for the driver" (AddPort can be slow).
constexpr time_t kTimeoutSec = 3600;
// upstream httputil.HTTPStatusErrorBodyMaxLength
constexpr size_t kErrorBodyMax = 64 * 1024;

// Go's url.Error operation name: "Get", "Post", "Delete".
std::string go_op(std::string_view method) {
  std::string op(method);
  for (size_t i = 1; i < op.size(); ++i) {
    op[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(op[i])));
  }
  return op;
}

struct HttpAnswer {
  int status = 0;
  std::string body;
};

}  // namespace

class Client::Http : public httplib::ClientImpl {
 public:
  explicit Http(std::string socket_path)
      : httplib::ClientImpl("rootlesskit", 80), m_socket_path(std::move(socket_path)) {
    set_read_timeout(kTimeoutSec, 0);
    set_write_timeout(kTimeoutSec, 0);
    set_keep_alive(false);
  }

  // Sends one request; throws Error for transport failures and non-2xx statuses.
  HttpAnswer send(const std::string& method, const std::string& path, const std::string& body) {
    m_connect_errno = 0;
    httplib::Result result = method == "GET"    ? Get(path)
                             : method == "POST" ? Post(path, body, "application/json")
                                                : Delete(path);
    if (!result) {
      throw Error(go_op(method) + " " + go_quote("http://rootlesskit" + path) + ": " +
                  transport_error(result.error()));
    }
    HttpAnswer answer{result->status, result->body};
    if (answer.status / 100 != 2) {
      throw status_error(answer);
    }
    return answer;
  }

 protected:
  bool create_and_connect_socket(Socket& socket, httplib::Error& error) override {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      return fail(error, errno);
    }
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (m_socket_path.size() >= sizeof addr.sun_path) {
      ::close(fd);
      return fail(error, EINVAL);
    }
    std::memcpy(addr.sun_path, m_socket_path.data(), m_socket_path.size());
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      int err = errno;
      ::close(fd);
      return fail(error, err);
    }
    socket.sock = fd;
    return true;
  }

 private:
  bool fail(httplib::Error& error, int err) {
    m_connect_errno = err;
    error = httplib::Error::Connection;
    return false;
  }

  std::string transport_error(httplib::Error error) const {
    if (m_connect_errno != 0) {
      return "dial unix " + m_socket_path + ": connect: " + errno_text(m_connect_errno);
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

  // upstream httputil.HTTPStatusError.Error()
  static Error status_error(const HttpAnswer& answer) {
    std::string body = answer.body.substr(0, kErrorBodyMax);
    if (!body.empty() && body.size() < kErrorBodyMax) {
      if (auto message = error_message_from_json(body)) {
        return Error(*message);
      }
    }
    return Error("unexpected HTTP status " + http_status_text(answer.status) +
                 ", body=" + go_quote(body));
  }

  std::string m_socket_path;
  int m_connect_errno = 0;
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

Info Client::info() { return info_from_json(m_http->send("GET", "/v1/info", "").body); }

PortStatus Client::add_port(const PortSpec& spec) {
  return port_status_from_json(m_http->send("POST", "/v1/ports", to_json(spec)).body);
}

std::vector<PortStatus> Client::list_ports() {
  return port_statuses_from_json(m_http->send("GET", "/v1/ports", "").body);
}

void Client::remove_port(int id) { m_http->send("DELETE", "/v1/ports/" + std::to_string(id), ""); }

std::string http_status_text(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Request Entity Too Large";
    case 414: return "Request URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Requested Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "";
  }
}

}  // namespace rootlesskit::api

// The API client against our server and against a canned raw server: results, and error texts
// shaped like upstream's Go client.
#include "api/client.h"

#include <fcntl.h>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "api_test_util.h"

namespace rootlesskit::api {
namespace {

using testing::FakePorts;
using testing::RunningServer;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ApiClient, RoundTrip) {
  FakePorts ports;
  RunningServer srv(&ports);
  Client client = Client::open(srv.socket());
  EXPECT_EQ(to_json(client.info()), to_json(testing::sample_info()));
  EXPECT_TRUE(client.list_ports().empty());
  PortStatus a = client.add_port(PortSpec{"tcp", "127.0.0.1", 8080, 80, ""});
  PortStatus b = client.add_port(PortSpec{"udp", "::1", 8081, 81, "::2"});
  EXPECT_EQ(a, (PortStatus{1, {"tcp", "127.0.0.1", 8080, 80, ""}}));
  EXPECT_EQ(b.id, 2);
  EXPECT_EQ(client.list_ports(), (std::vector<PortStatus>{a, b}));
  EXPECT_EQ(error_of([&] { client.add_port(PortSpec{"tcp", "127.0.0.1", 8080, 90, ""}); }), "conflict with ID 1");
  client.remove_port(1);
  EXPECT_EQ(error_of([&] { client.remove_port(1); }), "unknown id: 1");
  EXPECT_EQ(client.list_ports(), (std::vector<PortStatus>{b}));

  // A Client is a PortManager, like upstream's Client.PortManager().
  PortManager& manager = client;
  EXPECT_EQ(manager.list_ports().size(), 1u);
}

TEST(ApiClient, NoPortDriverMessage) {
  RunningServer srv(nullptr);
  Client client = Client::open(srv.socket());
  EXPECT_EQ(error_of([&] { client.list_ports(); }), "no PortDriver is available");
}

TEST(ApiClient, OpenStatsThePath) {
  EXPECT_EQ(error_of([] { Client::open("/nonexist"); }), "stat /nonexist: no such file or directory");
}

TEST(ApiClient, ConnectionRefused) {
  testing::TempDir dir;
  std::string path = dir.path() + "/api.sock";
  { Fd closed = listen_unix(path); }  // the file stays, nobody listens
  Client client = Client::open(path);
  EXPECT_EQ(error_of([&] { client.info(); }),
            "Get \"http://rootlesskit/v1/info\": dial unix " + path + ": connect: connection refused");
  EXPECT_EQ(error_of([&] { client.remove_port(3); }),
            "Delete \"http://rootlesskit/v1/ports/3\": dial unix " + path + ": connect: connection refused");
}

TEST(ApiClient, PathTooLongForAUnixSocket) {
  testing::TempDir dir;
  std::string path = dir.path() + "/" + std::string(120, 'a');
  { Fd file(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600)); }
  Client client = Client::open(path);
  EXPECT_EQ(error_of([&] { client.info(); }),
            "Get \"http://rootlesskit/v1/info\": dial unix " + path + ": connect: invalid argument");
}

// A server that accepts (the kernel does, from the backlog) and never answers.
TEST(ApiClient, GivesUpOnAServerThatNeverAnswers) {
  testing::TempDir dir;
  std::string path = dir.path() + "/api.sock";
  Fd listener = listen_unix(path);
  Client client = Client::open(path);
  using std::chrono::milliseconds;
  client.set_timeouts(Client::Timeouts{milliseconds(200), milliseconds(300)});
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(error_of([&] { client.info(); }),
            "Get \"http://rootlesskit/v1/info\": the API server at " + path + " did not answer within 0.2s");
  EXPECT_EQ(error_of([&] {
              client.add_port(PortSpec{"tcp", "", 8080, 80, ""});
            }),
            "Post \"http://rootlesskit/v1/ports\": the API server at " + path + " did not answer within 0.3s");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// Serves one connection with a canned response and keeps the request it read.
class CannedServer {
 public:
  explicit CannedServer(std::string response) : m_path(m_dir.path() + "/api.sock"), m_listener(listen_unix(m_path)) {
    m_thread = std::thread([this, response = std::move(response)] {
      Fd conn(::accept4(m_listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
      char buf[4096];
      ssize_t n = ::recv(conn.get(), buf, sizeof buf, 0);
      m_request.assign(buf, n > 0 ? static_cast<size_t>(n) : 0);
      ::send(conn.get(), response.data(), response.size(), MSG_NOSIGNAL);
      ::shutdown(conn.get(), SHUT_RDWR);
    });
  }
  ~CannedServer() { join(); }
  const std::string& path() const { return m_path; }
  // The request's bytes, once the exchange is over.
  const std::string& request() {
    join();
    return m_request;
  }

 private:
  void join() {
    if (m_thread.joinable()) {
      m_thread.join();
    }
  }

  testing::TempDir m_dir;
  std::string m_path;
  Fd m_listener;
  std::string m_request;
  std::thread m_thread;
};

TEST(ApiClient, SendsTheHostGoClientsSend) {
  // Go's server refuses a Host header that is a socket path ("400 Bad Request: malformed Host
  // header"), so the client must not send httplib's default (the path) to upstream's rootlesskit.
  CannedServer srv("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnull");
  Client client = Client::open(srv.path());
  EXPECT_TRUE(client.list_ports().empty());
  const std::string& request = srv.request();
  EXPECT_EQ(request.substr(0, request.find("\r\n")), "GET /v1/ports HTTP/1.1");
  EXPECT_NE(request.find("\r\nHost: rootlesskit\r\n"), std::string::npos) << request;
  EXPECT_EQ(request.find(srv.path()), std::string::npos) << request;
}

TEST(ApiClient, ServerClosesWithoutAnswer) {
  CannedServer srv("");
  Client client = Client::open(srv.path());
  EXPECT_EQ(error_of([&] { client.info(); }), "Get \"http://rootlesskit/v1/info\": EOF");
}

TEST(ApiClient, NonJsonErrorBody) {
  CannedServer srv(
      "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 19\r\n"
      "Connection: close\r\n\r\n404 page not found\n");
  Client client = Client::open(srv.path());
  EXPECT_EQ(error_of([&] { client.info(); }), "unexpected HTTP status Not Found, body=\"404 page not found\\n\"");
}

TEST(ApiClient, JsonErrorBodyWithTextContentType) {
  // Upstream's server labels its JSON errors text/plain; clients only look at the body.
  CannedServer srv(
      "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 41\r\n"
      "Connection: close\r\n\r\n{\"message\":\"no PortDriver is available\"}\n");
  Client client = Client::open(srv.path());
  EXPECT_EQ(error_of([&] { client.list_ports(); }), "no PortDriver is available");
}

TEST(ApiClient, EmptyErrorBody) {
  CannedServer srv("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  Client client = Client::open(srv.path());
  EXPECT_EQ(error_of([&] { client.remove_port(1); }), "unexpected HTTP status Method Not Allowed, body=\"\"");
}

}  // namespace
}  // namespace rootlesskit::api

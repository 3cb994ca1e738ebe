// The API client against our server and against a canned raw server: results, and error texts
// shaped like upstream's Go client.
#include "api/client.h"

#include <gtest/gtest.h>

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
  EXPECT_EQ(error_of([&] { client.add_port(PortSpec{"tcp", "127.0.0.1", 8080, 90, ""}); }),
            "conflict with ID 1");
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

// Serves one connection with a canned response.
class CannedServer {
 public:
  explicit CannedServer(std::string response)
      : m_path(m_dir.path() + "/api.sock"), m_listener(listen_unix(m_path)) {
    m_thread = std::thread([this, response = std::move(response)] {
      Fd conn(::accept4(m_listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
      char buf[4096];
      ::recv(conn.get(), buf, sizeof buf, 0);
      ::send(conn.get(), response.data(), response.size(), MSG_NOSIGNAL);
      ::shutdown(conn.get(), SHUT_RDWR);
    });
  }
  ~CannedServer() { m_thread.join(); }
  const std::string& path() const { return m_path; }

 private:
  testing::TempDir m_dir;
  std::string m_path;
  Fd m_listener;
  std::thread m_thread;
};

TEST(ApiClient, NonJsonErrorBody) {
  CannedServer srv(
      "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 19\r\n"
      "Connection: close\r\n\r\n404 page not found\n");
  Client client = Client::open(srv.path());
  EXPECT_EQ(error_of([&] { client.info(); }),
            "unexpected HTTP status Not Found, body=\"404 page not found\\n\"");
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

TEST(ApiClient, HttpStatusText) {
  EXPECT_EQ(http_status_text(404), "Not Found");
  EXPECT_EQ(http_status_text(500), "Internal Server Error");
  EXPECT_EQ(http_status_text(599), "");
}

}  // namespace
}  // namespace rootlesskit::api

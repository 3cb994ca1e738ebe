// The REST API server on a real unix socket: bytes on the wire (statuses, headers, bodies of
// docs/api.md), keep-alive, robustness against malformed requests, and prompt stop().
#include "api/server.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "api/client.h"
#include "api_test_util.h"

namespace rootlesskit::api {
namespace {

using testing::FakePorts;
using testing::RawHttp;
using testing::RunningServer;

TEST(ApiServer, InfoIsCompactJson) {
  FakePorts ports;
  RunningServer srv(&ports);
  RawHttp http(srv.socket());
  auto r = http.request("GET", "/v1/info?x=1");  // query strings are ignored
  EXPECT_EQ(r.status_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.body, to_json(testing::sample_info()));
  EXPECT_NE(r.body.back(), '\n');
}

TEST(ApiServer, UnknownPathsAre404TextPages) {
  FakePorts ports;
  RunningServer srv(&ports);
  RawHttp http(srv.socket());
  const std::string long_path = "/v1/" + std::string(8000, 'a');
  for (const std::string& path :
       {std::string("/v1/info/"), std::string("/v2/info"), std::string("/"), std::string("/v1"),
        std::string("/v1/ports/"), std::string("/v1/ports/1/x"), std::string("/v1/%0Ainfo"), long_path}) {
    auto r = http.request("GET", path);
    EXPECT_EQ(r.status_line, "HTTP/1.1 404 Not Found") << path;
    EXPECT_EQ(r.headers["content-type"], "text/plain; charset=utf-8") << path;
    EXPECT_EQ(r.headers["x-content-type-options"], "nosniff") << path;
    EXPECT_EQ(r.body, "404 page not found\n") << path;
  }
}

TEST(ApiServer, WrongMethodIsEmpty405) {
  FakePorts ports;
  RunningServer srv(&ports);
  RawHttp http(srv.socket());
  const std::pair<const char*, const char*> cases[] = {
      {"PUT", "/v1/ports"}, {"GET", "/v1/ports/1"},   {"HEAD", "/v1/info"},  {"OPTIONS", "/v1/info"},
      {"POST", "/v1/info"}, {"PATCH", "/v1/ports/1"}, {"TRACE", "/v1/info"}, {"DELETE", "/v1/ports"},
  };
  for (const auto& [method, path] : cases) {
    auto r = http.request(method, path);
    EXPECT_EQ(r.status_line, "HTTP/1.1 405 Method Not Allowed") << method << " " << path;
    EXPECT_EQ(r.headers["content-length"], "0") << method << " " << path;
    EXPECT_EQ(r.headers.count("content-type"), 0u) << method << " " << path;
    EXPECT_EQ(r.body, "");
  }
}

TEST(ApiServer, PortsLifecycleOverOneKeepAliveConnection) {
  FakePorts ports;
  RunningServer srv(&ports);
  RawHttp http(srv.socket());
  auto r = http.request("GET", "/v1/ports");
  EXPECT_EQ(r.status_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(r.body, "null");

  r = http.request("POST", "/v1/ports", R"({"proto":"tcp","parentIP":"127.0.0.1","parentPort":18080,"childPort":80})",
                   "Content-Type: application/json\r\n");
  EXPECT_EQ(r.status_line, "HTTP/1.1 201 Created");
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.body, R"({"id":1,"spec":{"proto":"tcp","parentIP":"127.0.0.1","parentPort":18080,"childPort":80}})");
  r = http.request("POST", "/v1/ports", R"({"proto":"udp","parentPort":53,"childPort":53})");
  EXPECT_EQ(r.body, R"({"id":2,"spec":{"proto":"udp","parentPort":53,"childPort":53}})");

  r = http.request("GET", "/v1/ports");  // the fake lists 2,1: the server sorts
  EXPECT_EQ(r.body, R"([{"id":1,"spec":{"proto":"tcp","parentIP":"127.0.0.1","parentPort":18080,"childPort":80}},)"
                    R"({"id":2,"spec":{"proto":"udp","parentPort":53,"childPort":53}}])");

  r = http.request("DELETE", "/v1/ports/1");
  EXPECT_EQ(r.status_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(r.headers["content-length"], "0");
  EXPECT_EQ(r.body, "");
  r = http.request("DELETE", "/v1/ports/1");
  EXPECT_EQ(r.status_line, "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(r.body, "{\"message\":\"unknown id: 1\"}\n");
}

TEST(ApiServer, BadRequestsAre400WithGoTexts) {
  FakePorts ports;
  RunningServer srv(&ports);
  RawHttp http(srv.socket());
  auto message = [&](const std::string& method, const std::string& path, const std::string& body) {
    auto r = http.request(method, path, body);
    EXPECT_EQ(r.status_line, "HTTP/1.1 400 Bad Request") << body;
    EXPECT_EQ(r.body.back(), '\n');
    return r.body;
  };
  EXPECT_EQ(message("POST", "/v1/ports", "garbage"),
            "{\"message\":\"invalid character 'g' looking for beginning of value\"}\n");
  EXPECT_EQ(message("POST", "/v1/ports", R"({"parentPort":"80"})"),
            "{\"message\":\"json: cannot unmarshal string into Go struct field Spec.parentPort of type int\"}\n");
  EXPECT_EQ(message("POST", "/v1/ports", ""), "{\"message\":\"EOF\"}\n");
  EXPECT_EQ(message("POST", "/v1/ports", R"({"proto":"tcp","childPort":80})"),
            "{\"message\":\"invalid ParentPort: '\\\\x00'\"}\n");
  EXPECT_EQ(message("DELETE", "/v1/ports/abc", ""),
            "{\"message\":\"bad id abc: strconv.Atoi: parsing \\\"abc\\\": invalid syntax\"}\n");
  http.request("POST", "/v1/ports", R"({"proto":"tcp","parentPort":1,"childPort":1})");
  EXPECT_EQ(message("POST", "/v1/ports", R"({"proto":"tcp","parentPort":1,"childPort":2})"),
            "{\"message\":\"conflict with ID 1\"}\n");
}

TEST(ApiServer, NoPortDriver) {
  RunningServer srv(nullptr);
  RawHttp http(srv.socket());
  for (auto [method, path] : {std::pair{"GET", "/v1/ports"}, {"POST", "/v1/ports"}, {"DELETE", "/v1/ports/x"}}) {
    auto r = http.request(method, path, method == std::string("POST") ? "{}" : "");
    EXPECT_EQ(r.status_line, "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(r.body, "{\"message\":\"no PortDriver is available\"}\n");
  }
  EXPECT_EQ(http.request("GET", "/v1/info").status_line, "HTTP/1.1 200 OK");
}

TEST(ApiServer, InfoFailureIs500) {
  RunningServer srv(nullptr, []() -> Info { throw Error("slirp4netns: <broken> & gone"); });
  RawHttp http(srv.socket());
  auto r = http.request("GET", "/v1/info");
  EXPECT_EQ(r.status_line, "HTTP/1.1 500 Internal Server Error");
  EXPECT_EQ(r.body, "{\"message\":\"slirp4netns: \\u003cbroken\\u003e \\u0026 gone\"}\n");
}

TEST(ApiServer, IgnoresRangeAndCompressionRequests) {
  RunningServer srv(nullptr);
  RawHttp http(srv.socket());
  auto r = http.request("GET", "/v1/info", "", "Range: bytes=0-3\r\nAccept-Encoding: gzip, br\r\n");
  EXPECT_EQ(r.status_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(r.headers.count("content-encoding"), 0u);
  EXPECT_EQ(r.body, to_json(testing::sample_info()));
}

TEST(ApiServer, SurvivesMalformedRequests) {
  FakePorts ports;
  RunningServer srv(&ports);
  {
    RawHttp http(srv.socket());
    http.send_raw("NOT HTTP AT ALL\r\n\r\n");
    EXPECT_EQ(http.read_response().status_line, "HTTP/1.1 400 Bad Request");
  }
  {
    RawHttp http(srv.socket());
    http.send_raw("GET /v1/info HTTP/1.1\r\n" + std::string(100000, 'x') + "\r\n\r\n");
    http.read_response();  // any answer or a close is fine; the server must live on
  }
  {
    RawHttp http(srv.socket());
    http.send_raw("POST /v1/ports HTTP/1.1\r\nContent-Length: 5\r\n\r\n{\"a\"");  // short body
  }
  {
    RawHttp http(srv.socket());
    std::string deep(100000, '[');
    auto r = http.request("POST", "/v1/ports", deep);
    EXPECT_EQ(r.body, "{\"message\":\"exceeded max depth\"}\n");
  }
  {
    RawHttp http(srv.socket());
    auto r = http.request("POST", "/v1/ports", std::string(2 << 20, ' '));  // over the body limit
    EXPECT_EQ(r.status_line, "HTTP/1.1 413 Request Entity Too Large");
  }
  RawHttp http(srv.socket());
  EXPECT_EQ(http.request("GET", "/v1/info").status_line, "HTTP/1.1 200 OK");
}

TEST(ApiServer, ManyConcurrentClients) {
  FakePorts ports;
  RunningServer srv(&ports);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&, t] {
      Client client = Client::open(srv.socket());
      for (int i = 0; i < 10; ++i) {
        PortStatus st = client.add_port(PortSpec{"tcp", "", 10000 + t * 100 + i, 80, ""});
        client.remove_port(st.id);
        ++ok;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(ok, 120);
}

TEST(ApiServer, StopIsPromptWithIdleKeepAliveConnections) {
  FakePorts ports;
  RunningServer srv(&ports);
  std::vector<std::unique_ptr<RawHttp>> idle;
  for (int i = 0; i < 6; ++i) {  // more than the worker threads
    idle.push_back(std::make_unique<RawHttp>(srv.socket()));
    if (i < 2) {
      idle.back()->request("GET", "/v1/info");
    }
  }
  auto start = std::chrono::steady_clock::now();
  srv.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_TRUE(idle[0]->at_eof());
  srv.stop();  // idempotent
}

// Request smuggling starts where two parsers disagree: such requests get a 400 and a close.
TEST(ApiServer, AmbiguousRequestsGet400) {
  FakePorts ports;
  RunningServer srv(&ports);
  for (const std::string& raw : {
           std::string("POST /v1/ports HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}x"),
           std::string("POST /v1/ports HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}"),
           std::string("GET /v1/info HTTP/1.1\n\n"),
           std::string("GET /v1/info HTTP/1.1\r\nHost: x\n\r\n\r\n"),
       }) {
    RawHttp http(srv.socket());
    http.send_raw(raw);
    auto r = http.read_response();
    EXPECT_EQ(r.status_line, "HTTP/1.1 400 Bad Request") << raw;
    EXPECT_TRUE(http.at_eof()) << raw;
  }
  // The same length twice is one length.
  RawHttp http(srv.socket());
  http.send_raw("POST /v1/ports HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(http.read_response().body, "{\"message\":\"invalid ParentPort: '\\\\x00'\"}\n");
}

TEST(ApiServer, HalfSentRequestThenHalfCloseGets400) {
  FakePorts ports;
  RunningServer srv(&ports);
  RawHttp http(srv.socket());
  http.send_raw("POST /v1/ports HTTP/1.1\r\nContent-Length: 10\r\n\r\n{\"a\"");
  http.shutdown_write();
  EXPECT_EQ(http.read_response().status_line, "HTTP/1.1 400 Bad Request");
  EXPECT_TRUE(http.at_eof());
}

// Idle clients cannot lock the API out: past the cap the least recently used idle connection
// makes room, and a busy one is served after the others.
TEST(ApiServer, IdleClientsCannotLockTheApiOut) {
  FakePorts ports;
  http::ServerLimits limits;
  limits.max_connections = 8;
  RunningServer srv(&ports, testing::sample_info, limits);
  std::vector<std::unique_ptr<RawHttp>> idle;
  for (int i = 0; i < 40; ++i) {
    idle.push_back(std::make_unique<RawHttp>(srv.socket()));
  }
  for (int i = 0; i < 20; ++i) {
    RawHttp http(srv.socket());
    EXPECT_EQ(http.request("GET", "/v1/info").status_line, "HTTP/1.1 200 OK");
  }
  EXPECT_TRUE(idle[0]->at_eof());  // evicted
}

TEST(ApiServer, IdleAndSlowConnectionsTimeOut) {
  FakePorts ports;
  http::ServerLimits limits;
  limits.idle_timeout = std::chrono::milliseconds(100);
  limits.request_timeout = std::chrono::milliseconds(200);
  RunningServer srv(&ports, testing::sample_info, limits);
  RawHttp idle(srv.socket());
  RawHttp slow(srv.socket());
  // A client trickling its request does not extend the request deadline.
  auto start = std::chrono::steady_clock::now();
  slow.send_raw("G");
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(600)) {
    try {
      slow.send_raw("E");
    } catch (const Error&) {
      break;  // closed by the server
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(idle.at_eof());
  EXPECT_TRUE(slow.at_eof());
  RawHttp fresh(srv.socket());
  EXPECT_EQ(fresh.request("GET", "/v1/info").status_line, "HTTP/1.1 200 OK");
}

TEST(ApiServer, ListenUnixChecksPathLength) {
  testing::TempDir dir;
  std::string long_path = dir.path() + "/" + std::string(120, 'a');
  try {
    listen_unix(long_path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("unix socket path is too long (", 0), 0u) << e.what();
  }
  EXPECT_NO_THROW(check_unix_socket_path(std::string(107, 'a')));
  EXPECT_THROW(check_unix_socket_path(std::string(108, 'a')), Error);
  // A stale socket file is replaced.
  std::string path = dir.path() + "/api.sock";
  { Fd first = listen_unix(path); }
  Fd second = listen_unix(path);
  EXPECT_TRUE(second);
}

// srwxr-xr-x as upstream under its usual umask, under any umask: others cannot connect (that
// needs write permission), and the state dir around it is 0700 anyway.
TEST(ListenUnix, SocketModeIgnoresTheUmask) {
  testing::TempDir dir;
  for (mode_t mask : {mode_t{0}, mode_t{022}, mode_t{077}}) {
    mode_t old = ::umask(mask);
    std::string path = dir.path() + "/api.sock";
    Fd sock = listen_unix(path);
    ::umask(old);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISSOCK(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0755u) << "umask " << mask;
  }
}

}  // namespace
}  // namespace rootlesskit::api

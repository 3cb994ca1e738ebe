// The API server's HTTP request parser: framing, keep-alive rules, limits and malformed input.
#include "api/http/request_parser.h"

#include <gtest/gtest.h>

namespace rootlesskit::api::http {
namespace {

using State = RequestParser::State;

TEST(RequestParser, SimpleGet) {
  RequestParser p;
  ASSERT_EQ(p.feed("GET /v1/info?x=1 HTTP/1.1\r\nHost: rootlesskit\r\n\r\n"), State::complete);
  EXPECT_EQ(p.request().method, "GET");
  EXPECT_EQ(p.request().path, "/v1/info");
  EXPECT_TRUE(p.request().keep_alive);
  EXPECT_EQ(p.request().body, "");
}

TEST(RequestParser, ByteByByte) {
  std::string req = "POST /v1/ports HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
  RequestParser p;
  for (size_t i = 0; i + 1 < req.size(); ++i) {
    ASSERT_EQ(p.feed(req.substr(i, 1)), State::need_more) << i;
  }
  ASSERT_EQ(p.feed(req.substr(req.size() - 1)), State::complete);
  EXPECT_EQ(p.request().body, "hello");
}

TEST(RequestParser, PipelinedRequests) {
  RequestParser p;
  ASSERT_EQ(p.feed("GET /a HTTP/1.1\r\n\r\nDELETE /v1/ports/3 HTTP/1.1\r\nConnection: close\r\n\r\nGET /c"),
            State::complete);
  EXPECT_EQ(p.request().path, "/a");
  ASSERT_EQ(p.reset_for_next(), State::complete);
  EXPECT_EQ(p.request().method, "DELETE");
  EXPECT_FALSE(p.request().keep_alive);
  EXPECT_EQ(p.reset_for_next(), State::need_more);
}

TEST(RequestParser, Http10ClosesUnlessKeepAlive) {
  RequestParser p;
  ASSERT_EQ(p.feed("GET / HTTP/1.0\r\n\r\n"), State::complete);
  EXPECT_EQ(p.request().minor_version, 0);
  EXPECT_FALSE(p.request().keep_alive);
  RequestParser q;
  ASSERT_EQ(q.feed("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"), State::complete);
  EXPECT_TRUE(q.request().keep_alive);
}

TEST(RequestParser, AbsoluteFormTarget) {
  RequestParser p;
  ASSERT_EQ(p.feed("GET http://rootlesskit/v1/info HTTP/1.1\r\n\r\n"), State::complete);
  EXPECT_EQ(p.request().path, "/v1/info");
}

TEST(RequestParser, ChunkedBody) {
  RequestParser p;
  ASSERT_EQ(
      p.feed("POST /v1/ports HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n"),
      State::complete);
  EXPECT_EQ(p.request().body, "abcde");
}

TEST(RequestParser, MalformedInputFailsWithAStatus) {
  struct Case {
    const char* input;
    int status;
  } cases[] = {
      {"GARBAGE\r\n\r\n", 400},
      {"GET /x HTTP/2.0\r\n\r\n", 505},
      {"GET /x FOO\r\n\r\n", 400},
      {"GET x HTTP/1.1\r\n\r\n", 400},
      {"GET /x HTTP/1.1\r\nNoColon\r\n\r\n", 400},
      {"POST /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
      {"POST /x HTTP/1.1\r\nContent-Length: 12abc\r\n\r\n", 400},
      {"POST /x HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", 413},
      {"POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
      {"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
  };
  for (const auto& c : cases) {
    RequestParser p;
    EXPECT_EQ(p.feed(c.input), State::failed) << c.input;
    EXPECT_EQ(p.error_status(), c.status) << c.input;
  }
}

TEST(RequestParser, HeaderLimit) {
  RequestParser p(Limits{64, 1024});
  EXPECT_EQ(p.feed("GET /x HTTP/1.1\r\nX-Long: " + std::string(100, 'a')), State::failed);
  EXPECT_EQ(p.error_status(), 431);
}

TEST(RequestParser, ChunkedBodyLimit) {
  RequestParser p(Limits{1024, 4});
  EXPECT_EQ(p.feed("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n"), State::failed);
  EXPECT_EQ(p.error_status(), 413);
}

TEST(RequestParser, FailedStaysFailed) {
  RequestParser p;
  ASSERT_EQ(p.feed("BAD\r\n\r\n"), State::failed);
  EXPECT_EQ(p.feed("GET / HTTP/1.1\r\n\r\n"), State::failed);
}

}  // namespace
}  // namespace rootlesskit::api::http

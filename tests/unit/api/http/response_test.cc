// HTTP responses of the API server, and the reason-phrase table the server and client share.
#include "api/http/response.h"

#include <gtest/gtest.h>

namespace rootlesskit::api::http {
namespace {

TEST(Response, ReasonPhrasesAreGoStatusText) {
  EXPECT_STREQ(reason_phrase(200), "OK");
  EXPECT_STREQ(reason_phrase(404), "Not Found");
  EXPECT_STREQ(reason_phrase(405), "Method Not Allowed");
  EXPECT_STREQ(reason_phrase(413), "Request Entity Too Large");
  EXPECT_STREQ(reason_phrase(431), "Request Header Fields Too Large");
  EXPECT_STREQ(reason_phrase(500), "Internal Server Error");
  EXPECT_STREQ(reason_phrase(599), "");
}

TEST(Response, StatusLineAndHeaders) {
  Response r{404, {{"Content-Type", "text/plain; charset=utf-8"}}, "404 page not found\n"};
  std::string out = serialize(r, 1, true, false);
  EXPECT_EQ(out.substr(0, out.find("\r\n")), "HTTP/1.1 404 Not Found");
  EXPECT_NE(out.find("\r\nContent-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(out.find("\r\nContent-Length: 19\r\n"), std::string::npos);
  EXPECT_EQ(out.find("Connection:"), std::string::npos);
  EXPECT_TRUE(out.ends_with("\r\n\r\n404 page not found\n"));
}

TEST(Response, UnknownStatusReadsLikeGo) {
  std::string out = serialize(Response{599, {}, ""}, 0, false, false);
  EXPECT_EQ(out.substr(0, out.find("\r\n")), "HTTP/1.0 599 status code 599");
  EXPECT_NE(out.find("\r\nConnection: close\r\n"), std::string::npos);
}

TEST(Response, HeadKeepsLengthWithoutBody) {
  std::string out = serialize(Response{200, {}, "{}"}, 1, true, true);
  EXPECT_NE(out.find("\r\nContent-Length: 2\r\n"), std::string::npos);
  EXPECT_TRUE(out.ends_with("\r\n\r\n"));
}

}  // namespace
}  // namespace rootlesskit::api::http

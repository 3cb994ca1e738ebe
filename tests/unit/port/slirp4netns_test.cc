// The slirp4netns port driver's reading of slirp4netns' API replies (add_hostfwd, remove_hostfwd)
// and its Go-shaped error texts (upstream pkg/port/slirp4netns/slirp4netns.go). The parent reads
// these replies from a process that runs with the user's privileges; tests/fuzz/slirp4netns_fuzz
// feeds them arbitrary bytes.
#include "port/slirp4netns/slirp4netns.h"

#include <gtest/gtest.h>

#include <string>

#include "common/error.h"

namespace rootlesskit::port::slirp4netns {
namespace {

std::string add_error(const std::string& reply) {
  try {
    parse_add_hostfwd_reply(reply);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Slirp4netnsReply, AddReturnsTheId) {
  EXPECT_EQ(parse_add_hostfwd_reply(R"({"return":{"id":3}})"), 3);
  EXPECT_EQ(parse_add_hostfwd_reply(R"({"return":{"id":0},"error":{}})"), 0);
}

TEST(Slirp4netnsReply, RefusalIsReplyError) {
  EXPECT_EQ(add_error(R"({"error":{"desc":"bad request: add_hostfwd: slirp_add_hostfwd failed"}})"),
            "reply.Error: map[desc:bad request: add_hostfwd: slirp_add_hostfwd failed]");
  EXPECT_THROW(check_remove_hostfwd_reply(R"({"error":{"desc":"bad request: remove_hostfwd"}})"), Error);
  EXPECT_NO_THROW(check_remove_hostfwd_reply(R"({"return":{}})"));
}

TEST(Slirp4netnsReply, ReplyWithoutIdIsUnexpected) {
  EXPECT_EQ(add_error(R"({"return":{}})"), R"(unexpected reply: {"return":{}})");
  EXPECT_EQ(add_error(R"({"return":[1]})"), R"(unexpected reply: {"return":[1]})");
  EXPECT_EQ(add_error("[]"), R"(unexpected reply from slirp4netns: "[]")");
  EXPECT_EQ(add_error(""), R"(unexpected reply from slirp4netns: "")");
}

// slirp4netns_fuzz: get<int> of 1e300 is undefined behaviour (UBSan: "1e+300 is outside the
// range of representable values of type 'int'"); an id that is no int is refused instead.
TEST(Slirp4netnsReply, IdThatIsNoIntIsUnexpected) {
  EXPECT_EQ(add_error(R"({"return":{"id":1e300}})"), "unexpected id: 1e+300");
  EXPECT_EQ(add_error(R"({"return":{"id":-1e30}})"), "unexpected id: -1e+30");
  EXPECT_EQ(add_error(R"({"return":{"id":4294967296}})"), "unexpected id: 4294967296");
  EXPECT_EQ(add_error(R"({"return":{"id":"1"}})"), "unexpected id: 1");
  EXPECT_EQ(add_error(R"({"return":{"id":null}})"), "unexpected id: <nil>");
}

TEST(Slirp4netnsReply, GoMapText) {
  EXPECT_EQ(go_map_text(R"({"desc":"x","a":[1,"b"],"n":null})"), "map[a:[1 b] desc:x n:<nil>]");
}

}  // namespace
}  // namespace rootlesskit::port::slirp4netns

// Parent/child message encoding and framing.
#include "messages/message.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "common/error.h"
#include "common/fd.h"

namespace rootlesskit::messages {
namespace {

TEST(Message, NamedMessageIsUpstreamShape) {
  EXPECT_EQ(encode_named("ChildInitUserNSCompleted"), R"({"Name":"ChildInitUserNSCompleted"})");
}

TEST(Message, HostNetworkMessageHasZeroValues) {
  EXPECT_EQ(encode(NetworkDriverCompleted{}),
            R"({"Name":"ParentInitNetworkDriverCompleted","Network":null,"Dev":"","IP":"","Netmask":0,)"
            R"("Gateway":"","DNS":null,"MTU":0,"NetworkDriverOpaque":null})");
}

TEST(Message, NetworkMessageRoundTrips) {
  NetworkDriverCompleted m{"tap0", "10.0.2.100", 24, "10.0.2.2", {"10.0.2.3"}, 65520, {{"k", "v"}}};
  std::string body = encode(m);
  EXPECT_EQ(body,
            R"({"Name":"ParentInitNetworkDriverCompleted","Network":null,"Dev":"tap0","IP":"10.0.2.100",)"
            R"("Netmask":24,"Gateway":"10.0.2.2","DNS":["10.0.2.3"],"MTU":65520,"NetworkDriverOpaque":{"k":"v"}})");
  auto back = decode_network(body);
  EXPECT_EQ(back.dev, "tap0");
  EXPECT_EQ(back.netmask, 24);
  EXPECT_EQ(back.dns, std::vector<std::string>{"10.0.2.3"});
  EXPECT_EQ(back.mtu, 65520);
  EXPECT_EQ(back.opaque.at("k"), "v");
}

TEST(Message, PortMessageRoundTrips) {
  PortDriverCompleted m{{{"builtin.socketpath", "/s/.bp.sock"}}};
  EXPECT_EQ(decode_port(encode(m)).opaque.at("builtin.socketpath"), "/s/.bp.sock");
  EXPECT_EQ(encode(PortDriverCompleted{}), R"({"Name":"ParentInitPortDriverCompleted","PortDriverOpaque":null})");
}

TEST(Message, WrongNameIsAnError) {
  try {
    expect_named(R"({"Name":"ParentHello"})", "ChildHello");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), R"(expected "ChildHello", got {"Name":"ParentHello"})");
  }
  EXPECT_THROW(expect_named(R"({"foo":1})", "ChildHello"), Error);
  EXPECT_THROW(expect_named("not json", "ChildHello"), Error);
}

TEST(Framing, RoundTripThroughAPipe) {
  Pipe p = make_pipe();
  write_frame(p.write.get(), "{\"Name\":\"A\"}");
  write_frame(p.write.get(), "{\"Name\":\"B\"}");
  p.write.reset();
  std::string body;
  ASSERT_TRUE(read_frame(p.read.get(), &body));
  EXPECT_EQ(body, "{\"Name\":\"A\"}");
  ASSERT_TRUE(read_frame(p.read.get(), &body));
  EXPECT_EQ(body, "{\"Name\":\"B\"}");
  EXPECT_FALSE(read_frame(p.read.get(), &body));  // clean EOF: the peer is gone
}

TEST(Framing, RejectsBadLengths) {
  Pipe p = make_pipe();
  unsigned char header[4] = {0x01, 0x00, 0x02, 0x00};  // 131073 > max
  write_all(p.write.get(), header, 4);
  std::string body;
  try {
    read_frame(p.read.get(), &body);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "bad message length: 131073 (max: 65536)");
  }
  EXPECT_THROW(write_frame(p.write.get(), ""), Error);
  EXPECT_THROW(write_frame(p.write.get(), std::string(max_message_size + 1, 'x')), Error);
}

TEST(Framing, TruncatedBodyIsAnError) {
  Pipe p = make_pipe();
  unsigned char header[4] = {10, 0, 0, 0};
  write_all(p.write.get(), header, 4);
  write_all(p.write.get(), "abc", 3);
  p.write.reset();
  std::string body;
  try {
    read_frame(p.read.get(), &body);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "read 3 bytes, expected 10 bytes");
  }
}

}  // namespace
}  // namespace rootlesskit::messages

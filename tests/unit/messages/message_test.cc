// Parent/child message encoding and framing.
#include "messages/message.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <vector>

#include "common/error.h"
#include "common/fd.h"
#include "messages/channel.h"

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

// messages_fuzz: `{"Name":4294967296}` made json::value throw nlohmann's type_error instead of
// rootlesskit::Error, which the parent and the child catch.
TEST(Message, NameThatIsNoStringIsAnError) {
  EXPECT_THROW(expect_named(R"({"Name":4294967296})", "ChildHello"), Error);
  EXPECT_THROW(decode_network(R"({"Name":["ParentInitNetworkDriverCompleted"]})"), Error);
  EXPECT_EQ(decode_child_error(R"({"Name":1,"Message":"x"})"), std::nullopt);
}

TEST(Message, FieldOfTheWrongTypeIsAnError) {
  try {
    decode_network(R"({"Name":"ParentInitNetworkDriverCompleted","DNS":"10.0.2.3"})");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "failed to parse message: bad DNS");
  }
  EXPECT_THROW(decode_port(R"({"Name":"ParentInitPortDriverCompleted","PortDriverOpaque":{"k":1}})"), Error);
}

// An int member that is no integer in int's range: nlohmann's get<int> converted 1e300 with
// undefined behaviour (UBSan in messages_fuzz) and 2^32 to 0; Go's json.Unmarshal refuses both.
TEST(Message, NumberThatIsNoIntIsAnError) {
  for (const char* mtu : {"1e300", "-1e300", "4294967296", "-2147483649", "1500.5", "1500.0"}) {
    std::string body = std::string(R"({"Name":"ParentInitNetworkDriverCompleted","MTU":)") + mtu + "}";
    try {
      decode_network(body);
      ADD_FAILURE() << mtu;
    } catch (const Error& e) {
      EXPECT_STREQ(e.what(), "failed to parse message: bad MTU") << mtu;
    }
  }
  EXPECT_EQ(decode_network(R"({"Name":"ParentInitNetworkDriverCompleted","MTU":2147483647,"Netmask":-1})").mtu,
            2147483647);
}

// messages_fuzz: nlohmann stops parsing at a NUL byte, so `{...}\0junk` parsed and
// decode_child_error, finding no "Message", returned the whole body, junk included.
TEST(Message, BytesAfterANulAreAnError) {
  std::string body = R"({"Name":"ChildInitUserNSCompleted"})";
  body += std::string("\0junk", 5);
  EXPECT_THROW(expect_named(body, "ChildInitUserNSCompleted"), Error);
  EXPECT_EQ(decode_child_error(std::string(R"({"Name":"ChildError"})") + '\0'), std::nullopt);
}

// messages_fuzz: a message with bytes that are no UTF-8 (an --ifname, a path, an error text)
// made dump() throw nlohmann's type_error. Go's json.Marshal writes U+FFFD instead.
TEST(Message, BytesThatAreNoUtf8BecomeReplacementCharacters) {
  EXPECT_EQ(encode_child_error("exec: \xff"), "{\"Name\":\"ChildError\",\"Message\":\"exec: \xEF\xBF\xBD\"}");
  EXPECT_EQ(decode_child_error(encode_child_error("a\xc3(z")), "a\xEF\xBF\xBD(z");
  NetworkDriverCompleted m;
  m.dev = "tap\xff";
  m.opaque["dir"] = "/run/\xfe";
  NetworkDriverCompleted got = decode_network(encode(m));
  EXPECT_EQ(got.dev, "tap\xEF\xBF\xBD");
  EXPECT_EQ(got.opaque["dir"], "/run/\xEF\xBF\xBD");
}

TEST(Channel, OneMessagePerPacket) {
  ChannelPair p = make_channel_pair();
  send_message(p.parent.get(), "{\"Name\":\"A\"}");
  send_message(p.parent.get(), "{\"Name\":\"B\"}");
  p.parent.reset();
  std::string body;
  ASSERT_TRUE(receive_message(p.child.get(), &body));
  EXPECT_EQ(body, "{\"Name\":\"A\"}");
  ASSERT_TRUE(receive_message(p.child.get(), &body));
  EXPECT_EQ(body, "{\"Name\":\"B\"}");
  EXPECT_FALSE(receive_message(p.child.get(), &body));  // EOF: the peer is gone
}

TEST(Channel, RejectsBadLengths) {
  ChannelPair p = make_channel_pair();
  try {
    send_message(p.parent.get(), "");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "bad message length: 0 (max: 65536)");
  }
  EXPECT_THROW(send_message(p.parent.get(), std::string(max_message_size + 1, 'x')), Error);
}

TEST(Channel, FdsRideAlong) {
  ChannelPair p = make_channel_pair();
  Pipe pipe = make_pipe();
  ASSERT_TRUE(send_packet(p.parent.get(), "x", {pipe.write.get()}));
  Packet got;
  ASSERT_EQ(receive_packet(p.child.get(), got), ReceiveStatus::packet);
  ASSERT_EQ(got.fds.size(), 1u);
  pipe.write.reset();
  write_all(got.fds[0].get(), "y", 1);
  char c = 0;
  EXPECT_EQ(read_full(pipe.read.get(), &c, 1), 1u);
  EXPECT_EQ(c, 'y');
  // A message with fds where none are expected does not leak them.
  ASSERT_TRUE(send_packet(p.parent.get(), "{}", {pipe.read.get()}));
  std::string body;
  EXPECT_TRUE(receive_message(p.child.get(), &body));
}

// With no fd number left (RLIMIT_NOFILE), the kernel drops the fds of a packet: the body
// still arrives, the loss is reported, and the channel goes on working.
TEST(Channel, LostFdsLeaveTheChannelUsable) {
  ChannelPair p = make_channel_pair();
  Pipe pipe = make_pipe();
  ASSERT_TRUE(send_packet(p.parent.get(), "with fds", {pipe.read.get(), pipe.write.get()}));
  ASSERT_TRUE(send_packet(p.parent.get(), "after", {pipe.read.get()}));
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &old), 0);
  rlimit low = old;
  low.rlim_cur = 64;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  std::vector<Fd> fillers;  // every free fd number below the limit
  for (Fd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC)); fd; fd.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC))) {
    fillers.push_back(std::move(fd));
  }
  Packet got;
  ReceiveStatus status = receive_packet(p.child.get(), got);
  fillers.clear();
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &old), 0);
  ASSERT_EQ(status, ReceiveStatus::packet);
  EXPECT_EQ(got.body, "with fds");
  EXPECT_TRUE(got.fds_lost);
  EXPECT_TRUE(got.fds.empty());
  ASSERT_EQ(receive_packet(p.child.get(), got), ReceiveStatus::packet);
  EXPECT_EQ(got.body, "after");
  EXPECT_FALSE(got.fds_lost);
  EXPECT_EQ(got.fds.size(), 1u);
}

TEST(Message, ChildErrorHasOneDecoder) {
  EXPECT_EQ(encode_child_error("failed: \"x\""), R"({"Name":"ChildError","Message":"failed: \"x\""})");
  EXPECT_EQ(decode_child_error(encode_child_error("boom")), "boom");
  EXPECT_EQ(decode_child_error(R"({"Name":"ChildInitUserNSCompleted"})"), std::nullopt);
  EXPECT_EQ(decode_child_error("not json"), std::nullopt);
}

}  // namespace
}  // namespace rootlesskit::messages

// The builtin port driver's channel messages (port/builtin/protocol.h): their JSON forms, and
// decoders that reject anything malformed with rootlesskit::Error only, since the parent reads
// them from a child that runs in the user's namespaces (inputs found by tests/fuzz/messages_fuzz).
#include "port/builtin/protocol.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace rootlesskit::port::builtin {
namespace {

std::string error_of(void (*f)()) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(BuiltinProtocol, MessagesRoundTrip) {
  SocketsMessage s = decode_sockets(encode(SocketsMessage{6, SocketType::udp, 32, "too many open files"}));
  EXPECT_EQ(s.family, 6);
  EXPECT_EQ(s.type, SocketType::udp);
  EXPECT_EQ(s.count, 32);
  EXPECT_EQ(s.error, "too many open files");
  DialMessage d = decode_dial(encode(DialMessage{7, SocketType::tcp, "127.0.0.1", 80, ""}));
  EXPECT_EQ(d.id, 7);
  EXPECT_EQ(d.ip, "127.0.0.1");
  EXPECT_EQ(d.port, 80);
  EXPECT_TRUE(decode_transparent(encode(TransparentMessage{true})).ready);
  EXPECT_EQ(kind_of(R"({"Name":"BuiltinDial"})"), MessageKind::dial);
  EXPECT_EQ(encode(ChannelMessage{}), R"({"Name":"BuiltinChannel"})");
  EXPECT_EQ(kind_of(encode(ChannelMessage{})), MessageKind::channel);
}

// messages_fuzz: `{"Name":4294967296}` made json::value throw nlohmann's type_error, which no
// caller catches (the parent's channel handler catches rootlesskit::Error only).
TEST(BuiltinProtocol, NameThatIsNoStringIsUnknownOrMalformed) {
  EXPECT_EQ(kind_of(R"({"Name":4294967296})"), MessageKind::unknown);
  EXPECT_EQ(kind_of(R"({"Name":null})"), MessageKind::unknown);
  EXPECT_EQ(kind_of("[1]"), MessageKind::unknown);
  EXPECT_EQ(error_of([] { decode_sockets(R"({"Name":["BuiltinSockets"]})"); }),
            R"(malformed builtin port driver message: {"Name":["BuiltinSockets"]})");
}

TEST(BuiltinProtocol, TypeThatIsNoStringIsMalformed) {
  EXPECT_EQ(error_of([] { decode_sockets(R"({"Name":"BuiltinSockets","Family":4,"Type":6})"); }),
            "malformed builtin port driver message: bad Type");
  EXPECT_EQ(error_of([] { decode_dial(R"({"Name":"BuiltinDial","Type":{}})"); }),
            "malformed builtin port driver message: bad Type");
  EXPECT_EQ(error_of([] { decode_dial(R"({"Name":"BuiltinDial","Type":"sctp"})"); }), "unknown socket type sctp");
}

// A number out of its field's range: get<long long> of 1e300 was undefined behaviour (UBSan in
// messages_fuzz), get<int> of 2^32 gave 0.
TEST(BuiltinProtocol, NumberThatIsNoIntIsMalformed) {
  EXPECT_EQ(error_of([] { decode_dial(R"({"Name":"BuiltinDial","Id":1e300,"Type":"tcp"})"); }),
            "malformed builtin port driver message: bad Id");
  EXPECT_EQ(error_of([] { decode_dial(R"({"Name":"BuiltinDial","Id":1,"Type":"tcp","Port":4294967296})"); }),
            "malformed builtin port driver message: bad Port");
  EXPECT_EQ(error_of([] { decode_sockets(R"({"Name":"BuiltinSockets","Family":4.0,"Type":"tcp"})"); }),
            "malformed builtin port driver message: bad Family");
  EXPECT_EQ(decode_dial(R"({"Name":"BuiltinDial","Id":9007199254740993,"Type":"tcp"})").id, 9007199254740993LL);
}

// Bytes after a NUL: nlohmann would stop there and take the message.
TEST(BuiltinProtocol, BytesAfterANulAreMalformed) {
  std::string body = std::string(R"({"Name":"BuiltinTransparent","Ready":true})") + '\0' + "junk";
  EXPECT_EQ(kind_of(body), MessageKind::unknown);
  EXPECT_THROW(decode_transparent(body), Error);
}

// An error text that is no UTF-8 is sent with U+FFFD, as Go's json.Marshal does, not thrown.
TEST(BuiltinProtocol, ErrorThatIsNoUtf8IsReplaced) {
  SocketsMessage s{4, SocketType::tcp, 0, "bad \xff"};
  EXPECT_EQ(decode_sockets(encode(s)).error, "bad \xEF\xBF\xBD");
}

}  // namespace
}  // namespace rootlesskit::port::builtin

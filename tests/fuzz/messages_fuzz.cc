// libFuzzer target: one packet of the parent/child channel through every decoder that reads one:
// the set-up messages (messages/message.h) and the builtin port driver's messages
// (port/builtin/protocol.h), which the parent reads from a child that runs in the user's
// namespaces. Decoders may only throw rootlesskit::Error; what they accept must encode and decode
// back to the same message. Build and run: scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.h"
#include "messages/message.h"
#include "port/builtin/protocol.h"

namespace {

using namespace rootlesskit;
namespace builtin = rootlesskit::port::builtin;

bool same(const messages::NetworkDriverCompleted& a, const messages::NetworkDriverCompleted& b) {
  return a.dev == b.dev && a.ip == b.ip && a.netmask == b.netmask && a.gateway == b.gateway && a.dns == b.dns &&
         a.mtu == b.mtu && a.opaque == b.opaque;
}

void set_up_messages(const std::string& body) {
  fuzz::succeeds([&] { messages::expect_named(body, "ChildInitUserNSCompleted"); });
  messages::NetworkDriverCompleted network;
  if (fuzz::succeeds([&] { network = messages::decode_network(body); })) {
    FUZZ_CHECK(same(messages::decode_network(messages::encode(network)), network));
  }
  messages::PortDriverCompleted ports;
  if (fuzz::succeeds([&] { ports = messages::decode_port(body); })) {
    FUZZ_CHECK(messages::decode_port(messages::encode(ports)).opaque == ports.opaque);
  }
  std::optional<std::string> child_error;
  fuzz::succeeds([&] { child_error = messages::decode_child_error(body); });
  if (child_error) {
    FUZZ_CHECK(messages::decode_child_error(messages::encode_child_error(*child_error)) == child_error);
  }
}

// encode(decode(x)) is canonical: decoding and encoding it again changes nothing. True if
// `decode` accepted the body.
template <typename Decode>
bool round_trip(const std::string& body, Decode decode) {
  std::string encoded;
  if (!fuzz::succeeds([&] { encoded = builtin::encode(decode(body)); })) {
    return false;
  }
  FUZZ_CHECK(builtin::encode(decode(encoded)) == encoded);
  return true;
}

// The parent dispatches on kind_of, then decodes: a body a decoder accepts has that kind.
void builtin_messages(const std::string& body) {
  builtin::MessageKind kind = builtin::MessageKind::unknown;
  fuzz::succeeds([&] { kind = builtin::kind_of(body); });
  if (round_trip(body, [](const std::string& b) { return builtin::decode_sockets(b); })) {
    FUZZ_CHECK(kind == builtin::MessageKind::sockets);
  }
  if (round_trip(body, [](const std::string& b) { return builtin::decode_dial(b); })) {
    FUZZ_CHECK(kind == builtin::MessageKind::dial);
  }
  if (round_trip(body, [](const std::string& b) { return builtin::decode_transparent(b); })) {
    FUZZ_CHECK(kind == builtin::MessageKind::transparent);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > messages::max_message_size) {
    return 0;  // the channel never delivers more in one packet
  }
  std::string body(fuzz::as_text(data, size));
  set_up_messages(body);
  builtin_messages(body);
  return 0;
}

// The builtin port driver's messages between its parent half and its child half, one JSON object
// per packet on the parent/child channel (messages/channel.h), sockets attached as SCM_RIGHTS.
// Private to one binary (upstream's `.bp.sock` protocol is private too); see docs/port.md.
//
//   P->C {"Name":"BuiltinSockets","Family":4,"Type":"tcp","Count":32}
//   C->P the same object (+ "Error" on failure) with Count unconnected sockets, made inside the
//        child's network namespace, that the parent connects itself
//   P->C {"Name":"BuiltinDial","Id":7,"Type":"tcp","IP":"127.0.0.1","Port":80}
//   C->P {"Name":"BuiltinDial","Id":7} + one socket whose connect() was started by the child
//        (the fallback when the parent cannot connect a pooled socket), or "Error"
//   P->C {"Name":"BuiltinTransparent"}
//   C->P {"Name":"BuiltinTransparent","Ready":true|false}: policy routing for IP_TRANSPARENT set
//        up in the child's network namespace (once)
//   P->C {"Name":"BuiltinChannel"} + the child end of a new channel pair: serve this channel
//        too (the parent runs one event loop per CPU, each with a channel of its own)
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rootlesskit::port::builtin {

enum class SocketType { tcp, udp };

struct SocketsMessage {
  int family = 4;  // 4 or 6
  SocketType type = SocketType::tcp;
  int count = 0;
  std::string error;  // replies only
};

struct DialMessage {
  long long id = 0;
  SocketType type = SocketType::tcp;
  std::string ip;     // requests only
  int port = 0;       // requests only
  std::string error;  // replies only
};

struct TransparentMessage {
  bool ready = false;  // replies only
};

struct ChannelMessage {};

std::string encode(const SocketsMessage& m);
std::string encode(const DialMessage& m);
std::string encode(const TransparentMessage& m);
std::string encode(const ChannelMessage& m);

// Which message a packet holds; the decoders throw Error on a malformed body.
enum class MessageKind { sockets, dial, transparent, channel, unknown };
MessageKind kind_of(std::string_view body);
SocketsMessage decode_sockets(std::string_view body);
DialMessage decode_dial(std::string_view body);
TransparentMessage decode_transparent(std::string_view body);

}  // namespace rootlesskit::port::builtin

// The private parent<->child protocol: 4-byte little-endian length + one JSON object, with
// upstream's message names. Read by the re-exec'd child and written by the parent (and back).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace rootlesskit::messages {

inline constexpr size_t max_message_size = 65536;

// P->C after network setup (upstream's ParentInitNetworkDriverCompleted). Zero values for host.
struct NetworkDriverCompleted {
  std::string dev;
  std::string ip;
  int netmask = 0;
  std::string gateway;
  std::vector<std::string> dns;
  int mtu = 0;
  std::map<std::string, std::string> opaque;
};

// P->C after the port driver's parent half started (upstream's ParentInitPortDriverCompleted).
struct PortDriverCompleted {
  std::map<std::string, std::string> opaque;
};

// Encodes/decodes one message body; `name` is the upstream Go type name ("ChildInitUserNSCompleted", ...).
std::string encode_named(const std::string& name);
std::string encode(const NetworkDriverCompleted& m);
std::string encode(const PortDriverCompleted& m);

// Decoding checks the name: wrong one -> Error `expected "X", got {...}`.
void expect_named(const std::string& body, const std::string& name);
NetworkDriverCompleted decode_network(const std::string& body);
PortDriverCompleted decode_port(const std::string& body);

// Framing. write_frame throws on I/O error or an oversized body. read_frame returns false on a
// clean EOF before the header (peer gone) and throws on a truncated frame or bad length
// (`bad message length: %d (max: %d)`, `read %d bytes, expected %d bytes`).
void write_frame(int fd, const std::string& body);
bool read_frame(int fd, std::string* body);

}  // namespace rootlesskit::messages

// The private parent<->child protocol: one JSON object per packet on the parent/child channel
// (messages/channel.h), with upstream's message names (upstream frames them with a 4-byte length
// on pipes; the protocol is private to one binary, docs/ARCHITECTURE.md). Read and written by the
// parent and the child.
#pragma once

#include <map>
#include <optional>
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

// C->P instead of the next message when the child failed: {"Name":"ChildError","Message":"..."}.
// The child's pre-exec code writes it by hand (it may not allocate); this is its one decoder.
inline constexpr const char* child_error_name = "ChildError";
std::string encode_child_error(const std::string& message);
// The message of a ChildError body; nullopt for any other message.
std::optional<std::string> decode_child_error(const std::string& body);

// One message per packet. send_message throws on I/O error or an empty or oversized body.
// receive_message returns false when the peer is gone (EOF) and throws on an I/O error; fds sent
// along (none are, in the set-up messages) are closed.
void send_message(int fd, const std::string& body);
bool receive_message(int fd, std::string* body);

}  // namespace rootlesskit::messages

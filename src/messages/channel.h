// Packets on the parent<->child channel, a SOCK_SEQPACKET unix socket pair: one message per
// packet, file descriptors riding along as SCM_RIGHTS. The builtin port driver passes sockets
// made inside the child's network namespace this way. Used by the parent and the child.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/fd.h"

namespace rootlesskit::messages {

// The most fds one packet carries (the kernel's SCM_MAX_FD is 253).
inline constexpr size_t max_fds_per_packet = 64;
// The largest packet body (the handshake's JSON messages are far smaller).
inline constexpr size_t max_packet_size = 64 * 1024;

// A connected SOCK_SEQPACKET pair, both ends O_CLOEXEC. Throws Error.
struct ChannelPair {
  Fd parent;
  Fd child;
};
ChannelPair make_channel_pair();

struct Packet {
  std::string body;
  std::vector<Fd> fds;
  // Some fds sent with the packet did not arrive: the kernel drops those the receiver has no
  // room for (EMFILE under RLIMIT_NOFILE; MSG_CTRUNC). The body is intact.
  bool fds_lost = false;
};

// Sends one packet. `flags` are send(2) flags (MSG_DONTWAIT for a caller that must not block).
// Returns false if the socket would block (MSG_DONTWAIT); throws Error on other failures.
bool send_packet(int fd, std::string_view body, const std::vector<int>& fds = {}, int flags = 0);

enum class ReceiveStatus { packet, would_block, closed };

// Receives one packet into `out` (fds are O_CLOEXEC). `closed` at EOF or when the peer is gone.
// Fds that could not be received set out.fds_lost (the channel stays usable). Throws Error for
// a truncated body or an I/O error.
ReceiveStatus receive_packet(int fd, Packet& out, int flags = 0);

}  // namespace rootlesskit::messages

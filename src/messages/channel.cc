// sendmsg/recvmsg of one SEQPACKET packet with SCM_RIGHTS.
#include "messages/channel.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace rootlesskit::messages {
namespace {

constexpr size_t control_size = CMSG_SPACE(sizeof(int) * max_fds_per_packet);

// Takes ownership of every fd in the control messages, so none leaks on any path.
void take_fds(msghdr& msg, std::vector<Fd>& out) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
      continue;
    }
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int fd = -1;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      out.emplace_back(fd);
    }
  }
}

}  // namespace

ChannelPair make_channel_pair() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
    throw errno_error("socketpair");
  }
  return ChannelPair{Fd(fds[0]), Fd(fds[1])};
}

bool send_packet(int fd, std::string_view body, const std::vector<int>& fds, int flags) {
  if (fds.size() > max_fds_per_packet) {
    throw Error("too many fds for one packet: " + std::to_string(fds.size()));
  }
  iovec iov{const_cast<char*>(body.data()), body.size()};
  alignas(cmsghdr) char control[control_size];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (!fds.empty()) {
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
  }
  while (true) {
    if (::sendmsg(fd, &msg, flags | MSG_NOSIGNAL) >= 0) {
      return true;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return false;
    }
    throw errno_error("sendmsg");
  }
}

ReceiveStatus receive_packet(int fd, Packet& out, int flags) {
  out.body.resize(max_packet_size);
  out.fds.clear();
  out.fds_lost = false;
  iovec iov{out.body.data(), out.body.size()};
  alignas(cmsghdr) char control[control_size];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  while ((n = ::recvmsg(fd, &msg, flags | MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
  }
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return ReceiveStatus::would_block;
    }
    if (errno == ECONNRESET) {
      return ReceiveStatus::closed;
    }
    throw errno_error("recvmsg");
  }
  take_fds(msg, out.fds);
  if (n == 0) {
    return ReceiveStatus::closed;  // an empty packet is never sent: EOF
  }
  if ((msg.msg_flags & MSG_TRUNC) != 0) {
    throw Error("received a truncated packet on the parent/child channel");
  }
  // The control buffer holds max_fds_per_packet fds, the most a sender may attach: a
  // truncated control part means the receiver ran out of fds, not a broken stream.
  out.fds_lost = (msg.msg_flags & MSG_CTRUNC) != 0;
  out.body.resize(static_cast<size_t>(n));
  return ReceiveStatus::packet;
}

}  // namespace rootlesskit::messages

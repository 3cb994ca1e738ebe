// Socket addresses and listeners with Go's net package semantics, as the builtin driver needs
// them: `tcp` on an unspecified address listens dual-stack, `tcp4`/`tcp6` one family, error texts
// like `listen tcp 0.0.0.0:80: bind: permission denied`. Runs in the parent (listeners) and the
// child (dialling).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <string>
#include <string_view>

#include "common/fd.h"

namespace rootlesskit::port::builtin {

class SocketAddress {
 public:
  SocketAddress() = default;
  // From an IP literal (v4 or v6, no zone) and a port; an IPv4-mapped IPv6 literal gives the
  // IPv4 address, as Go's net package has it. Throws Error `invalid IP: "x"`.
  static SocketAddress from_ip(std::string_view ip, int port);
  // From what accept()/recvfrom() filled in.
  static SocketAddress from_raw(const sockaddr_storage& storage, socklen_t length);

  int family() const { return m_storage.ss_family; }
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&m_storage); }
  socklen_t length() const { return m_length; }
  int port() const;
  // Go's net.JoinHostPort(ip, port): "127.0.0.1:80", "[::1]:80".
  std::string to_string() const;
  std::string ip_string() const;
  bool is_loopback() const;  // 127/8, ::1, and v4-mapped 127/8
  // An IPv4-mapped IPv6 address as plain IPv4 (a dual-stack listener reports v4 clients so).
  SocketAddress unmapped() const;
  // The raw bytes, usable as a map key.
  std::string key() const;
  bool operator==(const SocketAddress& other) const {
    return m_length == other.m_length && std::memcmp(&m_storage, &other.m_storage, m_length) == 0;
  }

 private:
  sockaddr_storage m_storage{};
  socklen_t m_length = 0;
};

// Listens like Go's net.Listen/ListenUDP(proto, JoinHostPort(ip, port)) with proto one of
// tcp/tcp4/tcp6/udp/udp4/udp6: `tcp`/`udp` on "" or an unspecified address is dual-stack
// ([::] with IPV6_V6ONLY off), tcp6/udp6 are v6-only. Non-blocking, O_CLOEXEC; SO_REUSEADDR
// and TCP_NODELAY (inherited by accepted sockets) for TCP. Failures come back with their errno
// (the caller explains EACCES on privileged ports) and Go's text:
// `listen tcp 0.0.0.0:80: bind: permission denied`.
struct ListenResult {
  Fd fd;
  int error = 0;           // errno of the failed step, 0 on success
  std::string error_text;  // Go-shaped text when error != 0
};
ListenResult listen_port(std::string_view proto, std::string_view ip, int port);

// The address to dial inside the child for a port (upstream's child rule, ≥2.3.2): the spec's
// child IP if set; else the parent IP unless it is empty, 0.0.0.0 or an address of the host
// itself (then 127.0.0.1). Upstream compares with the host's first non-loopback IPv4 address
// only; any address of the host's interfaces, v4 or v6, counts here.
std::string child_target_ip(std::string_view child_ip, std::string_view parent_ip);

// Go's net.JoinHostPort(host, port).
std::string join_host_port(std::string_view host, int port);

}  // namespace rootlesskit::port::builtin

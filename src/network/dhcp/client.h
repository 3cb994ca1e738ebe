// A DHCPv4 client on a kernel interface: a UDP socket bound to port 68 and to the device
// (SO_BINDTODEVICE), broadcasting to 255.255.255.255:67 before the interface has an address.
// Runs in whichever process is in the interface's network namespace and holds CAP_NET_RAW and
// CAP_NET_BIND_SERVICE there (the rootlesskit child, or its lease keeper).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/fd.h"
#include "network/dhcp/message.h"

namespace rootlesskit::network::dhcp {

class Client {
 public:
  using Clock = std::chrono::steady_clock;

  // Opens the socket on `dev` (which must exist and be up) and reads its MAC. Throws Error
  // "failed to open a DHCP socket on <dev>: <step>: <errno text>".
  explicit Client(std::string dev);

  const MacAddress& mac() const { return m_mac; }
  // The bound socket, e.g. for sending a prepared DHCPRELEASE from a signal handler.
  int fd() const { return m_socket.get(); }

  // DISCOVER -> OFFER -> REQUEST -> ACK. Each of the two exchanges is retransmitted with backoff
  // (25 ms, 50 ms, 100 ms, ... at most 4 s) until `timeout` has passed. Throws Error
  // "did not get DHCPOFFER within 30s", "got DHCPNAK ...", "did not get DHCPACK within 30s", or
  // lease_from_ack()'s texts.
  Lease acquire(std::chrono::seconds timeout);

  // Extends `current` (RFC 2131 RENEWING: ciaddr set, unicast to its server; REBINDING when
  // `broadcast` or the server is unknown). Returns the new lease, which may name another address.
  // Throws Error "got DHCPNAK ..." or "did not get DHCPACK within <timeout>".
  Lease renew(const Lease& current, bool broadcast, std::chrono::seconds timeout);

 private:
  // Sends `request` to `to` and waits for a reply of type `wanted` (or a NAK) to its xid.
  Message exchange(const Message& request, const Ipv4Address& to, MessageType wanted, std::chrono::seconds timeout);
  void send(const Message& message, const Ipv4Address& to);
  // The next well-formed DHCP message, or nullopt once `until` has passed.
  std::optional<Message> receive(Clock::time_point until);

  std::string m_dev;
  Fd m_socket;
  MacAddress m_mac{};
};

// A random transaction id (getrandom(2)).
uint32_t random_xid();

}  // namespace rootlesskit::network::dhcp

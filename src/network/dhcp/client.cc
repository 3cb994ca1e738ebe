// DHCP client over a device-bound UDP socket: exchanges with retransmission and deadlines.
#include "network/dhcp/client.h"

#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/error.h"
#include "common/log.h"

namespace rootlesskit::network::dhcp {
namespace {

constexpr Ipv4Address broadcast_address{255, 255, 255, 255};
// Retransmission starts fast: right after lxc-user-nic, the host end of the veth may drop what
// it should send us (the OFFER) until the kernel's linkwatch work activates its queue, up to a
// second after our end came up (seen in one start out of six); a local server answers within
// milliseconds, and a duplicate DISCOVER costs nothing.
constexpr auto first_backoff = std::chrono::milliseconds(25);
constexpr auto max_backoff = std::chrono::seconds(4);

void set_option(int fd, int level, int name, const void* value, socklen_t size, const char* what) {
  if (::setsockopt(fd, level, name, value, size) != 0) {
    throw errno_error(what);
  }
}

Fd open_socket(const std::string& dev) {
  Fd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) {
    throw errno_error("socket");
  }
  int on = 1;
  set_option(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on, "SO_REUSEADDR");
  set_option(fd.get(), SOL_SOCKET, SO_BROADCAST, &on, sizeof on, "SO_BROADCAST");
  // Without an address on the interface the kernel has no route for 255.255.255.255; binding
  // to the device makes it send there anyway (from 0.0.0.0) and receive only from there.
  set_option(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, dev.c_str(), static_cast<socklen_t>(dev.size()), "SO_BINDTODEVICE");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(client_port);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw errno_error("bind 0.0.0.0:68");
  }
  return fd;
}

MacAddress read_mac(int fd, const std::string& dev) {
  ifreq req{};
  std::strncpy(req.ifr_name, dev.c_str(), IFNAMSIZ - 1);
  if (::ioctl(fd, SIOCGIFHWADDR, &req) != 0) {
    throw errno_error("SIOCGIFHWADDR");
  }
  MacAddress mac{};
  std::memcpy(mac.data(), req.ifr_hwaddr.sa_data, mac.size());
  return mac;
}

std::string seconds_text(std::chrono::seconds s) { return std::to_string(s.count()) + "s"; }

}  // namespace

uint32_t random_xid() {
  uint32_t xid = 0;
  while (::getrandom(&xid, sizeof xid, 0) != static_cast<ssize_t>(sizeof xid)) {
    if (errno != EINTR) {
      throw errno_error("getrandom");
    }
  }
  return xid;
}

Client::Client(std::string dev) : m_dev(std::move(dev)) {
  try {
    m_socket = open_socket(m_dev);
    m_mac = read_mac(m_socket.get(), m_dev);
  } catch (const Error& e) {
    throw e.wrap("failed to open a DHCP socket on " + m_dev);
  }
}

void Client::send(const Message& message, const Ipv4Address& to) {
  std::vector<uint8_t> bytes = encode(message);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server_port);
  std::memcpy(&addr.sin_addr, to.data(), to.size());
  while (::sendto(m_socket.get(), bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
    if (errno != EINTR) {
      throw errno_error(fmt::format("failed to send {} on {}", to_string(*message.type()), m_dev));
    }
  }
}

std::optional<Message> Client::receive(Clock::time_point until) {
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    pollfd pfd{m_socket.get(), POLLIN, 0};
    int n = left.count() > 0 ? ::poll(&pfd, 1, static_cast<int>(left.count()) + 1) : 0;
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw errno_error("poll");
    }
    if (n == 0) {
      return std::nullopt;
    }
    uint8_t buf[1500];
    ssize_t got = ::recv(m_socket.get(), buf, sizeof buf, 0);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
      continue;
    }
    if (got < 0) {
      throw errno_error("failed to receive on " + m_dev);
    }
    try {
      return decode(buf, static_cast<size_t>(got));
    } catch (const Error& e) {
      log::debug("dhcp: ignoring a packet on {}: {}", m_dev, e.what());
    }
  }
}

Message Client::exchange(const Message& request, const Ipv4Address& to, MessageType wanted,
                         std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::chrono::milliseconds backoff = first_backoff;
  while (Clock::now() < deadline) {
    send(request, to);
    const auto resend_at = std::min(deadline, Clock::now() + backoff);
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, max_backoff);
    while (std::optional<Message> reply = receive(resend_at)) {
      if (!answers(*reply, request.xid, m_mac)) {
        continue;
      }
      if (reply->type() == MessageType::nak) {
        throw Error(
            fmt::format("got DHCPNAK from {} in reply to {}", to_string(reply->siaddr), to_string(*request.type())));
      }
      if (reply->type() == wanted) {
        log::debug("dhcp: got {} on {}", to_string(wanted), m_dev);
        return *reply;
      }
    }
  }
  throw Error("did not get " + to_string(wanted) + " within " + seconds_text(timeout));
}

Lease Client::acquire(std::chrono::seconds timeout) {
  const uint32_t xid = random_xid();
  Message offer = exchange(make_discover(xid, m_mac), broadcast_address, MessageType::offer, timeout);
  std::vector<Ipv4Address> servers = offer.addresses(option::server_id);
  if (servers.empty()) {
    throw Error("got a DHCPOFFER without a server identifier");
  }
  Message ack =
      exchange(make_request(xid, m_mac, offer.yiaddr, servers.front()), broadcast_address, MessageType::ack, timeout);
  return lease_from_ack(ack);
}

Lease Client::renew(const Lease& current, bool broadcast, std::chrono::seconds timeout) {
  broadcast = broadcast || current.server == Ipv4Address{};
  Message ack = exchange(make_renew(random_xid(), m_mac, current.ip, broadcast),
                         broadcast ? broadcast_address : current.server, MessageType::ack, timeout);
  return lease_from_ack(ack);
}

}  // namespace rootlesskit::network::dhcp

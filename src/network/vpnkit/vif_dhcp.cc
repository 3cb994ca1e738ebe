// DHCP DISCOVER/OFFER over a VPNKit vif connection.
#include "network/vpnkit/vif_dhcp.h"

#include <poll.h>

#include <cerrno>
#include <optional>

#include "common/error.h"
#include "network/dhcp/client.h"
#include "network/dhcp/frame.h"
#include "network/vpnkit/connection.h"

namespace rootlesskit::network::vpnkit {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int resend_interval_ms = 1000;

// The offered address if `frame` is an OFFER for us.
std::optional<dhcp::Ipv4Address> offered(const std::vector<uint8_t>& frame, uint32_t xid, const dhcp::MacAddress& mac) {
  auto payload = dhcp::server_payload(frame.data(), frame.size());
  if (!payload) {
    return std::nullopt;
  }
  dhcp::Message reply;
  try {
    reply = dhcp::decode(payload->data(), payload->size());
  } catch (const Error&) {
    return std::nullopt;
  }
  if (!dhcp::answers(reply, xid, mac) || reply.type() != dhcp::MessageType::offer) {
    return std::nullopt;
  }
  return reply.yiaddr;
}

bool readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  int n = 0;
  while ((n = ::poll(&p, 1, timeout_ms)) < 0 && errno == EINTR) {
  }
  if (n < 0) {
    throw errno_error("poll");
  }
  return n > 0;
}

}  // namespace

dhcp::Ipv4Address request_address(int fd, const dhcp::MacAddress& mac, std::chrono::seconds timeout) {
  const uint32_t xid = dhcp::random_xid();
  const std::vector<uint8_t> discover = dhcp::client_frame(mac, dhcp::encode(dhcp::make_discover(xid, mac)));
  const auto deadline = Clock::now() + timeout;
  std::vector<uint8_t> frame;
  while (Clock::now() < deadline) {
    write_frame(fd, discover.data(), discover.size());
    const auto resend = Clock::now() + std::chrono::milliseconds(resend_interval_ms);
    while (Clock::now() < resend) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(resend - Clock::now());
      if (!readable(fd, static_cast<int>(left.count()) + 1)) {
        break;
      }
      if (!read_frame(fd, frame)) {
        throw Error("VPNKit closed the connection");
      }
      if (auto ip = offered(frame, xid, mac)) {
        if (*ip == dhcp::Ipv4Address{}) {
          throw Error("got zero YourIPAddr");
        }
        return *ip;
      }
    }
  }
  throw Error("did not get a DHCP offer from VPNKit within " + std::to_string(timeout.count()) + "s");
}

}  // namespace rootlesskit::network::vpnkit

// SIOCSIFFLAGS on "lo": one ioctl instead of exec'ing `ip link set lo up`.
#include "network/loopback.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "common/error.h"
#include "common/fd.h"

namespace rootlesskit::network {

void bring_up_loopback() {
  Fd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock) {
    throw errno_error("failed to set up lo: socket");
  }
  ifreq req{};
  std::strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
  if (::ioctl(sock.get(), SIOCGIFFLAGS, &req) != 0) {
    throw errno_error("failed to set up lo: SIOCGIFFLAGS");
  }
  req.ifr_flags = static_cast<short>(req.ifr_flags | IFF_UP);
  if (::ioctl(sock.get(), SIOCSIFFLAGS, &req) != 0) {
    throw errno_error("failed to set up lo: SIOCSIFFLAGS");
  }
}

}  // namespace rootlesskit::network

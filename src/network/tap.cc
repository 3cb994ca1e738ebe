// TUNSETIFF/TUNSETPERSIST on /dev/net/tun.
#include "network/tap.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>

#include <cstring>

#include "common/error.h"
#include "network/netlink.h"

namespace rootlesskit::network {
namespace {

Fd attach(const std::string& ifname, const std::string& what) {
  if (ifname.empty() || ifname.size() >= IFNAMSIZ) {
    throw Error(what + ": invalid interface name " + ifname);
  }
  Fd fd(::open("/dev/net/tun", O_RDWR | O_CLOEXEC));
  if (!fd) {
    throw errno_error(what + ": open /dev/net/tun");
  }
  ifreq req{};
  std::strncpy(req.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
  req.ifr_flags = IFF_TAP | IFF_NO_PI;
  if (::ioctl(fd.get(), TUNSETIFF, &req) != 0) {
    throw errno_error(what + ": TUNSETIFF");
  }
  return fd;
}

}  // namespace

void create_persistent_tap(const std::string& ifname) {
  const std::string what = "failed to create tap " + ifname;
  Fd fd = attach(ifname, what);
  if (::ioctl(fd.get(), TUNSETPERSIST, 1) != 0) {
    throw errno_error(what + ": TUNSETPERSIST");
  }
}

void create_tap_in(const NetnsTarget& target, const std::string& ifname) {
  try {
    run_in_netns(target, [&] {
      create_persistent_tap(ifname);
      netlink::set_link_up(ifname);
    });
  } catch (const Error& e) {
    throw e.wrap("setting up tap " + ifname);
  }
}

Fd open_tap(const std::string& ifname) { return attach(ifname, "failed to open tap " + ifname); }

}  // namespace rootlesskit::network

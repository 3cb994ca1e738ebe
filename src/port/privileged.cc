// Privileged-port hint: the sysctl, argv[0] and the binary's file capabilities (libcap).
#include "port/privileged.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/capability.h>

#include <string_view>

#include "common/fd.h"
#include "common/strings.h"

namespace rootlesskit::port {

int unprivileged_port_start() {
  try {
    Fd fd(::open("/proc/sys/net/ipv4/ip_unprivileged_port_start", O_RDONLY | O_CLOEXEC));
    if (!fd) {
      return -1;
    }
    auto value = parse_int(trim_space(read_to_end(fd.get())));
    return value ? static_cast<int>(*value) : -1;
  } catch (const std::exception&) {
    return -1;
  }
}

bool binary_has_net_bind_service() {
  cap_t caps = ::cap_get_file("/proc/self/exe");
  if (caps == nullptr) {
    return false;  // ENODATA: no file capabilities at all
  }
  cap_flag_value_t permitted = CAP_CLEAR;
  ::cap_get_flag(caps, CAP_NET_BIND_SERVICE, CAP_PERMITTED, &permitted);
  ::cap_free(caps);
  return permitted == CAP_SET;
}

std::string explain_privileged_port(int port, const std::string& listen_error) {
  int start = unprivileged_port_start();
  if (start < 0 || port >= start) {
    return listen_error;  // unrelated to the sysctl
  }
  std::string text = "cannot expose privileged port " + std::to_string(port) +
                     ", you can add 'net.ipv4.ip_unprivileged_port_start=" + std::to_string(port) +
                     "' to /etc/sysctl.conf (currently " + std::to_string(start) + ")";
  // Upstream adds the capability advice only for the rootlesskit binary (it does not apply to
  // programs that embed the parent in a user namespace, like Podman); advising to set a
  // capability the binary already has would send the user the wrong way.
  if (std::string_view(program_invocation_short_name) == "rootlesskit" && !binary_has_net_bind_service()) {
    text += ", or set CAP_NET_BIND_SERVICE on rootlesskit binary";
  }
  return text + ", or choose a larger port number (>= " + std::to_string(start) + "): " + listen_error;
}

}  // namespace rootlesskit::port

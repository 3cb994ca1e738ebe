// Reads /proc/sys before the parent creates anything. Runs in the parent stage, on the host.
#include "sysctl_check.h"

#include <fstream>
#include <optional>
#include <string>

#include "rootlesskit/error.h"

namespace embed {
namespace {

struct Required {
  const char* key;
  const char* fix;  // the value that works
  const char* why;
};

// nullopt when this kernel has no such sysctl.
std::optional<long> read_sysctl(const std::string& key) {
  std::string path = "/proc/sys/" + key;
  for (char& c : path) {
    c = c == '.' ? '/' : c;
  }
  std::ifstream in(path);
  long value = 0;
  if (!(in >> value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

void check_sysctls() {
  const Required required[] = {
      {"kernel.unprivileged_userns_clone", "1", "unprivileged user namespaces are disabled"},
      {"user.max_user_namespaces", "28633", "no user namespace may be created"},
  };
  for (const Required& r : required) {
    std::optional<long> value = read_sysctl(r.key);
    if (value && *value == 0) {
      throw rootlesskit::Error(std::string(r.key) + " is 0: " + r.why + ". Run `sudo sysctl -w " + r.key + "=" + r.fix +
                               "`, and add \"" + r.key + "=" + r.fix +
                               "\" to a file in /etc/sysctl.d/ to keep it after a reboot");
    }
  }
}

}  // namespace embed

// Environment checks that only warn; none of them stops the parent.
#include "parent/preflight.h"

#include <unistd.h>

#include <sstream>

#include "common/fs.h"
#include "common/log.h"
#include "common/strings.h"

namespace rootlesskit::parent {
namespace {

std::optional<std::string> read_text(const char* path) { return read_file(path); }

void warn_about_sysctls() {
  if (auto v = read_text("/proc/sys/kernel/unprivileged_userns_clone")) {
    auto n = parse_int(trim_space(*v));
    if (!n) {
      log::warn("Failed to parse /proc/sys/kernel/unprivileged_userns_clone ({})", go_quote(*v));
    } else if (*n == 0) {
      log::warn("/proc/sys/kernel/unprivileged_userns_clone needs to be set to 1.");
    }
  }
  if (auto v = read_text("/proc/sys/user/max_user_namespaces")) {
    auto n = parse_int(trim_space(*v));
    if (!n) {
      log::warn("Failed to parse /proc/sys/user/max_user_namespaces ({})", go_quote(*v));
    } else if (*n == 0) {
      log::warn("/proc/sys/user/max_user_namespaces needs to be set to non-zero.");
    } else if (*n < 1024) {
      log::warn("/proc/sys/user/max_user_namespaces={} may be low. Consider setting to >= 1024.", *n);
    }
  }
}

}  // namespace

std::string root_propagation_fields(const std::string& mountinfo) {
  std::istringstream lines(mountinfo);
  std::string line;
  while (std::getline(lines, line)) {
    auto fields = split(line, ' ');
    // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
    if (fields.size() < 7 || fields[4] != "/") {
      continue;
    }
    std::vector<std::string> optional;
    for (size_t i = 6; i < fields.size() && fields[i] != "-"; ++i) {
      optional.push_back(fields[i]);
    }
    return join(optional, " ");
  }
  return "";
}

void warn_about_environment(const std::string& propagation) {
  if (::geteuid() == 0) {
    log::warn("Running RootlessKit as the root user is unsupported.");
  }
  warn_about_sysctls();
  if (propagation.find("private") != std::string::npos) {
    return;
  }
  auto mountinfo = read_text("/proc/self/mountinfo");
  if (!mountinfo) {
    log::warn("Failed to parse mountinfo");
    return;
  }
  std::string fields = root_propagation_fields(*mountinfo);
  if (fields.find("shared") == std::string::npos) {
    log::warn("The host root filesystem is mounted as {}. Setting child propagation to {} is not supported.",
              go_quote(fields), go_quote(propagation));
  }
}

}  // namespace rootlesskit::parent

// slirp4netns feature probe.
#include "network/slirp4netns/features.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include <cerrno>

#include "common/error.h"
#include "common/fd.h"
#include "common/process.h"
#include "common/strings.h"

namespace rootlesskit::network::slirp4netns {
namespace {

bool contains(const std::string& s, const char* needle) { return s.find(needle) != std::string::npos; }

const char* go_bool(bool b) { return b ? "true" : "false"; }

}  // namespace

Features parse_features(const std::string& help) {
  if (!contains(help, "--netns-type")) {
    // Not used by us, but its presence proves v0.4.0+ (upstream #143).
    throw Error("slirp4netns seems older than v0.4.0");
  }
  Features f;
  f.supports_enable_ipv6 = contains(help, "--enable-ipv6");
  f.supports_cidr = contains(help, "--cidr");
  f.supports_disable_host_loopback = contains(help, "--disable-host-loopback");
  f.supports_api_socket = contains(help, "--api-socket");
  f.supports_enable_sandbox = contains(help, "--enable-sandbox");
  f.supports_enable_seccomp = contains(help, "--enable-seccomp");
  return f;
}

std::optional<Features> features_from_binary(const std::string& binary) {
  Fd fd(::open(binary.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (64 << 20)) {
    return std::nullopt;
  }
  std::string content(static_cast<size_t>(st.st_size), '\0');
  content.resize(read_full(fd.get(), content.data(), content.size()));
  if (content.compare(0, 4,
                      "\x7f"
                      "ELF") != 0 ||
      !contains(content, "--netns-type")) {
    return std::nullopt;
  }
  return parse_features(content);
}

Features probe_features(const std::string& binary) {
  if (auto features = features_from_binary(binary)) {
    return *features;
  }
  RunOptions options;
  CommandResult r = run_command({binary, "--help"}, options);
  std::string output = r.out + r.err;  // Go's CombinedOutput
  if (!r.success()) {
    throw Error("command \"" + binary + " --help\" failed, make sure slirp4netns v0.4.0+ is installed: " +
                go_quote(output) + ": " + describe_wait_status(r.status));
  }
  return parse_features(output);
}

bool kernel_supports_seccomp() {
  if (::prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL) {
    return false;
  }
  return !(::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, 0, 0, 0) < 0 && errno == EINVAL);
}

std::string describe(const Features& f) {
  return std::string("&{SupportsEnableIPv6:") + go_bool(f.supports_enable_ipv6) +
         " SupportsCIDR:" + go_bool(f.supports_cidr) +
         " SupportsDisableHostLoopback:" + go_bool(f.supports_disable_host_loopback) +
         " SupportsAPISocket:" + go_bool(f.supports_api_socket) +
         " SupportsEnableSandbox:" + go_bool(f.supports_enable_sandbox) +
         " SupportsEnableSeccomp:" + go_bool(f.supports_enable_seccomp) + "}";
}

}  // namespace rootlesskit::network::slirp4netns

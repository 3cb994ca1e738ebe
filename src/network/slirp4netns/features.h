// Which optional flags the installed slirp4netns supports, from its `--help` text as upstream
// probes it, and, only when seccomp is wanted, two prctl(2) calls. Runs in the parent before
// anything is created, on every start: see probe_features() for how it stays cheap.
#pragma once

#include <optional>
#include <string>

namespace rootlesskit::network::slirp4netns {

struct Features {
  bool supports_enable_ipv6 = false;            // --enable-ipv6 (v0.2.0)
  bool supports_cidr = false;                   // --cidr (v0.3.0)
  bool supports_disable_host_loopback = false;  // --disable-host-loopback (v0.3.0)
  bool supports_api_socket = false;             // --api-socket (v0.3.0)
  bool supports_enable_sandbox = false;         // --enable-sandbox (v0.4.0)
  bool supports_enable_seccomp = false;         // --enable-seccomp (v0.4.0)
};

// Substring checks on the `--help` text. Throws Error "slirp4netns seems older than v0.4.0" when
// it lacks --netns-type (upstream #143).
Features parse_features(const std::string& help_output);

// The features of `binary` (a resolved path). Fast path: the help text is a string constant of
// the ELF binary, so the same substring checks run on the file itself (~0.1 ms instead of the
// ~2.5 ms of exec'ing it, which loads glib and libslirp). Anything else (a wrapper script, a
// binary without "--netns-type") runs `<binary> --help` as upstream does. Throws Error
// `command "<binary> --help" failed, make sure slirp4netns v0.4.0+ is installed: "<output>": <status>`.
Features probe_features(const std::string& binary);

// The fast path alone: nullopt unless `binary` is an ELF file that contains "--netns-type".
std::optional<Features> features_from_binary(const std::string& binary);

// Whether seccomp filters are available: PR_GET_SECCOMP and PR_SET_SECCOMP(SECCOMP_MODE_FILTER,
// NULL) do not fail with EINVAL (the latter fails with EFAULT when supported: nothing installed).
bool kernel_supports_seccomp();

// Debug text like upstream's `slirp4netns features &{SupportsEnableIPv6:true ...}`.
std::string describe(const Features& f);

}  // namespace rootlesskit::network::slirp4netns

// libFuzzer target: command lines, NUL-separated like the kernel's argv (program name left out),
// of the three programs: rootlesskit (parse_rootlesskit, validate_rootlesskit, then the driver
// options and -p specs derived from the flags), rootlessctl (parse_rootlessctl and its help) and
// rootlesskit-docker-proxy (parse_docker_proxy_flags, then the decisions made from its flags).
// The first byte picks the program. Only rootlesskit::Error (UsageError included) may escape, with
// a message. Build and run: scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "api/types.h"
#include "cli/docker_proxy_flags.h"
#include "cli/driver_options.h"
#include "cli/flagset.h"
#include "cli/rootlessctl_flags.h"
#include "cli/rootlesskit_flags.h"
#include "dockerproxy/decisions.h"
#include "fuzz_common.h"

namespace {

using namespace rootlesskit;
using namespace rootlesskit::cli;

// A syntax error prints "Incorrect Usage: <msg>" and the help on stdout, or exactly one bare line.
template <typename F>
bool parses(F&& f) {
  try {
    f();
    return true;
  } catch (const UsageError& e) {
    FUZZ_CHECK(e.what()[0] != '\0');
    FUZZ_CHECK(e.bare() || e.stdout_text().empty() || e.stdout_text().starts_with("Incorrect Usage: "));
    return false;
  } catch (const Error& e) {
    FUZZ_CHECK(e.what()[0] != '\0');
    return false;
  }
}

void rootlesskit_args(const std::vector<std::string>& args) {
  ParseResult result;
  if (!parses([&] { result = parse_rootlesskit(args); })) {
    return;
  }
  if (result.action != ParseResult::Action::run) {
    FUZZ_CHECK(!result.output.empty());
    return;
  }
  FUZZ_CHECK(!result.flags.command.empty());
  auto no_empty_warning = [](const std::string& warning) { FUZZ_CHECK(!warning.empty()); };
  if (!fuzz::succeeds([&] { validate_rootlesskit(result.flags, no_empty_warning); })) {
    return;
  }
  fuzz::succeeds([&] { network_selection(result.flags); });
  fuzz::succeeds([&] { port_selection(result.flags); });
  std::vector<port::Spec> specs;
  if (fuzz::succeeds([&] { specs = publish_specs(result.flags); })) {
    FUZZ_CHECK(specs.size() == result.flags.publish.size());
  }
}

void rootlessctl_args(const std::vector<std::string>& args) {
  RootlessctlArgs result;
  if (!parses([&] { result = parse_rootlessctl(args); })) {
    return;
  }
  if (result.action != RootlessctlArgs::Action::run) {
    FUZZ_CHECK(!result.output.empty());
    return;
  }
  FUZZ_CHECK(!rootlessctl_command_help(result.subcommand).empty());
}

// The answer of GET /v1/info of a slirp4netns set-up (the driver that refuses loopback).
api::Info slirp4netns_info() {
  api::Info info;
  info.network_driver = api::NetworkDriverInfo{"slirp4netns", {"10.0.2.3"}, "10.0.2.100", false};
  info.port_driver = api::PortDriverInfo{"slirp4netns", {"tcp", "tcp4", "udp", "udp4"}, true};
  return info;
}

void docker_proxy_args(const std::vector<std::string>& args) {
  dockerproxy::Options o;
  if (!parses([&] { o = parse_docker_proxy_flags(args); })) {
    return;
  }
  static const api::Info info = slirp4netns_info();
  std::string child_ip;
  if (!fuzz::succeeds([&] { child_ip = dockerproxy::choose_child_ip(info, o.host_ip); })) {
    return;
  }
  std::string proto = dockerproxy::api_proto(o.proto, o.host_ip);
  dockerproxy::unsupported_proto_warning(info, proto, o.host_ip, o.host_port);
  dockerproxy::port_spec(proto, o.host_ip, o.host_port, child_ip);
  FUZZ_CHECK(dockerproxy::real_proxy_argv(o, child_ip).front() == dockerproxy::real_proxy);
  FUZZ_CHECK(!dockerproxy::join_host_port(o.host_ip, o.host_port).empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  std::vector<std::string> args = fuzz::split_nul(fuzz::as_text(data + 1, size - 1));
  switch (data[0] % 3) {
    case 0: rootlesskit_args(args); break;
    case 1: rootlessctl_args(args); break;
    default: docker_proxy_args(args); break;
  }
  return 0;
}

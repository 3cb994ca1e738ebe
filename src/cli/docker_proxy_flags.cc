// Flag declarations of rootlesskit-docker-proxy (names, defaults and usage strings of upstream
// cmd/rootlesskit-docker-proxy/main.go, which are libnetwork docker-proxy's) and its main.
#include "cli/docker_proxy_flags.h"

#include <iostream>

#include "cli/flagset.h"
#include "cli/go_usage.h"
#include "dockerproxy/proxy.h"

namespace rootlesskit::cli {
namespace {

cli::FlagSet make_flag_set() {
  using cli::FlagKind;
  cli::FlagSet flags;
  flags.add({{"container-ip"}, FlagKind::string, "", "container ip"});
  flags.add({{"container-port"}, FlagKind::integer, "-1", "container port"});
  flags.add({{"host-ip"}, FlagKind::string, "", "host ip"});
  flags.add({{"host-port"}, FlagKind::integer, "-1", "host port"});
  flags.add({{"proto"}, FlagKind::string, "tcp", "proxy protocol"});
  return flags;
}

}  // namespace

dockerproxy::Options parse_docker_proxy_flags(const std::vector<std::string>& args) {
  cli::FlagSet flags = make_flag_set();
  flags.parse(args);
  dockerproxy::Options options;
  options.container_ip = flags.get_string("container-ip");
  options.container_port = flags.get_int("container-port");
  options.host_ip = flags.get_string("host-ip");
  options.host_port = flags.get_int("host-port");
  options.proto = flags.get_string("proto");
  return options;
}

std::string docker_proxy_usage(std::string_view program) { return cli::go_flag_usage(program, make_flag_set().defs()); }

int docker_proxy_main(const std::vector<std::string>& argv) {
  const std::string program = argv.empty() ? "rootlesskit-docker-proxy" : argv[0];
  dockerproxy::Options options;
  try {
    options = parse_docker_proxy_flags(argv.empty() ? argv : std::vector(argv.begin() + 1, argv.end()));
  } catch (const HelpRequested&) {
    std::cerr << docker_proxy_usage(program) << std::flush;
    return 0;
  } catch (const UsageError& e) {
    std::cerr << e.what() << '\n' << docker_proxy_usage(program) << std::flush;
    return 2;  // Go's flag.ExitOnError
  }
  return dockerproxy::run_proxy(options, argv.empty() ? std::vector<std::string>{program} : argv);
}

}  // namespace rootlesskit::cli

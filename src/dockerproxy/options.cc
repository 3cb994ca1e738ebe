// Flag declarations of rootlesskit-docker-proxy (names, defaults and usage strings of upstream
// cmd/rootlesskit-docker-proxy/main.go, which are libnetwork docker-proxy's).
#include "dockerproxy/options.h"

#include "cli/flagset.h"
#include "cli/go_usage.h"

namespace rootlesskit::dockerproxy {
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

Options parse_options(const std::vector<std::string>& args) {
  cli::FlagSet flags = make_flag_set();
  flags.parse(args);
  Options options;
  options.container_ip = flags.get_string("container-ip");
  options.container_port = flags.get_int("container-port");
  options.host_ip = flags.get_string("host-ip");
  options.host_port = flags.get_int("host-port");
  options.proto = flags.get_string("proto");
  return options;
}

std::string usage_text(std::string_view program) {
  return cli::go_flag_usage(program, make_flag_set().defs());
}

}  // namespace rootlesskit::dockerproxy

// rootlesskit-docker-proxy's command line: Go flag semantics, defaults, errors and usage text as
// Debian's Go build (rootlesskit 1.1.0) prints them.
#include "cli/docker_proxy_flags.h"

#include <gtest/gtest.h>

#include "cli/flagset.h"

namespace rootlesskit::cli {
namespace {

using Args = std::vector<std::string>;

std::string usage_error(const Args& args) {
  try {
    parse_docker_proxy_flags(args);
  } catch (const HelpRequested&) {
    return "(help)";
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(DockerProxyOptions, Defaults) {
  dockerproxy::Options o = parse_docker_proxy_flags({});
  EXPECT_EQ(o.container_ip, "");
  EXPECT_EQ(o.container_port, -1);
  EXPECT_EQ(o.host_ip, "");
  EXPECT_EQ(o.host_port, -1);
  EXPECT_EQ(o.proto, "tcp");
}

TEST(DockerProxyOptions, WhatDockerdPasses) {
  dockerproxy::Options o = parse_docker_proxy_flags({"-proto", "tcp", "-host-ip", "0.0.0.0", "-host-port", "8080",
                                                     "-container-ip", "172.17.0.2", "-container-port", "80"});
  EXPECT_EQ(o.proto, "tcp");
  EXPECT_EQ(o.host_ip, "0.0.0.0");
  EXPECT_EQ(o.host_port, 8080);
  EXPECT_EQ(o.container_ip, "172.17.0.2");
  EXPECT_EQ(o.container_port, 80);
}

TEST(DockerProxyOptions, DashesAndEqualsForms) {
  dockerproxy::Options o =
      parse_docker_proxy_flags({"--proto=udp", "--host-ip", "::", "-host-port=0x50", "-container-port", "-5"});
  EXPECT_EQ(o.proto, "udp");
  EXPECT_EQ(o.host_ip, "::");
  EXPECT_EQ(o.host_port, 80);  // Go's ParseInt(s, 0, 64) takes base prefixes
  EXPECT_EQ(o.container_port, -5);
}

TEST(DockerProxyOptions, LastValueWinsAndFirstNonFlagStops) {
  dockerproxy::Options o = parse_docker_proxy_flags({"-host-port", "1", "-host-port", "2", "extra", "-bogus"});
  EXPECT_EQ(o.host_port, 2);
  o = parse_docker_proxy_flags({"--", "-host-port", "3"});
  EXPECT_EQ(o.host_port, -1);
}

TEST(DockerProxyOptions, GoErrorTexts) {
  EXPECT_EQ(usage_error({"-x"}), "flag provided but not defined: -x");
  EXPECT_EQ(usage_error({"--bogus=1"}), "flag provided but not defined: -bogus");
  EXPECT_EQ(usage_error({"-container-port", "abc"}), "invalid value \"abc\" for flag -container-port: parse error");
  EXPECT_EQ(usage_error({"-host-port=99999999999999999999"}),
            "invalid value \"99999999999999999999\" for flag -host-port: value out of range");
  EXPECT_EQ(usage_error({"-proto"}), "flag needs an argument: -proto");
  EXPECT_EQ(usage_error({"---x"}), "bad flag syntax: ---x");
}

TEST(DockerProxyOptions, HelpFlagsAreGoErrHelp) {
  EXPECT_EQ(usage_error({"-h"}), "(help)");
  EXPECT_EQ(usage_error({"--help"}), "(help)");
  EXPECT_EQ(usage_error({"-help=whatever"}), "(help)");
  // Go stops at the first problem: -h after a bad flag is never seen.
  EXPECT_EQ(usage_error({"-x", "-h"}), "flag provided but not defined: -x");
}

TEST(DockerProxyOptions, UsageTextMatchesGoFlag) {
  EXPECT_EQ(docker_proxy_usage("/usr/bin/rootlesskit-docker-proxy"),
            "Usage of /usr/bin/rootlesskit-docker-proxy:\n"
            "  -container-ip string\n"
            "    \tcontainer ip\n"
            "  -container-port int\n"
            "    \tcontainer port (default -1)\n"
            "  -host-ip string\n"
            "    \thost ip\n"
            "  -host-port int\n"
            "    \thost port (default -1)\n"
            "  -proto string\n"
            "    \tproxy protocol (default \"tcp\")\n");
}

}  // namespace
}  // namespace rootlesskit::cli

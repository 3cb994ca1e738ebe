// urfave/cli v2 help layout: flag strings, category blocks, tabwriter padding, and the full
// rootlesskit --help (v3 texts) checked line by line.
#include "cli/help_format.h"

#include <gtest/gtest.h>

#include "cli/rootlesskit_flags.h"
#include "common/strings.h"
#include "network/lxc_user_nic/options.h"

namespace rootlesskit::cli {
namespace {

FlagDef def(const char* name, FlagKind kind, const char* dflt, const char* usage, const char* category = "") {
  return FlagDef{{name}, kind, dflt, usage, category, false};
}

TEST(HelpFormat, FlagStrings) {
  EXPECT_EQ(flag_help_string(def("debug", FlagKind::boolean, "false", "debug mode")),
            "--debug\tdebug mode (default: false)");
  EXPECT_EQ(flag_help_string(def("x", FlagKind::boolean, "true", "on")), "-x\ton (default: true)");
  EXPECT_EQ(flag_help_string(help_flag_def()), "--help, -h\tshow help");
  EXPECT_EQ(flag_help_string(version_flag_def()), "--version, -v\tprint the version");
  EXPECT_EQ(flag_help_string(def("net", FlagKind::string, "host", "network")),
            "--net value\tnetwork (default: \"host\")");
  EXPECT_EQ(flag_help_string(def("state-dir", FlagKind::string, "", "state directory")),
            "--state-dir value\tstate directory");
  EXPECT_EQ(flag_help_string(def("mtu", FlagKind::integer, "0", "MTU")), "--mtu value\tMTU (default: 0)");
  EXPECT_EQ(flag_help_string(FlagDef{{"publish", "p"}, FlagKind::string_slice, "", "publish", "", false}),
            "--publish value, -p value [ --publish value, -p value ]\tpublish");
  // The usage is trimmed only at its ends: an inner trailing space stays visible.
  EXPECT_EQ(flag_help_string(def("detach-netns", FlagKind::boolean, "false", "detach ")),
            "--detach-netns\tdetach  (default: false)");
  EXPECT_EQ(flag_help_string(def("e", FlagKind::string, "", "  ")), "-e value\t");
  // A `quoted` word becomes the placeholder.
  EXPECT_EQ(flag_help_string(def("config", FlagKind::string, "", "load `FILE` first")),
            "--config FILE\tload FILE first");
  // Defaults are Go-quoted.
  EXPECT_EQ(flag_help_string(def("q", FlagKind::string, "a\"b", "q")), "-q value\tq (default: \"a\\\"b\")");
}

TEST(HelpFormat, CategoriesSortedByByteOrder) {
  std::vector<FlagDef> defs = {
      def("b", FlagKind::boolean, "false", "B", "Network [vpnkit]"),
      def("a", FlagKind::boolean, "false", "A", "Network"),
      def("c", FlagKind::boolean, "false", "C", "Misc"),
      def("d", FlagKind::boolean, "false", "D", "Network"),
      def("e", FlagKind::boolean, "false", "E", ""),
      def("f", FlagKind::boolean, "false", "F", "SubID"),
      def("g", FlagKind::boolean, "false", "G", "State"),
  };
  EXPECT_EQ(format_categorized_flags(defs),
            "  (Uncategorized):\t\n    -e\tE (default: false)\n  \t\n"
            "  Misc:\t\n    -c\tC (default: false)\n  \t\n"
            "  Network:\t\n    -a\tA (default: false)\n    -d\tD (default: false)\n  \t\n"
            "  Network [vpnkit]:\t\n    -b\tB (default: false)\n  \t\n"
            "  State:\t\n    -g\tG (default: false)\n  \t\n"
            "  SubID:\t\n    -f\tF (default: false)\n  \t\n");
}

TEST(HelpFormat, IndentAndTrim) { EXPECT_EQ(indent_and_trim("a\n\nb\n  c\n", 3), "a\n   \n   b\n     c"); }

// Layout mechanics against Debian's rootlesskit 1.1.0 --help (old urfave: --help/--version show
// their default, slices have no suffix); a subset of its flags keeps the same column width.
TEST(HelpFormat, MatchesDebianLayout) {
  FlagDef help = help_flag_def("Misc");
  help.hide_default = false;
  FlagDef version = version_flag_def("Misc");
  version.hide_default = false;
  std::vector<FlagDef> defs = {
      def("debug", FlagKind::boolean, "false", "debug mode", "Misc"),
      def("copy-up-mode", FlagKind::string, "tmpfs+symlink", "copy-up mode [tmpfs+symlink]", "Mount"),
      def("lxc-user-nic-binary", FlagKind::string, "", "path of lxc-user-nic binary for --net=lxc-user-nic",
          "Network [lxc-user-nic]"),
      def("lxc-user-nic-bridge", FlagKind::string, "lxcbr0", "lxc-user-nic bridge name", "Network [lxc-user-nic]"),
      FlagDef{{"publish", "p"}, FlagKind::string, "", "publish ports. e.g. \"127.0.0.1:8080:80/tcp\"", "Port", false},
      def("mtu", FlagKind::integer, "0", "MTU for non-host network (default: 65520 for slirp4netns, 1500 for others)",
          "Network"),
      help,
      version,
  };
  const std::string expected =
      "OPTIONS:\n"
      "  Misc:                          \n"
      "    --debug                      debug mode (default: false)\n"
      "    --help, -h                   show help (default: false)\n"
      "    --version, -v                print the version (default: false)\n"
      "                                 \n"
      "  Mount:                         \n"
      "    --copy-up-mode value         copy-up mode [tmpfs+symlink] (default: \"tmpfs+symlink\")\n"
      "                                 \n"
      "  Network:                       \n"
      "    --mtu value                  MTU for non-host network (default: 65520 for slirp4netns, "
      "1500 for others) (default: 0)\n"
      "                                 \n"
      "  Network [lxc-user-nic]:        \n"
      "    --lxc-user-nic-binary value  path of lxc-user-nic binary for --net=lxc-user-nic\n"
      "    --lxc-user-nic-bridge value  lxc-user-nic bridge name (default: \"lxcbr0\")\n"
      "                                 \n"
      "  Port:                          \n"
      "    --publish value, -p value    publish ports. e.g. \"127.0.0.1:8080:80/tcp\"\n"
      "                                 \n";
  EXPECT_EQ(render_help("OPTIONS:\n" + format_categorized_flags(defs)), expected);
}

std::vector<std::string> help_lines() { return split(rootlesskit_help(), '\n'); }

TEST(RootlesskitHelp, Header) {
  const auto lines = help_lines();
  ASSERT_GT(lines.size(), 40u);
  const std::vector<std::string> head = {
      "NAME:",
      "   rootlesskit - Linux-native fakeroot using user namespaces",
      "",
      "USAGE:",
      "   rootlesskit [global options] [arguments...]",
      "",
      "VERSION:",
      "   " ROOTLESSKIT_VERSION,
      "",
      "DESCRIPTION:",
      "   RootlessKit is a Linux-native implementation of \"fake root\" using user_namespaces(7).",
      "   ",
      "   Web site: https://github.com/rootless-containers/rootlesskit",
      "   ",
      "   Examples:",
      "     # spawn a shell with a new user namespace and a mount namespace",
      "     rootlesskit bash",
  };
  for (size_t i = 0; i < head.size(); ++i) {
    EXPECT_EQ(lines[i], head[i]) << i;
  }
  const std::string text = rootlesskit_help();
  EXPECT_NE(text.find("   Note: RootlessKit requires /etc/subuid and /etc/subgid to be configured by "
                      "the real root user.\n"
                      "   See https://rootlesscontaine.rs/getting-started/common/ .\n\nOPTIONS:\n"),
            std::string::npos);
}

TEST(RootlesskitHelp, CategoriesInByteOrderWithPaddedHeaders) {
  // The widest flag column is "    --publish value, -p value [ --publish value, -p value ]" (59),
  // so every cell of the block is padded to 61.
  const size_t width = 61;
  std::vector<std::string> categories;
  const auto lines = help_lines();
  for (const auto& line : lines) {
    if (line.size() > 2 && line[2] != ' ' && line.rfind("  ", 0) == 0) {
      categories.push_back(std::string(trim_space(line)));
      EXPECT_EQ(line.size(), width) << line;
    }
  }
  EXPECT_EQ(categories, (std::vector<std::string>{
                            "Misc:", "Mount:", "Network:", "Network [lxc-user-nic]:", "Network [pasta]:",
                            "Network [slirp4netns]:", "Network [vpnkit]:", "Port:", "Process:", "State:", "SubID:"}));
  // Each category ends with a line of padding only; the text ends with one.
  EXPECT_EQ(lines[lines.size() - 2], std::string(width, ' '));
  EXPECT_EQ(lines.back(), "");
}

TEST(RootlesskitHelp, FlagLines) {
  const std::string text = rootlesskit_help();
  auto line = [](const std::string& flag, const std::string& usage) {
    return "\n    " + flag + std::string(57 - flag.size(), ' ') + usage + "\n";
  };
  const std::vector<std::string> expected = {
      "\n  Misc:" + std::string(54, ' ') + "\n" + "    --debug" + std::string(50, ' ') +
          "debug mode (default: false)\n",
      line("--print-semver value", "print a version component as a decimal integer [major, minor, patch]"),
      line("--help, -h", "show help") + "    --version, -v" + std::string(44, ' ') + "print the version\n" +
          std::string(61, ' ') + "\n  Mount:",
      line("--copy-up value [ --copy-up value ]",
           "mount a filesystem and copy-up the contents. e.g. \"--copy-up=/etc\" (typically "
           "required for non-host network)"),
      line("--net value",
           "network driver [host, none, pasta(experimental), slirp4netns, vpnkit, "
           "lxc-user-nic(experimental), gvisor-tap-vsock(experimental), vdeplug_slirp] (default: "
           "\"host\")"),
      line("--mtu value",
           "MTU for non-host network (default: 65520 for pasta and slirp4netns, 1500 for others) "
           "(default: 0)"),
      line("--detach-netns", "detach network namespaces  (default: false)") + std::string(61, ' ') +
          "\n  Network [lxc-user-nic]:",
      line("--port-driver value",
           "port driver for non-host network. [none, implicit (for pasta), builtin, slirp4netns, "
           "gvisor-tap-vsock(experimental), socat] (default: \"none\")"),
      line("--publish value, -p value [ --publish value, -p value ]", "publish ports. e.g. \"127.0.0.1:8080:80/tcp\""),
      line("--source-ip-transparent",
           "preserve real client source IP using IP_TRANSPARENT (builtin port driver, TCP only) "
           "(default: true)"),
      line("--reaper value", "enable process reaper. Requires --pidns. [auto,true,false] (default: \"auto\")"),
      line("--evacuate-cgroup2 value",
           "evacuate processes into the specified subgroup. Requires --pidns and --cgroupns"),
      line("--state-dir value", "state directory"),
      line("--subid-source value",
           "the source of the subids. \"dynamic\" executes /usr/bin/getsubids. \"static\" reads "
           "/etc/{subuid,subgid}. [auto,dynamic,static] (default: \"auto\")"),
      line("--slirp4netns-sandbox value",
           "enable slirp4netns sandbox (experimental) [auto, true, false] (the default is planned "
           "to be \"auto\" in future) (default: \"false\")"),
  };
  for (const auto& want : expected) {
    EXPECT_NE(text.find(want), std::string::npos) << want;
  }
  const std::string lxc = network::lxc_user_nic::default_binary();
  EXPECT_NE(text.find(line("--lxc-user-nic-binary value", "path of lxc-user-nic binary for --net=lxc-user-nic" +
                                                              (lxc.empty() ? "" : " (default: \"" + lxc + "\")"))),
            std::string::npos);
}

}  // namespace
}  // namespace rootlesskit::cli

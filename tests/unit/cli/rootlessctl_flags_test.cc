// rootlessctl argv parsing, help routing and help texts (urfave/cli v2.27 layout).
#include "cli/rootlessctl_flags.h"

#include <gtest/gtest.h>

#include "cli/flagset.h"

namespace rootlesskit::cli {
namespace {

using Args = std::vector<std::string>;
using Action = RootlessctlArgs::Action;

constexpr const char* app_help =
    "NAME:\n"
    "   rootlessctl - RootlessKit API client\n"
    "\n"
    "USAGE:\n"
    "   rootlessctl [global options] command [command options]\n"
    "\n"
    "VERSION:\n"
    "   " ROOTLESSKIT_VERSION
    "\n"
    "\n"
    "COMMANDS:\n"
    "   list-ports    List ports\n"
    "   add-ports     Add ports\n"
    "   remove-ports  Remove ports\n"
    "   info          Show info\n"
    "   help, h       Shows a list of commands or help for one command\n"
    "\n"
    "GLOBAL OPTIONS:\n"
    "   --debug         debug mode (default: false)\n"
    "   --socket value  Path to api.sock (under the \"rootlesskit --state-dir\" directory), "
    "defaults to $ROOTLESSKIT_STATE_DIR/api.sock\n"
    "   --help, -h      show help\n"
    "   --version, -v   print the version\n";

constexpr const char* add_ports_help =
    "NAME:\n"
    "   rootlessctl add-ports - Add ports\n"
    "\n"
    "USAGE:\n"
    "   rootlessctl add-ports [command options] [flags] PARENTIP:PARENTPORT:CHILDPORT/PROTO "
    "[PARENTIP:PARENTPORT:CHILDPORT/PROTO...]\n"
    "\n"
    "DESCRIPTION:\n"
    "   Add exposed ports. The port spec is similar to `docker run -p`. e.g. "
    "\"127.0.0.1:8080:80/tcp\".\n"
    "\n"
    "OPTIONS:\n"
    "   --json      Prints as JSON (default: false)\n"
    "   --help, -h  show help\n";

constexpr const char* remove_ports_help =
    "NAME:\n"
    "   rootlessctl remove-ports - Remove ports\n"
    "\n"
    "USAGE:\n"
    "   rootlessctl remove-ports [command options] [flags] ID [ID...]\n"
    "\n"
    "OPTIONS:\n"
    "   --help, -h  show help\n";

TEST(RootlessctlFlags, HelpTexts) {
  EXPECT_EQ(rootlessctl_help(), app_help);
  EXPECT_EQ(rootlessctl_command_help("add-ports"), add_ports_help);
  EXPECT_EQ(rootlessctl_command_help("remove-ports"), remove_ports_help);
  EXPECT_EQ(rootlessctl_command_help("list-ports"),
            "NAME:\n   rootlessctl list-ports - List ports\n\nUSAGE:\n"
            "   rootlessctl list-ports [command options] [flags]\n\nOPTIONS:\n"
            "   --json      Prints as JSON (default: false)\n   --help, -h  show help\n");
  EXPECT_EQ(rootlessctl_command_help("info"),
            "NAME:\n   rootlessctl info - Show info\n\nUSAGE:\n"
            "   rootlessctl info [command options] [flags]\n\nOPTIONS:\n"
            "   --json      Prints as JSON (default: false)\n   --help, -h  show help\n");
  EXPECT_EQ(rootlessctl_command_help("h"),
            "NAME:\n   rootlessctl help - Shows a list of commands or help for one command\n\n"
            "USAGE:\n   rootlessctl help [command options] [command]\n\nOPTIONS:\n"
            "   --help, -h  show help\n");
}

TEST(RootlessctlFlags, Subcommands) {
  RootlessctlArgs r = parse_rootlessctl({"list-ports"});
  EXPECT_EQ(r.action, Action::run);
  EXPECT_EQ(r.subcommand, "list-ports");
  EXPECT_FALSE(r.json);
  EXPECT_FALSE(r.debug);
  EXPECT_EQ(r.socket, "");
  EXPECT_TRUE(r.args.empty());
  EXPECT_TRUE(r.output.empty());

  r = parse_rootlessctl({"--debug", "--socket", "/s/api.sock", "info", "--json"});
  EXPECT_TRUE(r.debug);
  EXPECT_EQ(r.socket, "/s/api.sock");
  EXPECT_EQ(r.subcommand, "info");
  EXPECT_TRUE(r.json);

  r = parse_rootlessctl({"-socket=/x", "add-ports", "-json", "127.0.0.1:8080:80/tcp", "8081:81/udp"});
  EXPECT_EQ(r.socket, "/x");
  EXPECT_EQ(r.subcommand, "add-ports");
  EXPECT_TRUE(r.json);
  EXPECT_EQ(r.args, (Args{"127.0.0.1:8080:80/tcp", "8081:81/udp"}));

  r = parse_rootlessctl({"remove-ports", "1", "2"});
  EXPECT_EQ(r.subcommand, "remove-ports");
  EXPECT_EQ(r.args, (Args{"1", "2"}));
}

TEST(RootlessctlFlags, CommandFlagsAfterArgumentsAreAccepted) {
  RootlessctlArgs r = parse_rootlessctl({"add-ports", "127.0.0.1:8080:80/tcp", "--json", "x"});
  EXPECT_TRUE(r.json);
  EXPECT_EQ(r.args, (Args{"127.0.0.1:8080:80/tcp", "x"}));
  r = parse_rootlessctl({"add-ports", "--", "--json"});
  EXPECT_FALSE(r.json);
  EXPECT_EQ(r.args, Args{"--json"});
  r = parse_rootlessctl({"list-ports", "--json=false"});
  EXPECT_FALSE(r.json);
}

TEST(RootlessctlFlags, HelpRouting) {
  const std::vector<std::pair<Args, std::string>> cases = {
      {{}, app_help},
      {{"--help"}, app_help},
      {{"-h"}, app_help},
      {{"help"}, app_help},
      {{"h"}, app_help},
      {{""}, app_help},
      {{"help", ""}, app_help},
      {{"help", "--help"}, app_help},
      {{"--debug", "--help", "--version"}, app_help},
      {{"help", "add-ports"}, add_ports_help},
      {{"h", "add-ports", "x"}, add_ports_help},
      {{"--help", "add-ports"}, add_ports_help},
      {{"add-ports", "--help"}, add_ports_help},
      {{"add-ports", "-h", "--json"}, add_ports_help},
      {{"add-ports", "127.0.0.1:8080:80/tcp", "-h"}, add_ports_help},
      {{"add-ports", "help"}, add_ports_help},
      {{"remove-ports", "h"}, remove_ports_help},
  };
  for (const auto& [args, help] : cases) {
    RootlessctlArgs r = parse_rootlessctl(args);
    EXPECT_EQ(r.action, Action::help) << testing::PrintToString(args);
    EXPECT_EQ(r.output, help) << testing::PrintToString(args);
  }
}

TEST(RootlessctlFlags, Version) {
  for (const Args& args : {Args{"--version"}, Args{"-v"}, Args{"-v", "info"}}) {
    RootlessctlArgs r = parse_rootlessctl(args);
    EXPECT_EQ(r.action, Action::version);
    EXPECT_EQ(r.output, "rootlessctl version " ROOTLESSKIT_VERSION "\n");
  }
}

TEST(RootlessctlFlags, UnknownTopicExitsThree) {
  for (const Args& args : {Args{"bogus"}, Args{"--help", "bogus"}, Args{"help", "bogus"},
                           Args{"--debug", "bogus", "--json"}, Args{"info", "help", "bogus"}}) {
    try {
      parse_rootlessctl(args);
      FAIL() << testing::PrintToString(args);
    } catch (const UsageError& e) {
      EXPECT_EQ(e.exit_code(), 3);
      EXPECT_TRUE(e.bare());
      EXPECT_EQ(e.stdout_text(), "");
      EXPECT_STREQ(e.what(), "No help topic for 'bogus'");
    }
  }
}

TEST(RootlessctlFlags, UsageErrors) {
  struct Case {
    Args args;
    std::string message;
    std::string help;
  };
  const std::vector<Case> cases = {
      {{"--bogus", "info"}, "flag provided but not defined: -bogus", app_help},
      {{"--socket"}, "flag needs an argument: -socket", app_help},
      {{"--debug=x"}, "invalid boolean value \"x\" for -debug: parse error", app_help},
      // Global flags after the subcommand are an error, as upstream.
      {{"info", "--socket", "x"}, "flag provided but not defined: -socket", rootlessctl_command_help("info")},
      {{"remove-ports", "--json", "1"}, "flag provided but not defined: -json", remove_ports_help},
      {{"add-ports", "1:2/tcp", "--bogus"}, "flag provided but not defined: -bogus", add_ports_help},
      {{"help", "--json"}, "flag provided but not defined: -json", rootlessctl_command_help("help")},
  };
  for (const auto& c : cases) {
    try {
      parse_rootlessctl(c.args);
      FAIL() << c.message;
    } catch (const UsageError& e) {
      EXPECT_EQ(e.what(), c.message);
      EXPECT_EQ(e.exit_code(), 1);
      EXPECT_FALSE(e.bare());
      EXPECT_EQ(e.stdout_text(), "Incorrect Usage: " + c.message + "\n\n" + c.help);
    }
  }
}

}  // namespace
}  // namespace rootlesskit::cli

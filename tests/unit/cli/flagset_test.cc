// Go flag / urfave v2 parsing semantics of the generic FlagSet.
#include "cli/flagset.h"

#include <gtest/gtest.h>

namespace rootlesskit::cli {
namespace {

using Args = std::vector<std::string>;

FlagSet sample() {
  FlagSet fs;
  fs.add(FlagDef{{"debug"}, FlagKind::boolean, "false", "debug mode", "Misc", false});
  fs.add(FlagDef{{"transparent"}, FlagKind::boolean, "true", "on by default", "", false});
  fs.add(FlagDef{{"net"}, FlagKind::string, "host", "network", "", false});
  fs.add(FlagDef{{"mtu"}, FlagKind::integer, "0", "mtu", "", false});
  fs.add(FlagDef{{"publish", "p"}, FlagKind::string_slice, "", "publish", "", false});
  fs.add(help_flag_def());
  return fs;
}

std::string usage_error(const Args& args, bool interspersed = false) {
  FlagSet fs = sample();
  try {
    fs.parse(args, interspersed);
  } catch (const UsageError& e) {
    EXPECT_EQ(e.exit_code(), 1);
    EXPECT_FALSE(e.bare());
    return e.what();
  }
  return "(no error)";
}

TEST(FlagSet, Defaults) {
  FlagSet fs = sample();
  EXPECT_TRUE(fs.parse({}).empty());
  EXPECT_FALSE(fs.get_bool("debug"));
  EXPECT_TRUE(fs.get_bool("transparent"));
  EXPECT_EQ(fs.get_string("net"), "host");
  EXPECT_EQ(fs.get_int("mtu"), 0);
  EXPECT_TRUE(fs.get_slice("p").empty());
  EXPECT_FALSE(fs.is_set("debug"));
}

TEST(FlagSet, OneOrTwoDashesAndBothValueForms) {
  for (const Args& args : {Args{"--net=slirp4netns", "-mtu", "1500"}, Args{"-net", "slirp4netns", "--mtu=1500"},
                           Args{"--net", "slirp4netns", "-mtu=1500"}}) {
    FlagSet fs = sample();
    EXPECT_TRUE(fs.parse(args).empty());
    EXPECT_EQ(fs.get_string("net"), "slirp4netns");
    EXPECT_EQ(fs.get_int("mtu"), 1500);
  }
}

TEST(FlagSet, ValueMayStartWithDashOrBeEmpty) {
  FlagSet fs = sample();
  fs.parse({"--net", "--debug", "--mtu", "-5"});
  EXPECT_EQ(fs.get_string("net"), "--debug");
  EXPECT_FALSE(fs.get_bool("debug"));
  EXPECT_EQ(fs.get_int("mtu"), -5);
  fs.parse({"--net="});
  EXPECT_EQ(fs.get_string("net"), "");
}

TEST(FlagSet, BoolForms) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"--debug", true},        {"-debug", true},         {"--debug=true", true}, {"--debug=1", true},
      {"--debug=t", true},      {"--debug=T", true},      {"--debug=TRUE", true}, {"--debug=True", true},
      {"--debug=false", false}, {"--debug=0", false},     {"--debug=f", false},   {"--debug=F", false},
      {"--debug=FALSE", false}, {"--debug=False", false}, {"-debug=0", false},
  };
  for (const auto& [arg, want] : cases) {
    FlagSet fs = sample();
    fs.parse({arg});
    EXPECT_EQ(fs.get_bool("debug"), want) << arg;
    EXPECT_TRUE(fs.is_set("debug")) << arg;
  }
  FlagSet fs = sample();
  fs.parse({"--transparent=false"});
  EXPECT_FALSE(fs.get_bool("transparent"));
}

TEST(FlagSet, BoolDoesNotTakeTheNextArgument) {
  FlagSet fs = sample();
  EXPECT_EQ(fs.parse({"--debug", "false", "--net=x"}), (Args{"false", "--net=x"}));
  EXPECT_TRUE(fs.get_bool("debug"));
  EXPECT_EQ(fs.get_string("net"), "host");
}

TEST(FlagSet, FirstNonFlagStopsParsing) {
  FlagSet fs = sample();
  EXPECT_EQ(fs.parse({"--debug", "sh", "-c", "x", "--net=foo"}), (Args{"sh", "-c", "x", "--net=foo"}));
  EXPECT_EQ(fs.get_string("net"), "host");
  // A lone "-" is an argument too.
  EXPECT_EQ(fs.parse({"-", "--debug"}), (Args{"-", "--debug"}));
}

TEST(FlagSet, DoubleDashEndsFlagsAndIsDropped) {
  FlagSet fs = sample();
  EXPECT_EQ(fs.parse({"--debug", "--", "ls", "-l"}), (Args{"ls", "-l"}));
  EXPECT_EQ(fs.parse({"--", "--", "x"}), (Args{"--", "x"}));
  EXPECT_EQ(fs.parse({"--"}), Args{});
  EXPECT_EQ(fs.parse({"x", "--", "y"}), (Args{"x", "--", "y"}));
}

TEST(FlagSet, ScalarLastWins) {
  FlagSet fs = sample();
  fs.parse({"--net=a", "--net", "b", "-mtu=1", "--mtu=2"});
  EXPECT_EQ(fs.get_string("net"), "b");
  EXPECT_EQ(fs.get_int("mtu"), 2);
}

TEST(FlagSet, SlicesAccumulateAndSplitOnCommas) {
  FlagSet fs = sample();
  fs.parse({"-p", "a", "--publish=b, c ,d", "--p", " e", "-publish", "f,"});
  EXPECT_EQ(fs.get_slice("publish"), (Args{"a", "b", "c", "d", "e", "f", ""}));
  EXPECT_EQ(fs.get_slice("p"), fs.get_slice("publish"));
  EXPECT_TRUE(fs.is_set("p"));
}

TEST(FlagSet, MixingAliasSpellingsIsAccepted) {
  // Upstream: "Cannot use two forms of the same flag: p publish"; we accept (docs/compatibility.md,
  // Command line).
  FlagSet fs = sample();
  fs.parse({"-p", "x", "--publish", "y"});
  EXPECT_EQ(fs.get_slice("publish"), (Args{"x", "y"}));
}

TEST(FlagSet, Interspersed) {
  FlagSet fs = sample();
  EXPECT_EQ(fs.parse({"a", "--debug", "b", "--", "--mtu=1"}, true), (Args{"a", "b", "--mtu=1"}));
  EXPECT_TRUE(fs.get_bool("debug"));
  EXPECT_EQ(fs.get_int("mtu"), 0);
}

TEST(FlagSet, IntSyntaxLikeGo) {
  const std::vector<std::pair<std::string, long long>> cases = {
      {"0", 0},
      {"+7", 7},
      {"-7", -7},
      {"0x10", 16},
      {"0X1f", 31},
      {"010", 8},
      {"0o17", 15},
      {"0b101", 5},
      {"1_000", 1000},
      {"0x_1F", 31},
      {"9223372036854775807", 9223372036854775807LL},
  };
  for (const auto& [text, want] : cases) {
    FlagSet fs = sample();
    fs.parse({"--mtu=" + text});
    EXPECT_EQ(fs.get_int("mtu"), want) << text;
  }
}

TEST(FlagSet, Errors) {
  EXPECT_EQ(usage_error({"--mtu"}), "flag needs an argument: -mtu");
  EXPECT_EQ(usage_error({"-mtu"}), "flag needs an argument: -mtu");
  EXPECT_EQ(usage_error({"--debug=yes"}), "invalid boolean value \"yes\" for -debug: parse error");
  EXPECT_EQ(usage_error({"--debug="}), "invalid boolean value \"\" for -debug: parse error");
  EXPECT_EQ(usage_error({"--mtu=abc"}), "invalid value \"abc\" for flag -mtu: parse error");
  EXPECT_EQ(usage_error({"--mtu", ""}), "invalid value \"\" for flag -mtu: parse error");
  EXPECT_EQ(usage_error({"--mtu=1__0"}), "invalid value \"1__0\" for flag -mtu: parse error");
  EXPECT_EQ(usage_error({"--mtu=_1"}), "invalid value \"_1\" for flag -mtu: parse error");
  EXPECT_EQ(usage_error({"--mtu=08"}), "invalid value \"08\" for flag -mtu: parse error");
  EXPECT_EQ(usage_error({"--mtu=1.5"}), "invalid value \"1.5\" for flag -mtu: parse error");
  EXPECT_EQ(usage_error({"--mtu=9223372036854775808"}),
            "invalid value \"9223372036854775808\" for flag -mtu: value out of range");
  EXPECT_EQ(usage_error({"--mtu=-99999999999999999999"}),
            "invalid value \"-99999999999999999999\" for flag -mtu: value out of range");
  EXPECT_EQ(usage_error({"--foo"}), "flag provided but not defined: -foo");
  EXPECT_EQ(usage_error({"-foo=bar"}), "flag provided but not defined: -foo");
  EXPECT_EQ(usage_error({"---debug"}), "bad flag syntax: ---debug");
  EXPECT_EQ(usage_error({"-=x"}), "bad flag syntax: -=x");
  EXPECT_EQ(usage_error({"x", "--foo"}, true), "flag provided but not defined: -foo");
  EXPECT_EQ(usage_error({"--debug", "x", "--foo"}), "(no error)");
}

TEST(FlagSet, GoIntParser) {
  bool range = false;
  EXPECT_EQ(parse_go_int("-9223372036854775808", &range), std::numeric_limits<long long>::min());
  EXPECT_FALSE(parse_go_int("-9223372036854775809", &range));
  EXPECT_TRUE(range);
  EXPECT_FALSE(parse_go_int("-", &range));
  EXPECT_FALSE(range);
  EXPECT_FALSE(parse_go_int("0x", &range));
  EXPECT_FALSE(parse_go_int("1_", &range));
  EXPECT_EQ(parse_go_int("0_7", &range), 7);
}

TEST(FlagSet, RedefinitionIsAProgrammingError) {
  FlagSet fs = sample();
  EXPECT_THROW(fs.add(FlagDef{{"x", "p"}, FlagKind::boolean, "false", "", "", false}), std::logic_error);
  EXPECT_THROW(fs.get_bool("net"), std::logic_error);
  EXPECT_THROW(fs.get_string("nope"), std::logic_error);
}

}  // namespace
}  // namespace rootlesskit::cli

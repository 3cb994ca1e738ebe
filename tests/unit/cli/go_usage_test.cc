// Go flag.PrintDefaults layout: sorting, one-letter bools, back-quoted value names, defaults.
#include "cli/go_usage.h"

#include <gtest/gtest.h>

namespace rootlesskit::cli {
namespace {

TEST(GoUsage, LayoutLikeGoFlag) {
  std::vector<FlagDef> defs = {
      {{"zeta"}, FlagKind::string, "", "a `path` to use"},
      {{"v"}, FlagKind::boolean, "false", "verbose"},
      {{"count"}, FlagKind::integer, "0", "how many\ntimes"},
      {{"on"}, FlagKind::boolean, "true", "enabled"},
  };
  EXPECT_EQ(go_flag_usage("prog", defs),
            "Usage of prog:\n"
            "  -count int\n"
            "    \thow many\n"
            "    \ttimes\n"
            "  -on\n"
            "    \tenabled (default true)\n"
            "  -v\tverbose\n"
            "  -zeta path\n"
            "    \ta path to use\n");
}

}  // namespace
}  // namespace rootlesskit::cli

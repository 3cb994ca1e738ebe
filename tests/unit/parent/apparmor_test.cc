// The AppArmor profile hint printed when user namespaces are restricted.
#include "parent/apparmor.h"

#include <gtest/gtest.h>

namespace rootlesskit::parent {
namespace {

TEST(AppArmor, HintNamesTheProfileAfterThePath) {
  std::string hint = apparmor_userns_hint("/usr/local/bin/rootlesskit");
  EXPECT_NE(hint.find("cat <<EOT | sudo tee \"/etc/apparmor.d/usr.local.bin.rootlesskit\"\n"), std::string::npos);
  EXPECT_NE(hint.find("abi <abi/4.0>,\ninclude <tunables/global>\n"), std::string::npos);
  EXPECT_NE(hint.find("/usr/local/bin/rootlesskit flags=(unconfined) {\n  userns,\n"), std::string::npos);
  EXPECT_NE(hint.find("  include if exists <local/usr.local.bin.rootlesskit>\n}\nEOT\n"), std::string::npos);
  EXPECT_NE(hint.find("sudo systemctl restart apparmor.service\n########## END ##########\n"), std::string::npos);
  EXPECT_EQ(hint.rfind("Hint: try running the following commands:\n", 0), 0u);
}

}  // namespace
}  // namespace rootlesskit::parent

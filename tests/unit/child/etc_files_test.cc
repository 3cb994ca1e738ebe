// Contents of the namespace's hosts and resolv.conf (upstream pkg/child/hosts.go and
// pkg/child/resolvconf.go).
#include "child/etc_files.h"

#include <gtest/gtest.h>

namespace rootlesskit::child {
namespace {

TEST(EtcFiles, HostsAppendsTheHostnameLikeUpstream) {
  // A file ending in "\n" gets a blank line, as observed with upstream.
  EXPECT_EQ(hosts_content("127.0.0.1 localhost\n", "vm"), "127.0.0.1 localhost\n\n127.0.0.1 vm\n::1 vm\n");
  EXPECT_EQ(hosts_content("", "vm"), "\n127.0.0.1 vm\n::1 vm\n");
}

TEST(EtcFiles, ResolvConfHasOnlyNameservers) {
  EXPECT_EQ(resolv_conf_content({"10.0.2.3"}), "nameserver 10.0.2.3\n");
  EXPECT_EQ(resolv_conf_content({"10.0.2.3", "fd00::3"}), "nameserver 10.0.2.3\nnameserver fd00::3\n");
  EXPECT_EQ(resolv_conf_content({}), "");
}

}  // namespace
}  // namespace rootlesskit::child

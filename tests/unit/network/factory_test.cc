// network::Selection -> driver halves: names, which child half each driver gets, and that the
// parent half runs the driver's resolve() (so a missing binary fails here, before anything exists).
#include <gtest/gtest.h>

#include "common/error.h"
#include "network/driver.h"
#include "network/generic_child.h"
#include "network/lxc_user_nic/child.h"
#include "network/none/none.h"
#include "network/pasta/pasta.h"
#include "network/vpnkit/child.h"
#include "rootlesskit/network.h"

namespace rootlesskit::network {
namespace {

template <typename T>
bool is(const std::shared_ptr<ChildDriver>& driver) {
  return dynamic_cast<T*>(driver.get()) != nullptr;
}

std::string error_of(const Selection& selection) {
  try {
    make_parent_driver(selection, false);
    return "no error";
  } catch (const Error& e) {
    return e.what();
  }
}

TEST(NetworkFactory, NamesAreTheNetFlagValues) {
  EXPECT_EQ(name_of(HostNetwork{}), "host");
  EXPECT_EQ(name_of(none::Options{}), "none");
  EXPECT_EQ(name_of(slirp4netns::Options{}), "slirp4netns");
  EXPECT_EQ(name_of(vdeplug_slirp::Options{}), "vdeplug_slirp");
  EXPECT_EQ(name_of(lxc_user_nic::Options{}), "lxc-user-nic");
  EXPECT_EQ(name_of(pasta::Options{}), "pasta");
  EXPECT_EQ(name_of(vpnkit::Options{}), "vpnkit");
}

TEST(NetworkFactory, ChildHalves) {
  EXPECT_EQ(make_child_driver(HostNetwork{}), nullptr);
  EXPECT_EQ(make_child_driver(none::Options{}), nullptr);
  EXPECT_TRUE(is<GenericChildDriver>(make_child_driver(slirp4netns::Options{})));
  EXPECT_TRUE(is<GenericChildDriver>(make_child_driver(vdeplug_slirp::Options{})));
  EXPECT_TRUE(is<lxc_user_nic::ChildDriver>(make_child_driver(lxc_user_nic::Options{})));
  EXPECT_TRUE(is<pasta::ChildDriver>(make_child_driver(pasta::Options{})));
  EXPECT_TRUE(is<vpnkit::ChildDriver>(make_child_driver(vpnkit::Options{})));
}

TEST(NetworkFactory, HostHasNoParentHalfAndNoneNeedsNothing) {
  EXPECT_EQ(make_parent_driver(HostNetwork{}, false), nullptr);
  auto none = make_parent_driver(none::Options{}, false);
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(none->info().driver, "none");
}

TEST(NetworkFactory, ParentHalfResolvesTheOptions) {
  vdeplug_slirp::Options vde;
  vde.binary = "no-such-vde_plug";
  EXPECT_EQ(error_of(vde),
            "vdeplug_slirp needs vde_plug: exec: \"no-such-vde_plug\": executable file not found in $PATH "
            "(install the vdeplug and libvdeplug-slirp packages)");
  vpnkit::Options vpnkit;
  vpnkit.binary = "no-such-vpnkit";
  EXPECT_EQ(error_of(vpnkit),
            "exec: \"no-such-vpnkit\": executable file not found in $PATH (VPNKit is not packaged for Debian: "
            "install it from https://github.com/moby/vpnkit, or pass its path with --vpnkit-binary)");
  slirp4netns::Options slirp;
  slirp.binary = "no-such-slirp4netns";
  EXPECT_EQ(error_of(slirp).rfind("slirp4netns binary \"no-such-slirp4netns\" is not installed", 0), 0u);
  pasta::Options pasta;
  pasta.binary = "no-such-pasta";
  EXPECT_EQ(error_of(pasta).rfind("exec: \"no-such-pasta\"", 0), 0u);
  EXPECT_EQ(error_of(lxc_user_nic::Options{}).rfind("lxc-user-nic binary \"\" is not installed", 0), 0u);
  lxc_user_nic::Options nic;
  nic.binary = "true";  // any executable: lxc-user-nic only runs in configure()
  EXPECT_EQ(error_of(nic), "no error");
}

TEST(NetworkFactory, DetachNetnsReachesTheSlirp4netnsResolution) {
  slirp4netns::Options slirp;
  slirp.sandbox = slirp4netns::Mode::enabled;
  slirp.binary = "no-such-slirp4netns";  // the conflict is reported before the lookup
  try {
    make_parent_driver(slirp, true);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("--slirp4netns-sandbox conflicts with --detach-netns", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace rootlesskit::network

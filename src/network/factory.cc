// network::Selection (rootlesskit/network.h) -> driver objects. The parent half resolves
// everything that can fail (binary lookup, feature probe) here, before the state dir or the
// child exist. Runs in the parent (make_parent_driver) and in the child (make_child_driver).
#include "rootlesskit/network.h"

#include "network/driver.h"
#include "network/generic_child.h"
#include "network/lxc_user_nic/child.h"
#include "network/lxc_user_nic/lxc_user_nic.h"
#include "network/none/none.h"
#include "network/pasta/pasta.h"
#include "network/slirp4netns/slirp4netns.h"
#include "network/vdeplug_slirp/vdeplug_slirp.h"
#include "network/vpnkit/child.h"
#include "network/vpnkit/vpnkit.h"

namespace rootlesskit::network {
namespace {

// One overload per alternative of Selection: adding a driver without a case fails to compile.
struct NameOf {
  const char* operator()(const HostNetwork&) const { return "host"; }
  const char* operator()(const none::Options&) const { return "none"; }
  const char* operator()(const slirp4netns::Options&) const { return "slirp4netns"; }
  const char* operator()(const vdeplug_slirp::Options&) const { return "vdeplug_slirp"; }
  const char* operator()(const lxc_user_nic::Options&) const { return "lxc-user-nic"; }
  const char* operator()(const pasta::Options&) const { return "pasta"; }
  const char* operator()(const vpnkit::Options&) const { return "vpnkit"; }
};

struct MakeParent {
  bool detach_netns;

  std::shared_ptr<ParentDriver> operator()(const HostNetwork&) const { return nullptr; }
  std::shared_ptr<ParentDriver> operator()(const none::Options&) const {
    return std::make_shared<none::ParentDriver>();
  }
  std::shared_ptr<ParentDriver> operator()(const slirp4netns::Options& o) const {
    return std::make_shared<slirp4netns::ParentDriver>(slirp4netns::resolve(o, detach_netns));
  }
  std::shared_ptr<ParentDriver> operator()(const vdeplug_slirp::Options& o) const {
    return std::make_shared<vdeplug_slirp::ParentDriver>(vdeplug_slirp::resolve(o));
  }
  std::shared_ptr<ParentDriver> operator()(const lxc_user_nic::Options& o) const {
    return std::make_shared<lxc_user_nic::ParentDriver>(lxc_user_nic::resolve(o));
  }
  std::shared_ptr<ParentDriver> operator()(const pasta::Options& o) const {
    return std::make_shared<pasta::ParentDriver>(pasta::resolve(o));
  }
  std::shared_ptr<ParentDriver> operator()(const vpnkit::Options& o) const {
    return std::make_shared<vpnkit::ParentDriver>(vpnkit::resolve(o));
  }
};

struct MakeChild {
  std::shared_ptr<ChildDriver> operator()(const HostNetwork&) const { return nullptr; }
  std::shared_ptr<ChildDriver> operator()(const none::Options&) const { return nullptr; }
  std::shared_ptr<ChildDriver> operator()(const slirp4netns::Options&) const {
    return std::make_shared<GenericChildDriver>();
  }
  std::shared_ptr<ChildDriver> operator()(const vdeplug_slirp::Options&) const {
    return std::make_shared<GenericChildDriver>();
  }
  std::shared_ptr<ChildDriver> operator()(const lxc_user_nic::Options& o) const {
    return std::make_shared<lxc_user_nic::ChildDriver>(o.bridge);
  }
  std::shared_ptr<ChildDriver> operator()(const pasta::Options&) const {
    return std::make_shared<pasta::ChildDriver>();
  }
  std::shared_ptr<ChildDriver> operator()(const vpnkit::Options&) const {
    return std::make_shared<vpnkit::ChildDriver>();
  }
};

}  // namespace

std::string name_of(const Selection& selection) { return std::visit(NameOf{}, selection); }

std::shared_ptr<ParentDriver> make_parent_driver(const Selection& selection, bool detach_netns) {
  return std::visit(MakeParent{detach_netns}, selection);
}

std::shared_ptr<ChildDriver> make_child_driver(const Selection& selection) {
  return std::visit(MakeChild{}, selection);
}

}  // namespace rootlesskit::network

// --net value -> driver objects. The parent half resolves everything that can fail (binary
// lookup, feature probe) here, before the state dir or the child exist.
#include "network/factory.h"

#include "common/error.h"
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

std::shared_ptr<ParentDriver> make_parent_driver(const cli::RootlesskitFlags& flags) {
  if (flags.net == "host") {
    return nullptr;
  }
  if (flags.net == "none") {
    return std::make_shared<none::ParentDriver>();
  }
  if (flags.net == "slirp4netns") {
    return std::make_shared<slirp4netns::ParentDriver>(slirp4netns::resolve_options(flags));
  }
  if (flags.net == "vdeplug_slirp") {
    return std::make_shared<vdeplug_slirp::ParentDriver>(vdeplug_slirp::resolve_options(flags));
  }
  if (flags.net == "lxc-user-nic") {
    return std::make_shared<lxc_user_nic::ParentDriver>(lxc_user_nic::resolve_options(flags));
  }
  if (flags.net == "pasta") {
    return std::make_shared<pasta::ParentDriver>(pasta::resolve_options(flags));
  }
  if (flags.net == "vpnkit") {
    return std::make_shared<vpnkit::ParentDriver>(vpnkit::resolve_options(flags));
  }
  // Only gvisor-tap-vsock gets here (the CLI rejects unknown names): upstream runs gVisor's
  // userspace network stack in-process, a Go library with no C++ counterpart.
  throw Error("network driver \"" + flags.net + "\" is not supported by this implementation " +
              "(it needs gVisor's userspace network stack); use --net=slirp4netns or --net=pasta instead");
}

std::shared_ptr<ChildDriver> make_child_driver(const cli::RootlesskitFlags& flags) {
  if (flags.net == "slirp4netns" || flags.net == "vdeplug_slirp") {
    return std::make_shared<GenericChildDriver>();
  }
  if (flags.net == "lxc-user-nic") {
    return std::make_shared<lxc_user_nic::ChildDriver>(flags.lxc_user_nic_bridge);
  }
  if (flags.net == "pasta") {
    return std::make_shared<pasta::ChildDriver>();
  }
  if (flags.net == "vpnkit") {
    return std::make_shared<vpnkit::ChildDriver>();
  }
  return nullptr;
}

}  // namespace rootlesskit::network

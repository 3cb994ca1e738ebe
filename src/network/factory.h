// Which network driver to run, with its plain options, and the driver halves made from that
// choice: what an embedder fills in, and what src/cli/driver_options.h maps the flags onto.
// make_parent_driver runs in the parent; the child builds its half from the same selection.
#pragma once

#include <memory>
#include <string>
#include <variant>

#include "network/driver.h"
#include "network/lxc_user_nic/options.h"
#include "network/none/none.h"
#include "network/pasta/options.h"
#include "network/slirp4netns/options.h"
#include "network/vdeplug_slirp/options.h"
#include "network/vpnkit/options.h"

namespace rootlesskit::network {

// The host's network: no network namespace, no driver.
struct HostNetwork {};

// One alternative per driver; each driver's Options holds what can be chosen for it.
using Selection = std::variant<HostNetwork, none::Options, slirp4netns::Options, vdeplug_slirp::Options,
                               lxc_user_nic::Options, pasta::Options, vpnkit::Options>;

// The driver's --net name: "host", "none", "slirp4netns", "vdeplug_slirp", "lxc-user-nic",
// "pasta" or "vpnkit" (child::Options::network takes it).
std::string name_of(const Selection& selection);

// Resolves the options with the driver's resolve() (binary lookup, feature probes, auto modes)
// and makes the parent half; null for the host network. Throws Error for a driver that cannot
// run here (e.g. its binary is missing), with a message saying what to install. Pass the
// parent's detach_netns (slirp4netns needs it to resolve its sandbox).
std::shared_ptr<ParentDriver> make_parent_driver(const Selection& selection, bool detach_netns);

// The child half; null for the host network and none (the child only brings lo up). No side
// effects: the child builds it from the same selection the parent resolved.
std::shared_ptr<ChildDriver> make_child_driver(const Selection& selection);

}  // namespace rootlesskit::network

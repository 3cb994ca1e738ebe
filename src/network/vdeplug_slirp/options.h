// vdeplug_slirp: resolve() (LookPath of vde_plug) run in the parent before anything is created.
// The options themselves are public (rootlesskit/network.h).
#pragma once

#include "rootlesskit/network.h"

namespace rootlesskit::network::vdeplug_slirp {

// Looks vde_plug up; a missing one is reported with the Debian packages to install. Returns the
// options ParentDriver takes.
Options resolve(Options requested);

}  // namespace rootlesskit::network::vdeplug_slirp

// Picks the network driver halves for a --net value. Used by tools/rootlesskit/main.cc: the parent
// asks for the parent half, the re-exec'd child for the child half (same flags, same argv).
#pragma once

#include <memory>

#include "cli/rootlesskit_flags.h"
#include "network/driver.h"

namespace rootlesskit::network {

// Null for --net=host. Throws Error for a driver that cannot run here (e.g. its binary is
// missing), with a message saying what to install.
std::shared_ptr<ParentDriver> make_parent_driver(const cli::RootlesskitFlags& flags);
// Null for --net=host and --net=none (the child only brings lo up).
std::shared_ptr<ChildDriver> make_child_driver(const cli::RootlesskitFlags& flags);

}  // namespace rootlesskit::network

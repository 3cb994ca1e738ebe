// Tap devices through /dev/net/tun, instead of exec'ing `ip tuntap add`. Runs in whichever
// process is already inside the target network namespace (a netns helper or the child), or
// from the parent through a netns helper (create_tap_in).
#pragma once

#include <string>

#include "common/fd.h"
#include "network/netns.h"

namespace rootlesskit::network {

// Creates `ifname` as a persistent tap (IFF_TAP|IFF_NO_PI, TUNSETPERSIST) that stays after we
// close it, like `ip tuntap add name <ifname> mode tap`; a helper (slirp4netns, vde_plug) attaches
// to it later. Throws Error "failed to create tap <ifname>: <step>: <errno text>".
void create_persistent_tap(const std::string& ifname);

// From the parent: creates the persistent tap inside `target` and sets it up, what upstream does
// with `nsenter -t PID -n -m -U --preserve-credentials ip tuntap add name <if> mode tap` and
// `... ip link set <if> up`. Throws Error "setting up tap <ifname>: ...".
void create_tap_in(const NetnsTarget& target, const std::string& ifname);

// Attaches to (or creates, non-persistent) tap `ifname` and returns its queue fd (O_CLOEXEC),
// for drivers that move the frames themselves (vpnkit, gvisor-tap-vsock).
Fd open_tap(const std::string& ifname);

}  // namespace rootlesskit::network

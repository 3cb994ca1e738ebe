// vdeplug_slirp settings as plain values (what an embedder or src/cli/driver_options.cc fills
// in), and resolve() (LookPath of vde_plug) run in the parent before anything is created.
#pragma once

#include <string>

namespace rootlesskit::network::vdeplug_slirp {

inline constexpr const char* default_ifname = "tap0";

// The network is fixed (10.0.2.0/24, MTU 1500): there is nothing else to choose.
struct Options {
  std::string binary = "vde_plug";  // a name looked up in $PATH, or a path; resolve() makes it a path
  std::string ifname = default_ifname;
};

// Looks vde_plug up; a missing one is reported with the Debian packages to install. Returns the
// options ParentDriver takes.
Options resolve(Options requested);

}  // namespace rootlesskit::network::vdeplug_slirp

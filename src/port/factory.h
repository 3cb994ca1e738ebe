// Which port driver to run, with its plain options, and the driver halves made from that
// choice: what an embedder fills in, and what src/cli/driver_options.h maps --port-driver onto.
// The parent makes the parent half, the child the child half from the same selection.
#pragma once

#include <memory>
#include <string>
#include <variant>

#include "port/builtin/builtin.h"
#include "port/driver.h"
#include "port/slirp4netns/slirp4netns.h"
#include "port/socat/socat.h"

namespace rootlesskit::port {

// No port driver: --port-driver=none, or implicit (pasta forwards ports by itself). The
// REST API's /v1/ports then answers 400 "no PortDriver is available".
struct NoPorts {
  std::string name = "none";  // "none" or "implicit"
};

using Selection = std::variant<NoPorts, builtin::ParentOptions, slirp4netns::Options, socat::Options>;

// The --port-driver name: "none", "implicit", "builtin", "slirp4netns" or "socat".
std::string name_of(const Selection& selection);

// Null for NoPorts. Resolves what can fail before anything starts (socat: socat::resolve(), the
// lookup of socat and nsenter); throws Error.
std::shared_ptr<ParentDriver> make_parent_driver(const Selection& selection);
// Null when the driver has no child half (none, implicit, slirp4netns, socat).
std::shared_ptr<ChildDriver> make_child_driver(const Selection& selection);

}  // namespace rootlesskit::port

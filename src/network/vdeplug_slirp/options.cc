// vdeplug_slirp option resolution (parent, before anything is created).
#include "network/vdeplug_slirp/options.h"

#include "common/error.h"
#include "common/process.h"

namespace rootlesskit::network::vdeplug_slirp {

Options resolve(Options o) {
  try {
    o.binary = look_path(o.binary);
  } catch (const Error& e) {
    throw Error(std::string("vdeplug_slirp needs vde_plug: ") + e.what() +
                " (install the vdeplug and libvdeplug-slirp packages)");
  }
  return o;
}

}  // namespace rootlesskit::network::vdeplug_slirp

// --net=none parent half: nothing to start; the child brings lo up (child/network_setup.cc).
#include "network/none/none.h"

namespace rootlesskit::network::none {

api::NetworkDriverInfo ParentDriver::info() const {
  api::NetworkDriverInfo info;
  info.driver = "none";
  return info;
}

}  // namespace rootlesskit::network::none

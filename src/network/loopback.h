// Brings the loopback interface of the current network namespace up. Runs in the child.
#pragma once

namespace rootlesskit::network {

void bring_up_loopback();

}  // namespace rootlesskit::network

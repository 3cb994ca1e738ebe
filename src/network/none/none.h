// --net=none: a new network namespace with only the loopback interface up. No helper process.
#pragma once

#include "network/driver.h"
#include "rootlesskit/network.h"

namespace rootlesskit::network::none {

class ParentDriver final : public network::ParentDriver {
 public:
  api::NetworkDriverInfo info() const override;
  messages::NetworkDriverCompleted configure(pid_t, const std::string&, const std::string&) override { return {}; }
};

}  // namespace rootlesskit::network::none

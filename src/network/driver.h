// Network driver roles, as upstream splits them: the parent half starts helpers and tells the
// child what to configure; the child half configures the namespace's interfaces.
#pragma once

#include <sys/types.h>

#include <string>

#include "api/types.h"
#include "messages/message.h"

namespace rootlesskit::network {

class ParentDriver {
 public:
  virtual ~ParentDriver() = default;
  // The "networkDriver" object of GET /v1/info.
  virtual api::NetworkDriverInfo info() const = 0;
  virtual int mtu() const = 0;
  // Runs in the parent after the ID maps are written, with the child's host pid. Returns what the
  // child must configure. Helpers started here are stopped by cleanup().
  virtual messages::NetworkDriverCompleted configure(pid_t child_pid, const std::string& state_dir,
                                                     const std::string& detached_netns_path) = 0;
  // Stops every helper; called on every exit path, also after a failed configure().
  virtual void cleanup() {}
};

}  // namespace rootlesskit::network

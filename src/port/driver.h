// Port driver roles, as upstream splits them (pkg/port/port.go): the parent half publishes
// ports on the host (the REST API's /v1/ports calls it through Manager), the child half, if
// any, serves it from inside the child's namespaces. Threads: every method of a parent half runs
// on the parent's event-loop thread (docs/ARCHITECTURE.md, "Threads"); a child half runs on the
// child's main thread beside COMMAND's supervision.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/fd.h"
#include "port/spec.h"

namespace rootlesskit::port {

// upstream port.Manager: what the REST API calls.
class Manager {
 public:
  virtual ~Manager() = default;
  // Validates (upstream's texts), starts forwarding and returns the new status (ids start at
  // 1 and are never reused). Throws rootlesskit::Error with the user-facing text (API: 400).
  virtual Status add_port(const Spec& spec) = 0;
  // Current ports, any order (the API sorts by id). Throws Error (API: 500).
  virtual std::vector<Status> list_ports() = 0;
  // Stops forwarding `id`: the listener and every live connection are closed before it
  // returns. Throws Error, e.g. `unknown id: 2` (API: 400).
  virtual void remove_port(int id) = 0;
};

// The "portDriver" object of GET /v1/info.
struct DriverInfo {
  std::string driver;
  std::vector<std::string> protos;  // always emitted
  bool disallow_loopback_child_ip = false;
};

// What the parent half learns about the child once the namespaces exist (upstream ChildContext).
struct ChildContext {
  pid_t child_pid = 0;
  std::string state_dir;
  std::string child_ip;             // the child's address on its network, "" if not known
  std::string detached_netns_path;  // --detach-netns: the netns file as the parent reaches it
};

class ParentDriver : public Manager {
 public:
  virtual DriverInfo info() const = 0;
  // Passed to the child half in ParentInitPortDriverCompleted (upstream OpaqueForChild).
  virtual std::map<std::string, std::string> opaque_for_child() const { return {}; }
  // Whether this driver keeps talking to its child half over the parent/child channel after
  // the set-up messages (then the parent hands the channel to attach_child()).
  virtual bool uses_child_channel() const { return false; }
  // Called once before any port is added, on the loop thread or before the loop runs: from
  // here on the driver may register fds with `loop`. Throws Error.
  virtual void start(EventLoop& loop, const ChildContext& child) = 0;
  // Hands over the parent end of the channel (only when uses_child_channel()).
  virtual void attach_child(Fd /*channel*/) {}
  // Closes every listener, connection and helper of the driver (loop thread). Idempotent;
  // also called on every error path.
  virtual void stop() = 0;
};

class ChildDriver {
 public:
  virtual ~ChildDriver() = default;
  // Runs in the child (uid 0 of its user namespace, full capabilities) after the network is
  // configured and before COMMAND starts. `opaque` is the parent's opaque_for_child();
  // `channel` the child end of the parent/child channel; `detached_netns_path` is set with
  // --detach-netns (the namespace to serve, as the child sees it). Registers with `loop`,
  // which runs on the child's main thread while COMMAND runs. Throws Error.
  virtual void start(EventLoop& loop, const std::map<std::string, std::string>& opaque, Fd channel,
                     const std::string& detached_netns_path) = 0;
  // Unregisters and closes everything (COMMAND exited). Idempotent.
  virtual void stop() = 0;
};

}  // namespace rootlesskit::port

// --port-driver=slirp4netns: ports forwarded by slirp4netns itself, through its JSON API socket
// ($STATE/.s4nn.sock, `add_hostfwd` / `remove_hostfwd`), as upstream pkg/port/slirp4netns. Parent
// half only; needs --net=slirp4netns started with --api-socket. Runs on the parent's event loop.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "port/driver.h"
#include "rootlesskit/port.h"

namespace rootlesskit::port::slirp4netns {

class ParentDriver final : public port::ParentDriver {
 public:
  explicit ParentDriver(Options options = {}) : m_options(std::move(options)) {}

  DriverInfo info() const override;
  void start(EventLoop& loop, const ChildContext& child) override;
  void stop() override {}

  // Upstream's checks and texts (`unsupported protocol "tcp6"`, `unsupported IP (v6?): ::1`,
  // `reply.Error: map[desc:...]`), plus two upstream lets through: a loopback child IP (slirp
  // cannot reach the child's loopback) and conflicts between specs that only differ in
  // spelling ("tcp"/"tcp4", ""/"0.0.0.0"), which slirp4netns would refuse without saying why.
  Status add_port(const Spec& spec) override;
  std::vector<Status> list_ports() override;
  void remove_port(int id) override;

 private:
  Options m_options;
  std::string m_child_ip;
  std::map<int, Spec> m_ports;
};

// The API conversation, exposed for tests: sends one request object (plus "\n", then half-close)
// and returns the reply text. Throws Error (dial/read failures, Go-shaped).
std::string call_api(const std::string& socket_path, const std::string& request);

// Go's %v of a JSON object decoded into map[string]interface{}: `map[desc:bad request]`.
std::string go_map_text(const std::string& json_object);

// slirp4netns' answers, exposed for tests: the id of an add_hostfwd reply (`{"return":{"id":1}}`);
// for remove_hostfwd, only whether it failed. Throw Error `reply.Error: map[desc:...]` when
// slirp4netns refused, `unexpected id: 1.5` for an id that is no int, `unexpected reply...` for
// anything else.
int parse_add_hostfwd_reply(const std::string& text);
void check_remove_hostfwd_reply(const std::string& text);

}  // namespace rootlesskit::port::slirp4netns

// --port-driver=socat: RootlessKit v0.3's port driver (upstream pkg/port/socat, removed in v0.14).
// Per published port one supervised `socat` in the host's network namespace listens on the parent
// address; for each connection (or UDP peer) it runs `nsenter` into the child's user and network
// namespaces, where a second socat connects to the child port. Parent half only, on the parent's
// event loop. See docs/port.md.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "port/driver.h"
#include "rootlesskit/port.h"

namespace rootlesskit::port::socat {

class Supervisor;

// Looks both programs up (upstream's NewParentDriver did the same, at start-up). Throws Error
// naming the Debian package: `port driver "socat" needs socat: install the socat package
// (apt-get install socat)`, the same for nsenter (util-linux); and for a path socat's EXEC
// address would split (see exec_safe).
Options resolve(Options requested);

// Where the per-connection nsenter goes: the child's user namespace (by pid) and its network
// namespace, either the pid's or, with --detach-netns, that file (as the parent reaches it).
struct Target {
  pid_t child_pid = 0;
  std::string detached_netns_path;
};

// Upstream's command line for one port, with the resolved binaries:
//   socat TCP-LISTEN:<pport>,bind=<ip>,reuseaddr,fork,rcvbuf=65536,sndbuf=65536
//         EXEC:"nsenter -U -n --preserve-credentials -t <pid> socat STDIN TCP4:<childip>:<cport>",nofork
// (UDP-LISTEN/UDP4 for udp; `--net=<file>` instead of -n with a detached netns). The parent IP
// defaults to 0.0.0.0, the child IP to 127.0.0.1. Throws Error with upstream's texts:
// `unsupported proto: tcp6`, `unsupported parentIP (v6?): ::1`, `unsupported IP (v6?): ::1`.
std::vector<std::string> build_argv(const Options& options, const Target& target, const Spec& spec);

// Whether `text` survives socat's EXEC address intact: socat splits the command line at every
// space with no escape, and quotes, backslashes and '!' mean something to its address parser.
bool exec_safe(const std::string& text);

class ParentDriver final : public port::ParentDriver {
 public:
  // `options` as resolve() returns them.
  explicit ParentDriver(Options options);
  ~ParentDriver() override;

  DriverInfo info() const override;
  // Throws Error `child PID not set` (upstream), or when a --detach-netns file cannot be opened
  // or cannot be passed through socat's EXEC address.
  void start(EventLoop& loop, const ChildContext& child) override;
  // Kills (SIGKILL) and reaps every socat, with the per-connection processes it forked.
  void stop() override;

  // Validates (port::validate_spec, conflicts), builds the command line, starts socat and waits
  // until it listens; a socat that exits first fails the call with its own error line, e.g.
  // `socat exited: exit status 1: socat[42] E bind(5, {AF=2 0.0.0.0:8080}, 16): Address already in use`.
  Status add_port(const Spec& spec) override;
  std::vector<Status> list_ports() override;
  // `unknown port id: 3` (upstream's text, unlike builtin's `unknown id: 3`).
  void remove_port(int id) override;

 private:
  struct Published;

  Options m_options;
  EventLoop* m_loop = nullptr;
  Target m_target;
  std::map<int, std::unique_ptr<Published>> m_ports;
  int m_next_id = 1;
};

}  // namespace rootlesskit::port::socat

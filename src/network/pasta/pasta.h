// --net=pasta (experimental upstream, pkg/network/pasta/pasta.go): the parent runs pasta once on the child's netns;
// pasta creates and configures the tap itself (--config-net) and daemonizes. Unlike upstream we
// then own the daemon (daemon_guard.h): this pasta does not exit when the namespace empties.
// With --port-driver=implicit pasta forwards every port bound inside by itself (no API driver).
#pragma once

#include <optional>

#include "network/driver.h"
#include "network/pasta/daemon_guard.h"
#include "network/pasta/options.h"

namespace rootlesskit::network::pasta {

class ParentDriver final : public network::ParentDriver {
 public:
  // `options` as resolve() returns them.
  explicit ParentDriver(Options options);
  ~ParentDriver() override;

  // {"driver":"pasta","dns":["<net+3>"],"childIP":"<net+100>"} once configured.
  api::NetworkDriverInfo info() const override;
  // Runs pasta to completion (it daemonizes), then takes hold of the daemon by the PID it wrote.
  // Throws Error "pasta failed with exit code N:\n<output>" (upstream's text), or
  // "pasta did not write its PID to <file>" (pasta then cannot be stopped by us: see docs).
  messages::NetworkDriverCompleted configure(pid_t child_pid, const std::string& state_dir,
                                             const std::string& detached_netns_path) override;
  // "pasta (PID N) exited" once the daemon has gone away while COMMAND runs.
  std::optional<std::string> reap_exited_helper() override;
  // Kills the pasta daemon (and its watchdog); also after a failed configure().
  void cleanup() override;

 private:
  void run_pasta(const std::vector<std::string>& argv);

  Options m_options;
  std::optional<DaemonGuard> m_daemon;
  bool m_configured = false;
};

// The child has nothing to do: pasta already configured address, route and MTU. Returns Dev.
// Throws Error "could not determine the preconfigured tap" when the message names none.
class ChildDriver final : public network::ChildDriver {
 public:
  std::string configure_child(const messages::NetworkDriverCompleted& message,
                              const std::string& detached_netns_path) override;
};

// The daemon's PID from pasta's --pid file ("1234\n"). Throws Error
// "pasta did not write its PID to <path>" if the file is missing, empty or not a number.
pid_t read_pid_file(const std::string& path);

}  // namespace rootlesskit::network::pasta

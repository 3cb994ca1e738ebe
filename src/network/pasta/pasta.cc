// pasta parent and child drivers: run pasta, hold its daemon, stop it on every exit path.
#include "network/pasta/pasta.h"

#include <signal.h>
#include <sys/wait.h>

#include <climits>

#include "common/error.h"
#include "common/fs.h"
#include "common/log.h"
#include "common/process.h"
#include "common/strings.h"

namespace rootlesskit::network::pasta {
namespace {

void log_output(const std::string& output) {
  for (const auto& line : split(output, '\n')) {
    if (!trim_space(line).empty()) {
      log::debug("network/pasta: {}", line);
    }
  }
}

// pasta refuses to start ("Couldn't install signal handlers") when it inherits SIGPIPE ignored:
// it checks signal(SIGPIPE, SIG_IGN) for a non-zero previous handler. The parent ignores
// SIGPIPE (common/signals.cc) and exec keeps that, so pasta must be started with the default
// disposition. Process-wide, but the parent is single-threaded while drivers are configured.
class DefaultSigpipe {
 public:
  DefaultSigpipe() { m_previous = ::signal(SIGPIPE, SIG_DFL); }
  ~DefaultSigpipe() { ::signal(SIGPIPE, m_previous); }
  DefaultSigpipe(const DefaultSigpipe&) = delete;
  DefaultSigpipe& operator=(const DefaultSigpipe&) = delete;

 private:
  sighandler_t m_previous;
};

CommandResult run_with_default_sigpipe(const std::vector<std::string>& argv) {
  DefaultSigpipe guard;
  return run_command(argv);
}

}  // namespace

pid_t read_pid_file(const std::string& path) {
  auto pid = parse_int(trim_space(read_file(path).value_or("")));
  if (!pid || *pid <= 0 || *pid > INT_MAX) {
    throw Error("pasta did not write its PID to " + path);
  }
  return static_cast<pid_t>(*pid);
}

ParentDriver::ParentDriver(Options options) : m_options(std::move(options)) {}

ParentDriver::~ParentDriver() { cleanup(); }

api::NetworkDriverInfo ParentDriver::info() const {
  messages::NetworkDriverCompleted m = network_message(m_options);
  return address_info("pasta", m_configured ? &m : nullptr);
}

messages::NetworkDriverCompleted ParentDriver::configure(pid_t child_pid, const std::string& state_dir,
                                                         const std::string& detached_netns_path) {
  const std::string pid_file = state_dir + "/" + pid_file_name;
  std::vector<std::string> argv = build_argv(m_options, Target{child_pid, detached_netns_path, pid_file});
  run_pasta(argv);
  m_daemon.emplace(read_pid_file(pid_file), "pasta");
  log::debug("pasta is running as PID {}", m_daemon->pid());
  m_configured = true;
  return network_message(m_options);
}

// pasta sets the namespace up, forks its daemon and exits: run it to completion, as upstream.
void ParentDriver::run_pasta(const std::vector<std::string>& argv) {
  log::debug("executing {}", go_slice(argv));
  CommandResult r = run_with_default_sigpipe(argv);
  std::string output = r.out + r.err;
  log_output(output);
  if (r.success()) {
    return;
  }
  if (WIFEXITED(r.status)) {
    throw Error("pasta failed with exit code " + std::to_string(WEXITSTATUS(r.status)) + ":\n" + output);
  }
  throw Error("pasta failed: " + describe_wait_status(r.status) + ":\n" + output);
}

std::optional<std::string> ParentDriver::reap_exited_helper() {
  if (m_daemon && m_daemon->daemon_exited()) {
    std::string what = "pasta (PID " + std::to_string(m_daemon->pid()) + ") exited";
    m_daemon.reset();
    return what;
  }
  return std::nullopt;
}

void ParentDriver::cleanup() { m_daemon.reset(); }

std::string ChildDriver::configure_child(const messages::NetworkDriverCompleted& message, const std::string&) {
  if (message.dev.empty()) {
    throw Error("could not determine the preconfigured tap");
  }
  return message.dev;
}

}  // namespace rootlesskit::network::pasta

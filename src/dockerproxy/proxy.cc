// rootlesskit-docker-proxy's steps, in order: flags, API client, /v1/info, publish the port,
// start the real docker-proxy, wait for a stop signal, clean up. Runs inside the child's
// namespaces as a child of dockerd.
#include "dockerproxy/proxy.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <optional>
#include <utility>

#include "api/client.h"
#include "common/error.h"
#include "common/log.h"
#include "common/process.h"
#include "common/signals.h"
#include "common/spawn.h"
#include "common/strings.h"
#include "dockerproxy/decisions.h"
#include "dockerproxy/options.h"
#include "dockerproxy/signal_parent.h"

extern char** environ;

namespace rootlesskit::dockerproxy {
namespace {

std::vector<std::string> current_environment() {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    env.emplace_back(*e);
  }
  return env;
}

api::Client connect_api() {
  const char* state_dir = std::getenv("ROOTLESSKIT_STATE_DIR");
  if (state_dir == nullptr || *state_dir == '\0') {
    throw Error("$ROOTLESSKIT_STATE_DIR needs to be set");
  }
  try {
    return api::Client::open(clean_path(std::string(state_dir) + "/api.sock"));
  } catch (const Error& e) {
    throw e.wrap("error while connecting to RootlessKit API socket");
  }
}

api::Info fetch_info(api::Client& client) {
  try {
    return client.info();
  } catch (const Error& e) {
    throw e.wrap(
        "failed to call info API, probably RootlessKit binary is too old (needs to be v0.14.0 or "
        "later)");
  }
}

// Without a port driver the real docker-proxy does the whole job, as if we were not there.
[[noreturn]] void exec_real_proxy(const std::vector<std::string>& argv, const SignalParent& fd3) {
  const std::string path = look_path(real_proxy);  // Go's exec.LookPath text, unwrapped upstream
  std::vector<std::string> args = argv;
  args.at(0) = real_proxy;
  std::vector<std::string> env = current_environment();
  auto c_args = c_string_array(args);
  auto c_env = c_string_array(env);
  fd3.keep_on_exec();
  ::signal(SIGPIPE, SIG_DFL);  // an ignored disposition would survive the exec
  ::execve(path.c_str(), c_args.data(), c_env.data());
  throw Error(errno_text(errno));  // Go's syscall.Exec error is the bare errno text
}

// Started like upstream's exec.Cmd: PATH lookup, our stdio and environment, fd 3 passed on,
// PDEATHSIG SIGKILL (this process is single-threaded, so the per-thread PDEATHSIG of Go, upstream
// #182, is no concern). spawn_program confirms the exec, so a failed exec is an error here, not
// a mysterious exit later.
ChildProcess start_real_proxy(std::vector<std::string> argv, const SignalParent& fd3, const sigset_t& original_mask) {
  ProgramSpec spec;
  spec.argv = std::move(argv);
  spec.setup.pdeathsig = SIGKILL;
  spec.setup.signal_mask = original_mask;
  if (fd3.held()) {
    spec.setup.fds.push_back({SignalParent::fd_number, SignalParent::fd_number});
  }
  try {
    return spawn_program(spec);
  } catch (const Error& e) {
    throw e.wrap(std::string("error while starting ") + real_proxy);
  }
}

// The port published through the API, removed exactly once however the program ends.
class PublishedPort {
 public:
  PublishedPort(api::Client& client, const api::PortSpec& spec) : m_client(client) {
    try {
      m_id = client.add_port(spec).id;
    } catch (const Error& e) {
      throw e.wrap("error while calling PortManager.AddPort()");
    }
  }
  PublishedPort(const PublishedPort&) = delete;
  PublishedPort& operator=(const PublishedPort&) = delete;
  ~PublishedPort() { remove(); }

  // Failure is a warning, as upstream's deferred RemovePort makes it; unlike upstream, the
  // message wraps the removal's own error.
  void remove() noexcept {
    if (!m_id) {
      return;
    }
    const int id = *std::exchange(m_id, std::nullopt);
    try {
      m_client.remove_port(id);
    } catch (const std::exception& e) {
      log::warn("error while calling PortManager.RemovePort(): {}", e.what());
    }
  }

 private:
  api::Client& m_client;
  std::optional<int> m_id;
};

// dockerd stops a proxy with SIGINT; the others would kill upstream's without removing the port
// (upstream leaks it on SIGTERM). Every other signal stays blocked, i.e. ignored.
bool is_stop_signal(int signo) { return signo == SIGINT || signo == SIGTERM || signo == SIGHUP || signo == SIGQUIT; }

// Waits for a stop signal (nullopt) or for the real docker-proxy to exit (its wait status).
std::optional<int> wait_for_stop(SignalReceiver& signals, ChildProcess& proxy) {
  while (true) {
    const ReceivedSignal s = signals.next();
    if (s.signo == SIGCHLD) {
      if (auto status = proxy.try_wait()) {
        return status;
      }
    } else if (is_stop_signal(s.signo)) {
      return std::nullopt;
    }
  }
}

int run(const Options& options, const std::vector<std::string>& argv, SignalParent& fd3) {
  api::Client client = connect_api();
  const api::Info info = fetch_info(client);
  if (leave_to_real_proxy(info)) {
    exec_real_proxy(argv, fd3);
  }
  const std::string child_ip = choose_child_ip(info, options.host_ip);
  const std::string proto = api_proto(options.proto, options.host_ip);
  if (auto warning = unsupported_proto_warning(info, proto, options.host_ip, options.host_port)) {
    log::warn("{}", *warning);
    fd3.report_ready();  // not an error for dockerd: the port is simply not published (#250)
    return 0;
  }
  SignalReceiver signals;  // before the port exists: a SIGINT from here on still removes it
  PublishedPort port(client, port_spec(proto, options.host_ip, options.host_port, child_ip));
  ChildProcess proxy = start_real_proxy(real_proxy_argv(options, child_ip), fd3, signals.previous_mask());
  fd3.hand_over();
  const std::optional<int> proxy_status = wait_for_stop(signals, proxy);
  if (!proxy_status) {
    proxy.signal(SIGKILL);  // upstream kills it; it has nothing to flush
    proxy.wait();
  }
  port.remove();
  if (proxy_status) {
    throw Error(std::string(real_proxy) + " exited unexpectedly: " + describe_wait_status(*proxy_status));
  }
  return 0;
}

}  // namespace

int run_proxy(const Options& options, const std::vector<std::string>& argv) {
  SignalParent fd3 = SignalParent::adopt();  // first, before anything can open an fd
  ::signal(SIGPIPE, SIG_IGN);                // a vanished dockerd makes fd 3 writes fail with EPIPE, as in Go
  log::init("docker-proxy", false);
  try {
    return run(options, argv, fd3);
  } catch (const std::exception& e) {
    fd3.report_error(e.what());
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&now, &local);
    std::cerr << go_log_line(local, e.what()) << std::flush;
    return 1;
  }
}

}  // namespace rootlesskit::dockerproxy

// slirp4netns parent driver: tap, process, readiness, supervision, cleanup.
#include "network/slirp4netns/slirp4netns.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>

#include "common/error.h"
#include "common/log.h"
#include "common/strings.h"
#include "network/netns.h"
#include "network/tap.h"

namespace rootlesskit::network::slirp4netns {
namespace {

// slirp4netns normally answers within milliseconds; this only bounds a hung helper (the parent
// reads no signals while it waits here).
constexpr int ready_timeout_ms = 30000;

}  // namespace

messages::NetworkDriverCompleted network_message(const Options& o) {
  Ipv4Network net = o.cidr.value_or(Ipv4Network::parse(default_cidr));
  messages::NetworkDriverCompleted m;
  m.dev = o.ifname;
  m.ip = net.host(100);
  m.netmask = net.prefix();
  m.gateway = net.host(2);
  m.dns = {net.host(3)};
  if (o.enable_ipv6) {
    m.dns.emplace_back("fd00::3");
  }
  m.mtu = o.mtu;
  return m;
}

ParentDriver::ParentDriver(Options options) : m_options(std::move(options)) {}

ParentDriver::~ParentDriver() { cleanup(); }

api::NetworkDriverInfo ParentDriver::info() const {
  messages::NetworkDriverCompleted m = network_message(m_options);
  return address_info("slirp4netns", m_configured ? &m : nullptr);
}

messages::NetworkDriverCompleted ParentDriver::configure(pid_t child_pid, const std::string& state_dir,
                                                         const std::string& detached_netns_path) {
  messages::NetworkDriverCompleted message = network_message(m_options);
  create_tap_in(child_netns(child_pid, detached_netns_path), m_options.ifname);
  std::vector<std::string> argv = build_argv(m_options, Target{child_pid, state_dir, detached_netns_path});
  log::debug("executing {}", go_slice(argv));
  Pipe ready = make_pipe();
  Fd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  HelperSpec spec{
      argv,
      {{0, null.get()}, {1, m_output.helper_end()}, {2, m_output.helper_end()}, {ready_fd_number, ready.write.get()}},
      nullptr};
  m_process = spawn_helper(spec);
  m_output.release_helper_end();
  ready.write.reset();
  wait_until_ready(std::move(ready.read), argv);
  m_configured = true;
  return message;
}

// Upstream polls with a 1 s deadline and wait4(WNOHANG); here the pipe's EOF says at once that
// slirp4netns exited (its fd 3 closed) without writing.
void ParentDriver::wait_until_ready(Fd ready, const std::vector<std::string>& argv) {
  const std::string what = "waiting for ready fd (" + go_slice(argv) + ")";
  while (true) {
    pollfd fds[2] = {{ready.get(), POLLIN, 0}, {m_output.fd(), POLLIN, 0}};
    int n = ::poll(fds, 2, ready_timeout_ms);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw errno_error(what + ": poll");
    }
    if (n == 0) {
      throw Error(what + ": timed out after " + std::to_string(ready_timeout_ms / 1000) + "s");
    }
    m_output.drain();
    if (fds[0].revents == 0) {
      continue;
    }
    char c = 0;
    if (read_full(ready.get(), &c, 1) == 1) {
      log::debug("slirp4netns is ready");
      m_output.clear_tail();
      return;
    }
    int status = m_process.wait();
    m_output.drain();
    const char* how = WIFSIGNALED(status) ? "slirp4netns killed by signal" : "slirp4netns failed";
    throw Error(what + ": " + how + ": " + describe_wait_status(status) + ": " +
                go_quote(std::string(trim_space(m_output.tail()))));
  }
}

std::optional<std::string> ParentDriver::reap_exited_helper() {
  return exited_helper_message(m_process, m_output, "slirp4netns");
}

void ParentDriver::cleanup() { stop_helper(m_process, m_output, "slirp4netns"); }

}  // namespace rootlesskit::network::slirp4netns

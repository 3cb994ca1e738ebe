// vdeplug_slirp parent driver: tap, the two vde_plug ends, readiness (the tap's carrier comes up
// when `vde_plug tap://` attaches), supervision, cleanup.
#include "network/vdeplug_slirp/vdeplug_slirp.h"

#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

#include <chrono>
#include <cstring>

#include "common/error.h"
#include "common/log.h"
#include "common/strings.h"
#include "network/netns.h"
#include "network/tap.h"

namespace rootlesskit::network::vdeplug_slirp {
namespace {

constexpr auto attach_timeout = std::chrono::seconds(10);

messages::NetworkDriverCompleted network_message(const Options& o) {
  messages::NetworkDriverCompleted m;
  m.dev = o.ifname;
  m.ip = "10.0.2.100";
  m.netmask = 24;
  m.gateway = "10.0.2.2";
  m.dns = {"10.0.2.3"};
  m.mtu = 1500;
  return m;
}

// In a netns helper: waits up to ~100 ms for IFF_RUNNING (a queue is attached to the tap).
// Returns by exit status: throws Error "not yet" while it is still down.
void wait_briefly_for_carrier(const std::string& ifname) {
  Fd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  ifreq req{};
  std::strncpy(req.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
  for (int i = 0; i < 50; ++i) {
    if (::ioctl(sock.get(), SIOCGIFFLAGS, &req) == 0 && (req.ifr_flags & IFF_RUNNING) != 0) {
      return;
    }
    timespec pause{0, 2'000'000};
    ::nanosleep(&pause, nullptr);
  }
  throw Error("not yet");
}

std::string describe_exit(const char* which, int status, const std::string& output) {
  std::string text = std::string(which) + " exited: " + describe_wait_status(status);
  std::string out(trim_space(output));
  if (!out.empty()) {
    text += " (" + go_quote(out) + ")";
  }
  if (out.find("Protocol not supported") != std::string::npos) {
    text += "; install the libvdeplug-slirp package";
  }
  return text;
}

}  // namespace

ParentDriver::ParentDriver(Options options) : m_options(std::move(options)) {}

ParentDriver::~ParentDriver() { cleanup(); }

api::NetworkDriverInfo ParentDriver::info() const {
  messages::NetworkDriverCompleted m = network_message(m_options);
  return address_info("vdeplug_slirp", m_configured ? &m : nullptr);
}

messages::NetworkDriverCompleted ParentDriver::configure(pid_t child_pid, const std::string&,
                                                         const std::string& detached_netns_path) {
  NetnsTarget target = child_netns(child_pid, detached_netns_path);
  create_tap_in(target, m_options.ifname);
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    throw errno_error("socketpair");
  }
  Fd slirp_end(pair[0]);
  Fd tap_end(pair[1]);
  const int out = m_output.helper_end();
  // Each vde_plug turns its plug into a byte stream on stdin/stdout; the socketpair joins them.
  HelperSpec slirp{{m_options.binary, "slirp://"}, {{0, slirp_end.get()}, {1, slirp_end.get()}, {2, out}}, nullptr};
  log::debug("executing {}", go_slice(slirp.argv));
  m_slirp = spawn_helper(slirp);
  OpenedNetns netns(target);
  HelperSpec tap{
      {m_options.binary, "tap://" + m_options.ifname}, {{0, tap_end.get()}, {1, tap_end.get()}, {2, out}}, &netns};
  log::debug("executing {} in the child's network namespace", go_slice(tap.argv));
  m_tap = spawn_helper(tap);
  m_output.release_helper_end();
  wait_until_attached(target);
  m_configured = true;
  return network_message(m_options);
}

// vde_plug has no readiness signal; the tap's carrier comes up once `vde_plug tap://` attached.
void ParentDriver::wait_until_attached(const NetnsTarget& target) {
  const auto deadline = std::chrono::steady_clock::now() + attach_timeout;
  while (true) {
    try {
      run_in_netns(target, [&] { wait_briefly_for_carrier(m_options.ifname); });
      m_output.drain();
      m_output.clear_tail();
      return;
    } catch (const Error&) {
      // not attached yet
    }
    m_output.drain();
    if (auto exited = exited_helper()) {
      throw Error(*exited);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw Error("vde_plug did not attach to " + m_options.ifname + " within 10s");
    }
  }
}

std::optional<std::string> ParentDriver::exited_helper() {
  if (m_slirp) {
    if (auto status = m_slirp.try_wait()) {
      m_output.drain();
      return describe_exit("vde_plug slirp://", *status, m_output.tail());
    }
  }
  if (m_tap) {
    if (auto status = m_tap.try_wait()) {
      m_output.drain();
      return describe_exit(("vde_plug tap://" + m_options.ifname).c_str(), *status, m_output.tail());
    }
  }
  return std::nullopt;
}

std::optional<std::string> ParentDriver::reap_exited_helper() { return exited_helper(); }

void ParentDriver::cleanup() {
  for (ChildProcess* p : {&m_tap, &m_slirp}) {
    if (*p) {
      p->signal(SIGKILL);
      log::debug("killed vde_plug: {}", describe_wait_status(p->wait()));
    }
  }
  m_output.drain();
}

}  // namespace rootlesskit::network::vdeplug_slirp

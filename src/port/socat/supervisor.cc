// Supervision of one socat of the socat port driver: spawn, readiness, exit watch, back-off
// restart, kill. Parent, on the event loop.
#include "port/socat/supervisor.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/log.h"
#include "common/process.h"
#include "common/strings.h"
#include "network/helper_process.h"

namespace rootlesskit::port::socat {
namespace {

using Clock = EventLoop::Clock;
using std::chrono::milliseconds;

constexpr milliseconds max_restart_delay{30'000};
// A socat that ran this long counts as healthy: its next death restarts after 100 ms again.
constexpr auto stable_run = std::chrono::seconds(30);
constexpr int ready_poll_ms = 5;

// The inodes of the sockets `pid` has open ("socket:[123]" links under /proc/PID/fd).
std::set<std::string> socket_inodes(pid_t pid) {
  std::set<std::string> inodes;
  std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    return inodes;
  }
  while (dirent* entry = ::readdir(d)) {
    char target[64];
    ssize_t n = ::readlinkat(::dirfd(d), entry->d_name, target, sizeof target - 1);
    std::string_view link(target, n > 0 ? static_cast<size_t>(n) : 0);
    if (link.starts_with("socket:[") && link.ends_with("]")) {
      inodes.emplace(link.substr(8, link.size() - 9));
    }
  }
  ::closedir(d);
  return inodes;
}

// /proc/net/{tcp,udp}[6] rows: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode.
bool table_lists(const std::string& path, const std::set<std::string>& inodes, bool need_listen) {
  std::ifstream table(path);
  std::string line;
  std::getline(table, line);  // header
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    fields >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode;
    if (inodes.count(inode) != 0 && (!need_listen || state == "0A")) {
      return true;
    }
  }
  return false;
}

std::string go_error_text(int status) {
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "<nil>" : describe_wait_status(status);
}

}  // namespace

milliseconds restart_delay(int retry) { return std::min(milliseconds(100LL * std::max(retry, 0)), max_restart_delay); }

std::string go_duration_text(milliseconds d) {
  long long ms = d.count();
  if (ms == 0) {
    return "0s";
  }
  if (ms < 1000) {
    return std::to_string(ms) + "ms";
  }
  std::string out;
  if (ms >= 60'000) {
    out = std::to_string(ms / 60'000) + "m";
    ms %= 60'000;
  }
  std::string seconds = std::to_string(ms / 1000);
  if (ms % 1000 != 0) {
    std::string fraction = std::to_string(1000 + ms % 1000).substr(1);
    fraction.erase(fraction.find_last_not_of('0') + 1);
    seconds += "." + fraction;
  }
  return out + seconds + "s";
}

std::string strip_log_dates(std::string_view text) {
  std::vector<std::string> lines;
  for (const std::string& raw : split(text, '\n')) {
    std::string_view line = trim_space(raw);
    // "2026/12/06 08:11:16 socat[42] E ...": a date, a time, then the message.
    if (line.size() > 20 && line[4] == '/' && line[7] == '/' && line[10] == ' ' && line[13] == ':' && line[19] == ' ' &&
        std::isdigit(static_cast<unsigned char>(line[0])) != 0) {
      line.remove_prefix(20);
    }
    if (!line.empty()) {
      lines.emplace_back(line);
    }
  }
  return join(lines, "; ");
}

bool holds_bound_socket(pid_t pid, std::string_view proto) {
  std::set<std::string> inodes = socket_inodes(pid);
  if (inodes.empty()) {
    return false;
  }
  std::string base = "/proc/" + std::to_string(pid) + "/net/" + std::string(proto);
  bool tcp = proto == "tcp";
  return table_lists(base, inodes, tcp) || table_lists(base + "6", inodes, tcp);
}

struct Supervisor::Instance {
  ChildProcess process;
  std::unique_ptr<network::HelperOutput> output;
  Clock::time_point started;
  bool output_watched = false;  // until its pipe reports EOF

  // socat runs in a process group of its own (pgid = its pid, which stays ours until it is
  // reaped): the group also holds the per-connection socat/nsenter processes it forked, which
  // outlive it otherwise.
  int kill_group_and_reap() {
    ::kill(-process.pid(), SIGKILL);
    int status = process.wait();
    output->drain();
    return status;
  }
};

class Supervisor::ExitWatch final : public IoHandler {
 public:
  explicit ExitWatch(Supervisor& s) : m_s(s) {}
  void on_io(uint32_t) override { m_s.on_exit(); }

 private:
  Supervisor& m_s;
};

class Supervisor::OutputWatch final : public IoHandler {
 public:
  explicit OutputWatch(Supervisor& s) : m_s(s) {}
  void on_io(uint32_t events) override { m_s.on_output(events); }

 private:
  Supervisor& m_s;
};

Supervisor::Supervisor(EventLoop& loop, Settings settings)
    : m_loop(loop),
      m_settings(std::move(settings)),
      m_description(m_settings.argv.at(0) + " " + go_slice(m_settings.argv)),
      m_exit_watch(std::make_unique<ExitWatch>(*this)),
      m_output_watch(std::make_unique<OutputWatch>(*this)) {}

Supervisor::~Supervisor() { stop(); }

pid_t Supervisor::pid() const { return m_instance ? m_instance->process.pid() : -1; }

void Supervisor::start() {
  spawn_instance();
  await_ready();
  watch_instance();
}

void Supervisor::spawn_instance() {
  auto output = std::make_unique<network::HelperOutput>("port/socat");
  Fd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!devnull) {
    throw errno_error("open /dev/null");
  }
  log::debug("port/socat: [exec] starting cmd {}", m_description);
  const int out = output->helper_end();
  ChildProcess process = network::spawn_helper({m_settings.argv, {{0, devnull.get()}, {1, out}, {2, out}}, nullptr});
  output->release_helper_end();
  m_instance = std::make_unique<Instance>(Instance{std::move(process), std::move(output), Clock::now(), false});
}

// Polls for socat's exit and for its socket: both take a few milliseconds, and the caller (the
// REST API, or the -p ports before COMMAND starts) should learn the outcome, not a guess.
void Supervisor::await_ready() {
  const auto deadline = Clock::now() + m_settings.ready_timeout;
  while (true) {
    pollfd exited{m_instance->process.pidfd(), POLLIN, 0};
    if (::poll(&exited, 1, ready_poll_ms) > 0) {
      std::unique_ptr<Instance> dead = std::move(m_instance);
      int status = dead->kill_group_and_reap();
      std::string lines = strip_log_dates(dead->output->tail());
      throw Error("socat exited: " + describe_wait_status(status) + (lines.empty() ? "" : ": " + lines));
    }
    if (holds_bound_socket(m_instance->process.pid(), m_settings.proto)) {
      return;
    }
    if (Clock::now() >= deadline) {
      log::debug("port/socat: socat (pid {}) is not listening after {}; assuming it is slow", m_instance->process.pid(),
                 go_duration_text(m_settings.ready_timeout));
      return;
    }
  }
}

void Supervisor::watch_instance() {
  m_loop.watch(m_instance->process.pidfd(), EPOLLIN, m_exit_watch.get());
  m_loop.watch(m_instance->output->fd(), EPOLLIN, m_output_watch.get());
  m_instance->output_watched = true;
}

std::unique_ptr<Supervisor::Instance> Supervisor::take_instance() {
  if (m_instance) {
    m_loop.unwatch(m_instance->process.pidfd(), m_exit_watch.get());
    if (m_instance->output_watched) {
      m_loop.unwatch(m_instance->output->fd(), m_output_watch.get());
    }
  }
  return std::move(m_instance);
}

void Supervisor::on_output(uint32_t events) {
  m_instance->output->drain();
  if ((events & (EPOLLHUP | EPOLLERR)) != 0) {
    // Every writer is gone (socat is exiting): stop polling a pipe that stays readable at EOF.
    m_loop.unwatch(m_instance->output->fd(), m_output_watch.get());
    m_instance->output_watched = false;
  }
}

void Supervisor::on_exit() {
  std::unique_ptr<Instance> dead = take_instance();
  int status = dead->kill_group_and_reap();
  if (Clock::now() - dead->started >= stable_run) {
    m_retry = 0;
  }
  ++m_retry;
  log::debug("port/socat: [exec] retrying cmd {} after sleeping {}, count={}, err={}", m_description,
             go_duration_text(restart_delay(m_retry)), m_retry, go_error_text(status));
  schedule_restart();
}

void Supervisor::schedule_restart() {
  m_restart_timer = m_loop.after(restart_delay(m_retry), [this] {
    m_restart_timer.reset();
    restart();
  });
}

// Unlike the first start, nobody waits for the outcome: a socat that cannot be started or dies
// at once is simply tried again, later each time.
void Supervisor::restart() {
  try {
    spawn_instance();
    watch_instance();
  } catch (const Error& e) {
    take_instance();  // killed and reaped if it had started
    ++m_retry;
    log::warn("port/socat: cannot restart {}: {} (next try in {})", m_description, e.what(),
              go_duration_text(restart_delay(m_retry)));
    schedule_restart();
  }
}

void Supervisor::stop() {
  if (m_restart_timer) {
    m_loop.cancel(*m_restart_timer);
    m_restart_timer.reset();
  }
  std::unique_ptr<Instance> running = take_instance();
  if (!running) {
    return;
  }
  pid_t pid = running->process.pid();
  log::debug("port/socat: [exec] killing cmd {} pid {}", m_description, pid);
  running->kill_group_and_reap();
  log::debug("port/socat: [exec] killed cmd {} pid {}", m_description, pid);
}

}  // namespace rootlesskit::port::socat

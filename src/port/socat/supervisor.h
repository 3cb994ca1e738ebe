// One supervised socat of the socat port driver (upstream pkg/port/socat portRoutine): started in
// a process group of its own with stdin on /dev/null and its output logged at debug level,
// restarted with back-off whenever it dies, killed with its whole group on stop. Parent, on the
// event-loop thread (or on the thread that sets the loop up before it runs: the -p ports).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/event_loop.h"

namespace rootlesskit::port::socat {

// The pause before restart number `retry` (1, 2, ...): upstream sleeps (retry*100 ms) mod 30 s,
// which drops back to no pause at all after 300 restarts; this caps it at 30 s instead.
std::chrono::milliseconds restart_delay(int retry);

// Go's time.Duration String() of whole milliseconds: "100ms", "1.5s", "30s", "1m30s".
std::string go_duration_text(std::chrono::milliseconds d);

// socat's log lines without their date and time, joined with "; ":
// `socat[42] E bind(5, {AF=2 0.0.0.0:8080}, 16): Address already in use`.
std::string strip_log_dates(std::string_view text);

// Whether process `pid` holds a socket that its network namespace's /proc/PID/net/<proto> or
// <proto>6 table lists (for tcp: in LISTEN state), i.e. socat has bound its UDP port or listens
// on its TCP port. False when the process is gone.
bool holds_bound_socket(pid_t pid, std::string_view proto);

class Supervisor {
 public:
  struct Settings {
    std::vector<std::string> argv;  // argv[0]: a resolved path
    std::string proto;              // "tcp" or "udp": how start() sees that socat is ready
    std::chrono::milliseconds ready_timeout{2000};
  };

  // Nothing runs before start(). `loop` must outlive the supervisor, or stop() must have run.
  Supervisor(EventLoop& loop, Settings settings);
  ~Supervisor();  // stop()
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Starts socat and blocks until it holds its bound socket (or `ready_timeout` passed: then it
  // is assumed slow and left running); from then on its exit is watched on the loop. Throws
  // Error if it cannot be started, or with its status and error lines if it exits first:
  // `socat exited: exit status 1: socat[42] E bind(...): Address already in use`.
  void start();
  // SIGKILLs socat's process group (socat and the per-connection processes it forked), reaps
  // socat and cancels a pending restart. Idempotent.
  void stop();

  // The running socat's pid, -1 between an exit and its restart (for tests).
  pid_t pid() const;
  // Restarts so far (upstream's `count`; back to 0 after a run of 30 s or more).
  int restarts() const { return m_retry; }

 private:
  struct Instance;
  class ExitWatch;
  class OutputWatch;

  void spawn_instance();
  void await_ready();
  void watch_instance();
  std::unique_ptr<Instance> take_instance();
  void on_exit();
  void on_output(uint32_t events);
  void schedule_restart();
  void restart();

  EventLoop& m_loop;
  Settings m_settings;
  std::string m_description;  // upstream's cmdDesc: `<path> [<argv>...]`
  std::unique_ptr<Instance> m_instance;
  std::unique_ptr<ExitWatch> m_exit_watch;
  std::unique_ptr<OutputWatch> m_output_watch;
  std::optional<EventLoop::TimerId> m_restart_timer;
  int m_retry = 0;
};

}  // namespace rootlesskit::port::socat

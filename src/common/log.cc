// logrus-compatible line formatting; spdlog owns the stderr sink and level filtering.
#include "common/log.h"

#include <unistd.h>

#include <chrono>
#include <ctime>

#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "common/strings.h"

namespace rootlesskit::log {
namespace {

struct State {
  std::string role = "parent";
  bool debug = false;
  bool tty = false;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
};

State& state() {
  static State s;
  return s;
}

// The synchronized (_mt) sink: the parent logs from each of its event loops' threads (the
// builtin port driver runs one per CPU) and an embedding program may call the library from
// several, and the sink's mutex keeps their lines whole. Made once, by the first line of any
// thread: a function-local static, so two first lines at once (two loops both out of fds)
// cannot each make one and free the other's while it writes. Each line is flushed as it is
// written (a process may exec or _exit right after). No async logger: its thread would not
// exist in the processes we fork.
spdlog::logger& logger() {
  static spdlog::logger instance = [] {
    spdlog::logger made("rootlesskit", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    made.set_pattern("%v");
    made.set_level(spdlog::level::trace);
    return made;
  }();
  return instance;
}

// logrus quotes a value unless every byte is in [A-Za-z0-9-._/@^+].
bool needs_quoting(std::string_view s) {
  if (s.empty()) {
    return true;
  }
  for (char c : s) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                 c == '_' || c == '/' || c == '@' || c == '^' || c == '+';
    if (!plain) {
      return true;
    }
  }
  return false;
}

std::string rfc3339_now() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &tm);
  std::string s = buf;
  // %z gives +0000; RFC3339 wants Z for UTC and +00:00 otherwise.
  if (s.size() >= 5) {
    std::string zone = s.substr(s.size() - 5);
    s.resize(s.size() - 5);
    s += (zone == "+0000") ? std::string("Z") : zone.substr(0, 3) + ":" + zone.substr(3);
  }
  return s;
}

struct LevelStyle {
  const char* text;
  const char* tty_text;
  int color;
};

LevelStyle style_of(Level level) {
  switch (level) {
    case Level::debug: return {"debug", "DEBU", 37};
    case Level::info: return {"info", "INFO", 36};
    case Level::warning: return {"warning", "WARN", 33};
    case Level::error: return {"error", "ERRO", 31};
  }
  return {"info", "INFO", 36};
}

}  // namespace

void init(std::string_view role, bool debug) {
  auto& s = state();
  s.role = std::string(role);
  s.debug = debug;
  s.tty = ::isatty(STDERR_FILENO) == 1;
}

bool debug_enabled() { return state().debug; }
const std::string& role() { return state().role; }

void write(Level level, std::string_view message) {
  const auto& s = state();
  if (level == Level::debug && !s.debug) {
    return;
  }
  std::string msg = "[rootlesskit:" + s.role + "] " + std::string(message);
  LevelStyle st = style_of(level);
  if (s.tty) {
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - s.start);
    logger().info("\x1b[{}m{}\x1b[0m[{:04d}] {:<44} ", st.color, st.tty_text, secs.count(), msg);
  } else {
    logger().info("time=\"{}\" level={} msg={}", rfc3339_now(), st.text, needs_quoting(msg) ? go_quote(msg) : msg);
  }
}

void fatal_line(std::string_view message) { logger().info("[rootlesskit:{}] error: {}", state().role, message); }

}  // namespace rootlesskit::log

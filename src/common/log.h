// Logging in upstream's (logrus) shapes, on top of spdlog.
// Every role calls log::init() once; lines carry "[rootlesskit:<role>] " like upstream v2+.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "rootlesskit/log.h"

namespace rootlesskit::log {

enum class Level { debug, info, warning, error };

// init(role, debug) is public (rootlesskit/log.h); roles: "parent", "child ",
// "activation_helper", "unshare".
bool debug_enabled();
const std::string& role();

// Emits one line: `time="..." level=warning msg="[rootlesskit:parent] ..."` when stderr is not a tty,
// `\e[33mWARN\e[0m[0000] [rootlesskit:parent] ...` when it is.
void write(Level level, std::string_view message);

// The fatal line main() prints once: "[rootlesskit:<role>] error: <message>".
void fatal_line(std::string_view message);

template <typename... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
  if (debug_enabled()) {
    write(Level::debug, fmt::format(f, std::forward<Args>(args)...));
  }
}
template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
  write(Level::info, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
  write(Level::warning, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void error(fmt::format_string<Args...> f, Args&&... args) {
  write(Level::error, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace rootlesskit::log

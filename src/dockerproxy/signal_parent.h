// fd 3 of docker-proxy: the "signal parent" pipe dockerd (libnetwork's portmapper) reads once the
// proxy started: "0\n" for success, "1\n<error>" for failure, then EOF. Owned by
// rootlesskit-docker-proxy until the real docker-proxy, which writes the "0\n", inherits it.
#pragma once

#include <string_view>

#include "common/fd.h"

namespace rootlesskit::dockerproxy {

class SignalParent {
 public:
  static constexpr int fd_number = 3;

  // Takes fd 3 if it is open (run by hand it may not be; then every report is a no-op) and
  // marks it close-on-exec: only the real docker-proxy gets it, explicitly.
  static SignalParent adopt();

  bool held() const { return static_cast<bool>(m_fd); }
  // "0\n": the port needs no proxy of ours (upstream #250 discards unsupported protos this way).
  void report_ready();
  // "1\n<message>": dockerd reads it to EOF and fails `docker run` with
  // "Error starting userland proxy: <message>". Write errors are ignored: dockerd may be gone.
  void report_error(std::string_view message);
  // In a forked process just before execve of the real docker-proxy: keeps fd 3 open across
  // the exec. Async-signal-safe.
  void keep_on_exec() const;
  // The real docker-proxy owns the pipe from now on: closing our copy lets dockerd see EOF as
  // soon as that proxy exits (upstream keeps it open, so a proxy failure reaches dockerd only
  // when its 16 s timeout fires).
  void hand_over() { m_fd.reset(); }

 private:
  explicit SignalParent(Fd fd) : m_fd(std::move(fd)) {}
  void write_quietly(std::string_view bytes);

  Fd m_fd;
};

}  // namespace rootlesskit::dockerproxy

// The fd-3 report pipe of rootlesskit-docker-proxy (inside the child's namespaces).
#include "dockerproxy/signal_parent.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace rootlesskit::dockerproxy {

SignalParent SignalParent::adopt() {
  int flags = ::fcntl(fd_number, F_GETFD);
  if (flags < 0) {
    return SignalParent(Fd());
  }
  ::fcntl(fd_number, F_SETFD, flags | FD_CLOEXEC);
  return SignalParent(Fd(fd_number));
}

void SignalParent::report_ready() { write_quietly("0\n"); }

void SignalParent::report_error(std::string_view message) { write_quietly("1\n" + std::string(message)); }

void SignalParent::keep_on_exec() const {
  if (m_fd) {
    ::fcntl(m_fd.get(), F_SETFD, 0);
  }
}

void SignalParent::write_quietly(std::string_view bytes) {
  while (m_fd && !bytes.empty()) {
    ssize_t n = ::write(m_fd.get(), bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace rootlesskit::dockerproxy

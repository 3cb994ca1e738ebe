// Fd, Pipe and EINTR-safe read/write loops.
#include "common/fd.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"

namespace rootlesskit {

void Fd::reset(int fd) {
  if (m_fd >= 0) {
    // close(2) must not be retried on EINTR on Linux: the fd is gone either way.
    ::close(m_fd);
  }
  m_fd = fd;
}

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw errno_error("pipe2");
  }
  return Pipe{Fd(fds[0]), Fd(fds[1])};
}

void write_all(int fd, const void* data, size_t size, std::string_view what) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw errno_error(what);
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
}

size_t read_full(int fd, void* data, size_t size) {
  char* p = static_cast<char*>(data);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, p + done, size - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw errno_error("read");
    }
    if (n == 0) {
      break;
    }
    done += static_cast<size_t>(n);
  }
  return done;
}

std::string read_to_end(int fd) {
  std::string text;
  char buf[512];
  size_t n = 0;
  while ((n = read_full(fd, buf, sizeof buf)) > 0) {
    text.append(buf, n);
  }
  return text;
}

}  // namespace rootlesskit

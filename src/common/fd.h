// Fd: the one owner of a file descriptor. Move-only; closes on destruction.
// Used by every process role (parent, child, rootlessctl); no namespace specifics.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace rootlesskit {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : m_fd(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : m_fd(other.release()) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset(other.release());
    }
    return *this;
  }
  ~Fd() { reset(); }

  int get() const { return m_fd; }
  explicit operator bool() const { return m_fd >= 0; }
  // Gives up ownership: the caller now closes it.
  int release() { return std::exchange(m_fd, -1); }
  // Closes the owned fd (if any) and takes ownership of `fd`.
  void reset(int fd = -1);

 private:
  int m_fd = -1;
};

// A pipe whose both ends are O_CLOEXEC. Throws Error on failure.
struct Pipe {
  Fd read;
  Fd write;
};
Pipe make_pipe();

// write(2)/read(2) loops that retry on EINTR and short transfers. Throw Error on failure:
// "<what>: <errno text>" for write_all, so that a caller can name the file as Go's *PathError
// does ("write /run/x/child_pid: no space left on device").
void write_all(int fd, const void* data, size_t size, std::string_view what = "write");
// Returns the number of bytes read; less than `size` only at EOF.
size_t read_full(int fd, void* data, size_t size);

// Reads until EOF (e.g. an error pipe whose writer exec'd or exited). Throws Error on failure.
std::string read_to_end(int fd);

}  // namespace rootlesskit

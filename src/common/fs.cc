// Temporary directories with upstream-shaped names, and whole-file writes.
#include "common/fs.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"
#include "common/fd.h"

namespace rootlesskit {

std::string make_temp_dir(const std::string& parent, const std::string& prefix, unsigned mode,
                          std::string_view what) {
  std::string path;
  for (int attempt = 0; attempt < 100; ++attempt) {
    uint32_t random = 0;
    if (::getrandom(&random, sizeof random, GRND_NONBLOCK) != sizeof random) {
      random = static_cast<uint32_t>(::getpid()) * 2654435761u + static_cast<uint32_t>(attempt);
    }
    path = parent + "/" + prefix + std::to_string(random);
    if (::mkdir(path.c_str(), mode) == 0) {
      return path;
    }
    if (errno != EEXIST) {
      break;
    }
  }
  throw errno_error(std::string(what) + ": mkdir " + path);
}

void write_file(const std::string& path, std::string_view content, unsigned mode) {
  ::unlink(path.c_str());
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (!fd) {
    throw errno_error("open " + path);
  }
  write_all(fd.get(), content.data(), content.size());
  // The umask may have narrowed `mode` (child_pid must be 0444 whatever it is).
  if (::fchmod(fd.get(), mode) != 0) {
    throw errno_error("chmod " + path);
  }
}

}  // namespace rootlesskit

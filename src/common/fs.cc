// Temporary directories with upstream-shaped names, whole-file reads and writes, listings.
#include "common/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "common/error.h"
#include "common/fd.h"

namespace rootlesskit {

std::string make_temp_dir(const std::string& parent, const std::string& prefix, unsigned mode, std::string_view what) {
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
  write_all(fd.get(), content.data(), content.size(), "write " + path);
  // The umask may have narrowed `mode` (child_pid must be 0444 whatever it is).
  if (::fchmod(fd.get(), mode) != 0) {
    throw errno_error("chmod " + path);
  }
}

std::optional<std::string> read_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    return std::nullopt;
  }
  std::string text;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return std::nullopt;
    }
    if (n == 0) {
      return text;
    }
    text.append(buf, static_cast<size_t>(n));
  }
}

void write_existing_file(const std::string& path, std::string_view content) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) {
    throw errno_error("write " + path);
  }
  ssize_t n = 0;
  while ((n = ::write(fd.get(), content.data(), content.size())) < 0 && errno == EINTR) {
  }
  if (n < 0) {
    throw errno_error("write " + path);
  }
  if (static_cast<size_t>(n) != content.size()) {
    throw Error("write " + path + ": short write");
  }
}

std::optional<std::vector<std::string>> read_directory(const std::string& path) {
  // opendir(3) opens with O_CLOEXEC.
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), ::closedir);
  if (!dir) {
    return std::nullopt;
  }
  std::vector<std::string> names;
  while (dirent* e = ::readdir(dir.get())) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") {
      names.emplace_back(name);
    }
  }
  return names;
}

}  // namespace rootlesskit

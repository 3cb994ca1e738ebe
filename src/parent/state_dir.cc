// State directory creation, locking, cleaning and removal.
#include "parent/state_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "common/error.h"
#include "common/fs.h"
#include "common/log.h"
#include "common/strings.h"
#include "rootlesskit/state_files.h"

namespace rootlesskit::parent {
namespace {

std::string make_absolute(const std::string& path) {
  if (!path.empty() && path[0] == '/') {
    return clean_path(path);
  }
  std::error_code ec;
  auto cwd = std::filesystem::current_path(ec);
  if (ec) {
    throw Error("failed to get the current directory: " + ec.message());
  }
  return clean_path(cwd.string() + "/" + path);
}

std::string create_temp_dir() {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string base = (tmpdir != nullptr && *tmpdir != '\0') ? tmpdir : "/tmp";
  return make_absolute(make_temp_dir(base, "rootlesskit", 0700, "creating a state directory"));
}

void mkdir_all(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    throw Error("mkdir " + path + ": " + errno_text(ec.value()));
  }
}

// Upstream happily empties and deletes whatever directory it is given (docs/compatibility.md,
// State directory).
void refuse_dangerous(const std::string& path) {
  const char* home = std::getenv("HOME");
  if (path == "/" || (home != nullptr && clean_path(home) == path)) {
    throw Error("refusing to use " + path + " as the state directory: its contents would be deleted; " +
                "pass a dedicated directory to --state-dir");
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw errno_error("state dir is inaccessible: stat " + path);
  }
  if (!S_ISDIR(st.st_mode)) {
    throw Error("state dir " + path + " is not a directory");
  }
  if (st.st_uid != ::geteuid()) {
    throw Error("refusing to use " + path + " as the state directory: it is owned by uid " + std::to_string(st.st_uid) +
                ", not by the current user (uid " + std::to_string(::geteuid()) + "); its contents would be deleted");
  }
}

// A unix socket path must fit sun_path; upstream only notices after the command started
// (docs/compatibility.md, State directory).
void check_socket_path(const std::string& dir) {
  std::string sock = dir + "/" + state_file_api_sock;
  if (sock.size() >= sizeof(sockaddr_un{}.sun_path)) {
    throw Error("state dir " + go_quote(dir) + " is too long: " + sock + " must be shorter than " +
                std::to_string(sizeof(sockaddr_un{}.sun_path)) +
                " bytes to be a unix socket; use a shorter --state-dir");
  }
}

Fd lock_file(const std::string& dir) {
  std::string path = dir + "/" + state_file_lock;
  Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd) {
    throw errno_error("failed to lock " + path);
  }
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      throw Error("failed to lock " + path + ", another RootlessKit is running with the same state directory?");
    }
    throw errno_error("failed to lock " + path);
  }
  return fd;
}

void remove_all_but_lock(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().filename() == state_file_lock) {
      continue;
    }
    std::filesystem::remove_all(entry.path(), ec);
    if (ec) {
      throw Error("failed to remove " + entry.path().string() + ": " + errno_text(ec.value()));
    }
  }
  if (ec) {
    throw Error("failed to read " + dir + ": " + errno_text(ec.value()));
  }
}

}  // namespace

StateDir StateDir::open(const std::string& requested) {
  StateDir dir;
  if (requested.empty()) {
    dir.m_path = create_temp_dir();
  } else {
    std::string path = make_absolute(requested);
    check_socket_path(path);  // before mkdir: nothing to clean up
    mkdir_all(path);
    refuse_dangerous(path);
    dir.m_path = path;
  }
  try {
    check_socket_path(dir.m_path);
    dir.m_dir.reset(::open(dir.m_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir.m_dir || ::flock(dir.m_dir.get(), LOCK_SH) != 0) {
      log::warn("Failed to lock the state dir {}", dir.m_path);
    }
    dir.m_lock = lock_file(dir.m_path);
    remove_all_but_lock(dir.m_path);
  } catch (...) {
    // Only a directory we own the lock of (or created) may be removed; a busy one stays intact.
    if (dir.m_lock || requested.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir.m_path, ec);
    }
    dir.m_path.clear();
    throw;
  }
  return dir;
}

StateDir::~StateDir() {
  if (m_path.empty()) {
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
  if (ec) {
    log::warn("failed to remove the state dir {}: {}", m_path, errno_text(ec.value()));
  }
}

}  // namespace rootlesskit::parent

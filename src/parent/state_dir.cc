// State directory creation, checks, locking, cleaning and removal. Unlike upstream
// (pkg/parent/parent.go, InitStateDir), which empties whatever directory it is given, we never
// remove an entry we do not recognise as ours (docs/security.md, State directory).
#include "parent/state_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "common/error.h"
#include "common/fs.h"
#include "common/log.h"
#include "common/strings.h"
#include "parent/state_entries.h"
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
  std::string base = make_absolute((tmpdir != nullptr && *tmpdir != '\0') ? tmpdir : "/tmp");
  return make_temp_dir(base, "rootlesskit", 0700, "creating a state directory");
}

// `mkdir -p`: the parents 0755 as upstream, the state directory itself 0700 (mkdir(2) applies
// the umask, which can only narrow these). Returns whether the last component was created.
bool mkdir_all(const std::string& path) {
  bool created = false;
  for (size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
    const bool last = end == std::string::npos;
    const std::string prefix = last ? path : path.substr(0, end);
    created = ::mkdir(prefix.c_str(), last ? 0700 : 0755) == 0;
    if (!created && errno != EEXIST) {
      throw errno_error("mkdir " + prefix);
    }
    if (last) {
      return created;
    }
  }
}

[[noreturn]] void refuse_root() {
  throw Error(
      "refusing to use / as the state directory: it is the root directory; pass a dedicated directory to --state-dir");
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

StateDirContext context() {
  StateDirContext c;
  c.euid = ::geteuid();
  struct stat st {};
  if (::stat("/", &st) == 0) {
    c.root = st;
  }
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0' && ::stat(home, &st) == 0) {
    c.home = st;
  }
  return c;
}

std::string real_path(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), &std::free);
  if (!real) {
    throw errno_error("state dir is inaccessible: " + path);
  }
  return real.get();
}

}  // namespace

StateDir StateDir::open(const std::string& requested) {
  StateDir dir;
  bool created = true;
  if (requested.empty()) {
    dir.m_path = create_temp_dir();
  } else {
    dir.m_path = make_absolute(requested);
    if (dir.m_path == "/") {
      refuse_root();
    }
    check_socket_path(dir.m_path);  // before mkdir: nothing to clean up
    created = mkdir_all(dir.m_path);
  }
  try {
    if (requested.empty()) {
      check_socket_path(dir.m_path);  // a long TMPDIR: the new directory is removed below
    }
    dir.resolve(created);
    dir.lock_and_clean();
  } catch (...) {
    // Only a directory we hold the lock of, or created, is cleaned: a busy or refused one stays
    // exactly as it was.
    if (dir.m_lock || created) {
      dir.remove();
    }
    if (created && !dir.m_dir) {
      ::rmdir(dir.m_path.c_str());  // made just now, failed before it was opened: still empty
    }
    dir.m_path.clear();
    throw;
  }
  return dir;
}

// Opens the directory once, without following a symlink in its last component after realpath,
// and checks it through that fd: what is checked is what will be cleaned and removed.
void StateDir::resolve(bool created) {
  const StateDirContext c = context();
  open_once(c.euid);
  struct stat st {};
  if (::fstat(m_dir.get(), &st) != 0) {
    throw errno_error("state dir is inaccessible: stat " + m_path);
  }
  check_state_dir(m_path, st, c);
  if (auto foreign = find_foreign_entry(m_dir.get(), c.euid)) {
    throw Error("refusing to use " + m_path + " as the state directory: it holds " + go_quote(*foreign) +
                ", which rootlesskit did not create (a state directory is emptied at start and removed at " +
                "exit); pass a new or empty directory to --state-dir");
  }
  // Only we may enter it, whatever the umask made of it or whoever made it 0755 (upstream):
  // the helpers' sockets (.s4nn.sock, vpnkit-ethernet.sock) get the umask's mode.
  if ((st.st_mode & 07777) != 0700 && ::fchmod(m_dir.get(), 0700) != 0) {
    throw errno_error("chmod " + m_path);
  }
  if (created) {
    log::debug("created the state dir {}", m_path);
  }
}

void StateDir::open_once(uid_t euid) {
  struct stat st {};
  if (::lstat(m_path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    // The link is kept (and what it points to) at exit; its owner could redirect clients.
    m_keep_dir = true;
    if (st.st_uid != euid) {
      throw Error("refusing to use " + m_path + " as the state directory: it is a symlink owned by uid " +
                  std::to_string(st.st_uid) + "; pass a directory of your own to --state-dir");
    }
  }
  const std::string real = real_path(m_path);
  if (real == "/") {
    refuse_root();
  }
  const size_t slash = real.rfind('/');
  const std::string parent = slash == 0 ? "/" : real.substr(0, slash);
  m_name = real.substr(slash + 1);
  m_parent.reset(::open(parent.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (m_parent) {
    m_dir.reset(::openat(m_parent.get(), m_name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  }
  if (!m_dir) {
    if (errno == ENOTDIR) {
      throw Error("state dir " + m_path + " is not a directory");
    }
    throw errno_error("state dir is inaccessible: open " + m_path);
  }
}

void StateDir::lock_and_clean() {
  if (::flock(m_dir.get(), LOCK_SH) != 0) {
    log::warn("Failed to lock the state dir {}", m_path);
  }
  const std::string lock_path = file(state_file_lock);
  Fd lock(::openat(m_dir.get(), state_file_lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!lock) {
    throw errno_error("failed to lock " + lock_path);
  }
  if (::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      throw Error("failed to lock " + lock_path + ", another RootlessKit is running with the same state directory?");
    }
    throw errno_error("failed to lock " + lock_path);
  }
  m_lock = std::move(lock);
  if (::fchmod(m_lock.get(), 0600) != 0) {
    throw errno_error("chmod " + lock_path);
  }
  // The stale files of a killed run (upstream #220); the check before the lock saw only ours.
  if (auto foreign = remove_state_entries(m_dir.get(), ::geteuid(), state_file_lock, m_path)) {
    throw Error("refusing to use " + m_path + " as the state directory: " + go_quote(*foreign) +
                " appeared in it while rootlesskit was starting");
  }
}

void StateDir::write_file(std::string_view name, std::string_view content, unsigned mode) const {
  const std::string n(name);
  if (::unlinkat(m_dir.get(), n.c_str(), 0) != 0 && errno != ENOENT) {
    throw errno_error("remove " + file(name));
  }
  Fd fd(::openat(m_dir.get(), n.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!fd) {
    throw errno_error("open " + file(name));
  }
  write_all(fd.get(), content.data(), content.size(), "write " + file(name));
  if (::fchmod(fd.get(), mode) != 0) {  // the umask may have narrowed `mode`
    throw errno_error("chmod " + file(name));
  }
}

// Our entries, then `lock`, then the directory if it is empty and still the one we opened.
void StateDir::remove() {
  if (!m_dir) {
    return;
  }
  std::optional<std::string> foreign;
  try {
    foreign = remove_state_entries(m_dir.get(), ::geteuid(), state_file_lock, m_path);
    if (::unlinkat(m_dir.get(), state_file_lock, 0) != 0 && errno != ENOENT) {
      throw errno_error("failed to remove " + file(state_file_lock));
    }
  } catch (const Error& e) {
    // E.g. the directory was made read-only meanwhile: what is left is ours, so a later run
    // on it cleans it (it narrows the mode to 0700 first).
    log::warn("failed to remove the state dir {}: {}; the next rootlesskit with --state-dir={} cleans it up", m_path,
              e.what(), m_path);
    return;
  }
  m_lock.reset();
  if (foreign) {
    log::warn("did not remove the state dir {}: it holds {}, which rootlesskit did not create", m_path,
              go_quote(*foreign));
    return;
  }
  if (m_keep_dir) {
    return;
  }
  struct stat ours {
  }, now{};
  if (::fstat(m_dir.get(), &ours) != 0 || ::fstatat(m_parent.get(), m_name.c_str(), &now, AT_SYMLINK_NOFOLLOW) != 0 ||
      ours.st_dev != now.st_dev || ours.st_ino != now.st_ino) {
    log::warn("did not remove the state dir {}: it was moved or replaced while rootlesskit ran", m_path);
    return;
  }
  if (::unlinkat(m_parent.get(), m_name.c_str(), AT_REMOVEDIR) != 0) {
    log::warn("failed to remove the state dir {}: {}", m_path, errno_text(errno));
  }
}

StateDir::~StateDir() {
  if (!m_path.empty()) {
    remove();
  }
}

}  // namespace rootlesskit::parent

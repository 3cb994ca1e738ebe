// The names rootlesskit creates in a state directory, the refusal checks, and the removal of
// exactly those entries. Upstream (pkg/parent/parent.go, InitStateDir) removes everything but
// `lock`; we remove only what we recognise as ours and refuse a directory holding anything else.
#include "parent/state_entries.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <vector>

#include "common/error.h"
#include "common/fd.h"
#include "rootlesskit/state_files.h"

namespace rootlesskit::parent {
namespace {

struct KnownEntry {
  const char* name;
  mode_t type;
};

// Who creates each: docs/compatibility.md, State directory.
constexpr std::array<KnownEntry, 12> known_entries = {{
    {state_file_lock, S_IFREG},
    {state_file_child_pid, S_IFREG},
    {state_file_api_sock, S_IFSOCK},
    {state_file_netns, S_IFREG},  // --detach-netns: an empty file on the host
    {"hosts", S_IFREG},
    {"resolv.conf", S_IFREG},
    {".s4nn.sock", S_IFSOCK},            // slirp4netns --api-socket
    {"pasta.pid", S_IFREG},              // pasta --pid
    {"vpnkit-ethernet.sock", S_IFSOCK},  // vpnkit
    {".bp.sock", S_IFSOCK},              // upstream's builtin port driver
    {".bp-ready.pipe", S_IFIFO},         // upstream's builtin port driver
    {"gvisortapvsock", S_IFDIR},         // upstream's gvisor-tap-vsock: holds tap.sock
}};
constexpr const char* gvisor_dir = "gvisortapvsock";
constexpr const char* gvisor_socket = "tap.sock";

std::string octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// The names in the directory open at dir_fd ("." and ".." left out).
std::vector<std::string> list(int dir_fd) {
  // fdopendir takes its fd: give it a fresh one, so the listing starts at the beginning.
  Fd fd(::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  std::unique_ptr<DIR, int (*)(DIR*)> dir(fd ? ::fdopendir(fd.get()) : nullptr, ::closedir);
  if (!dir) {
    throw errno_error("failed to read the state dir");
  }
  fd.release();
  std::vector<std::string> names;
  errno = 0;
  while (dirent* e = ::readdir(dir.get())) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") {
      names.emplace_back(name);
    }
  }
  if (errno != 0) {
    throw errno_error("failed to read the state dir");
  }
  std::sort(names.begin(), names.end());  // the entry a refusal names does not depend on the fs
  return names;
}

std::optional<struct stat> stat_entry(int dir_fd, const std::string& name) {
  struct stat st {};
  if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return std::nullopt;  // gone meanwhile
  }
  return st;
}

// gvisortapvsock/ is ours only if it holds nothing but our tap.sock.
bool is_own_gvisor_dir(int dir_fd, uid_t euid) {
  Fd sub(::openat(dir_fd, gvisor_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!sub) {
    return false;
  }
  for (const std::string& name : list(sub.get())) {
    auto st = stat_entry(sub.get(), name);
    if (st && (name != gvisor_socket || (st->st_mode & S_IFMT) != S_IFSOCK || st->st_uid != euid)) {
      return false;
    }
  }
  return true;
}

bool is_own(int dir_fd, const std::string& name, const struct stat& st, uid_t euid) {
  if (!is_state_entry(name, st.st_mode & S_IFMT) || st.st_uid != euid) {
    return false;
  }
  return name != gvisor_dir || is_own_gvisor_dir(dir_fd, euid);
}

void remove_entry(int dir_fd, const std::string& name, const std::string& dir_for_messages) {
  if (name == gvisor_dir) {
    Fd sub(::openat(dir_fd, gvisor_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (sub && ::unlinkat(sub.get(), gvisor_socket, 0) != 0 && errno != ENOENT) {
      throw errno_error("failed to remove " + dir_for_messages + "/" + name + "/" + gvisor_socket);
    }
  }
  int flags = name == gvisor_dir ? AT_REMOVEDIR : 0;
  if (::unlinkat(dir_fd, name.c_str(), flags) != 0 && errno != ENOENT) {
    throw errno_error("failed to remove " + dir_for_messages + "/" + name);
  }
}

}  // namespace

bool is_state_entry(std::string_view name, mode_t type) {
  for (const KnownEntry& e : known_entries) {
    if (name == e.name) {
      return type == e.type;
    }
  }
  return false;
}

void check_state_dir(const std::string& path, const struct stat& st, const StateDirContext& c) {
  auto same = [&](const std::optional<struct stat>& other) {
    return other && other->st_dev == st.st_dev && other->st_ino == st.st_ino;
  };
  const std::string refusing = "refusing to use " + path + " as the state directory: ";
  if (same(c.root)) {
    throw Error(refusing + "it is the root directory; pass a dedicated directory to --state-dir");
  }
  if (same(c.home)) {
    throw Error(refusing + "it is the home directory; pass a dedicated directory to --state-dir");
  }
  if (!S_ISDIR(st.st_mode)) {
    throw Error("state dir " + path + " is not a directory");
  }
  if (st.st_uid != c.euid) {
    throw Error(refusing + "it is owned by uid " + std::to_string(st.st_uid) + ", not by the current user (uid " +
                std::to_string(c.euid) + "); pass a directory of your own to --state-dir");
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    throw Error(refusing + "other users can write to it (mode " + octal(st.st_mode) +
                ") and so replace child_pid or api.sock; run `chmod go-w " + path + "` or pass another directory");
  }
}

std::optional<std::string> find_foreign_entry(int dir_fd, uid_t euid) {
  for (const std::string& name : list(dir_fd)) {
    auto st = stat_entry(dir_fd, name);
    if (st && !is_own(dir_fd, name, *st, euid)) {
      return name;
    }
  }
  return std::nullopt;
}

std::optional<std::string> remove_state_entries(int dir_fd, uid_t euid, std::string_view keep,
                                                const std::string& dir_for_messages) {
  std::optional<std::string> foreign;
  for (const std::string& name : list(dir_fd)) {
    auto st = stat_entry(dir_fd, name);
    if (!st || name == keep) {
      continue;
    }
    if (!is_own(dir_fd, name, *st, euid)) {
      foreign = foreign.value_or(name);
      continue;
    }
    remove_entry(dir_fd, name, dir_for_messages);
  }
  return foreign;
}

}  // namespace rootlesskit::parent

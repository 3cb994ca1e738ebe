// The tmpfs+symlink copy-up algorithm. Unlike upstream, the tmpfs keeps the original directory's
// mode instead of 1777, and everything after the tmpfs mount works relative to an fd of that
// tmpfs, so a directory renamed or replaced meanwhile cannot redirect the symlinks or their
// clean-up onto host files (docs/mount.md, docs/security.md). The layout is upstream's, because
// scripts such as dockerd-rootless.sh rely on it.
#include "copyup/tmpfs_symlink.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "common/error.h"
#include "common/fd.h"
#include "common/fs.h"
#include "common/strings.h"

namespace rootlesskit::copyup {
namespace {

// `dir` with every symlink resolved, or `dir` itself if it cannot be (mount then says why).
std::string resolved(const std::string& dir) {
  std::unique_ptr<char, decltype(&std::free)> real(::realpath(dir.c_str(), nullptr), &std::free);
  return real ? std::string(real.get()) : dir;
}

// Both cover what copy-up needs: the temporary bind mount lives under /tmp.
void refuse_unsupported(const std::string& dir) {
  if (dir == "/tmp") {
    throw Error("/tmp cannot be copied up");
  }
  if (dir == "/") {
    throw Error(root_refusal);
  }
}

std::string fd_path(const Fd& fd) { return "/proc/self/fd/" + std::to_string(fd.get()); }

// Opens the tmpfs just mounted on `dir` and checks that it is that fresh tmpfs (empty, ours,
// another device than the original), not a directory renamed into its place meanwhile.
Fd open_fresh_tmpfs(const std::string& dir, const struct stat& original) {
  Fd top(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!top) {
    throw errno_error("failed to open the tmpfs on " + dir);
  }
  struct statfs fs {};
  struct stat st {};
  auto names = read_directory(fd_path(top));
  if (::fstatfs(top.get(), &fs) != 0 || ::fstat(top.get(), &st) != 0 || fs.f_type != TMPFS_MAGIC ||
      st.st_dev == original.st_dev || st.st_uid != ::geteuid() || !names || !names->empty()) {
    throw Error("failed to mount tmpfs on " + dir + ": the directory was replaced while it was copied up");
  }
  return top;
}

// mkdir "<top>/.ro<random decimal>" 0700, as os.MkdirTemp does upstream. Returns the name.
std::string make_ro_dir(const Fd& top, const std::string& dir) {
  std::string name;
  for (int attempt = 0; attempt < 100; ++attempt) {
    uint32_t random = 0;
    if (::getrandom(&random, sizeof random, GRND_NONBLOCK) != sizeof random) {
      random = static_cast<uint32_t>(::getpid()) * 2654435761u + static_cast<uint32_t>(attempt);
    }
    name = ".ro" + std::to_string(random);
    if (::mkdirat(top.get(), name.c_str(), 0700) == 0) {
      return name;
    }
    if (errno != EEXIST) {
      break;
    }
  }
  throw errno_error("failed to create a directory under " + dir + ": mkdir " + dir + "/" + name);
}

std::string read_link_at(const Fd& dir, const std::string& name, const std::string& path_for_messages) {
  char buf[PATH_MAX];
  ssize_t n = ::readlinkat(dir.get(), name.c_str(), buf, sizeof buf);
  if (n < 0) {
    throw errno_error("failed to read symlink " + path_for_messages);
  }
  return std::string(buf, static_cast<size_t>(n));
}

// One symlink in the tmpfs for each entry of the original (now under ro_name).
void link_entries(const Fd& top, const std::string& dir, const std::string& ro_name) {
  Fd ro(::openat(top.get(), ro_name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  auto names = ro ? read_directory(fd_path(ro)) : std::nullopt;
  if (!names) {
    throw errno_error("failed to read " + dir + "/" + ro_name);
  }
  for (const auto& name : *names) {
    std::string target = ro_name + "/" + name;
    struct stat st {};
    if (::fstatat(ro.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
      target = read_link_at(ro, name, dir + "/" + ro_name + "/" + name);
    }
    // The fresh tmpfs holds only what we made in it (upstream #45 met an mtab written by mount(8)).
    ::unlinkat(top.get(), name.c_str(), 0);
    if (::symlinkat(target.c_str(), top.get(), name.c_str()) != 0) {
      throw errno_error("failed to create symlink " + dir + "/" + name);
    }
  }
}

void copy_up_one(const std::string& dir, const std::string& bind0) {
  struct stat original {};
  if (::stat(dir.c_str(), &original) != 0) {
    throw errno_error("failed to create bind mount on " + dir);
  }
  if (::mount(dir.c_str(), bind0.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    throw errno_error("failed to create bind mount on " + dir);
  }
  char options[64];
  std::snprintf(options, sizeof options, "mode=%o", original.st_mode & 07777);
  if (::mount("none", dir.c_str(), "tmpfs", 0, options) != 0) {
    int err = errno;
    ::umount2(bind0.c_str(), MNT_DETACH);
    throw errno_error("failed to mount tmpfs on " + dir, err);
  }
  Fd top = open_fresh_tmpfs(dir, original);
  const std::string ro_name = make_ro_dir(top, dir);
  // Through the fd: the target is the directory just made in our tmpfs, whatever `dir` names now.
  if (::mount(bind0.c_str(), (fd_path(top) + "/" + ro_name).c_str(), nullptr, MS_MOVE, nullptr) != 0) {
    throw errno_error("failed to move mount point from " + bind0 + " to " + dir + "/" + ro_name);
  }
  link_entries(top, dir, ro_name);
}

}  // namespace

std::vector<std::string> copy_up(const std::vector<std::string>& dirs) {
  std::vector<std::string> copied;
  if (dirs.empty()) {
    return copied;
  }
  // Before anything is made: a refused directory leaves nothing behind.
  std::vector<std::string> targets;
  for (const auto& raw : dirs) {
    refuse_unsupported(clean_path(raw));
    targets.push_back(resolved(clean_path(raw)));
    refuse_unsupported(targets.back());  // e.g. a symlink to /
  }
  std::string bind0 = make_temp_dir("/tmp", "rootlesskit-b", 0700, "creating a directory under /tmp");
  try {
    for (size_t i = 0; i < dirs.size(); ++i) {
      copy_up_one(targets[i], bind0);
      copied.push_back(clean_path(dirs[i]));
    }
  } catch (...) {
    ::rmdir(bind0.c_str());
    throw;
  }
  ::rmdir(bind0.c_str());
  return copied;
}

}  // namespace rootlesskit::copyup

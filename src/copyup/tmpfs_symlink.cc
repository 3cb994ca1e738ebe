// The tmpfs+symlink copy-up algorithm. Unlike upstream, the tmpfs keeps the original directory's
// mode instead of 1777 (docs/compatibility.md, Mounts); everything else is the same, because
// scripts such as dockerd-rootless.sh rely on the symlink layout.
#include "copyup/tmpfs_symlink.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "common/error.h"
#include "common/fs.h"
#include "common/strings.h"

namespace rootlesskit::copyup {
namespace {

std::vector<std::string> list_entries(const std::string& dir) {
  auto names = read_directory(dir);
  if (!names) {
    throw errno_error("failed to read " + dir);
  }
  return *names;
}

void link_entries(const std::string& dir, const std::string& ro_dir) {
  const std::string ro_name = ro_dir.substr(ro_dir.rfind('/') + 1);
  for (const auto& name : list_entries(ro_dir)) {
    std::string source = ro_dir + "/" + name;
    std::string target = ro_name + "/" + name;
    struct stat st {};
    if (::lstat(source.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
      std::error_code ec;
      target = std::filesystem::read_symlink(source, ec).string();
      if (ec) {
        throw Error("failed to read symlink " + source + ": " + errno_text(ec.value()));
      }
    }
    std::string link = dir + "/" + name;
    std::error_code ec;
    std::filesystem::remove_all(link, ec);  // the fresh tmpfs may already hold e.g. mtab (upstream #45)
    if (::symlink(target.c_str(), link.c_str()) != 0) {
      throw errno_error("failed to create symlink " + link);
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
  std::string bind1 = make_temp_dir(dir, ".ro", 0700, "failed to create a directory under " + dir);
  if (::mount(bind0.c_str(), bind1.c_str(), nullptr, MS_MOVE, nullptr) != 0) {
    throw errno_error("failed to move mount point from " + bind0 + " to " + bind1);
  }
  link_entries(dir, bind1);
}

}  // namespace

std::vector<std::string> copy_up(const std::vector<std::string>& dirs) {
  std::vector<std::string> copied;
  if (dirs.empty()) {
    return copied;
  }
  for (const auto& raw : dirs) {
    if (clean_path(raw) == "/tmp") {
      throw Error("/tmp cannot be copied up");
    }
  }
  std::string bind0 = make_temp_dir("/tmp", "rootlesskit-b", 0700, "creating a directory under /tmp");
  try {
    for (const auto& raw : dirs) {
      std::string dir = clean_path(raw);
      copy_up_one(dir, bind0);
      copied.push_back(dir);
    }
  } catch (...) {
    ::rmdir(bind0.c_str());
    throw;
  }
  ::rmdir(bind0.c_str());
  return copied;
}

}  // namespace rootlesskit::copyup

// Generation and bind-mounting of the namespace's hosts and resolv.conf.
#include "child/etc_files.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <filesystem>

#include "common/error.h"
#include "common/fs.h"
#include "common/log.h"

namespace rootlesskit::child {
namespace {

constexpr const char* copy_up_warning =
    "Mounting /etc/resolv.conf without copying-up /etc. Note that /etc/resolv.conf in the namespace will be "
    "unmounted when it is recreated on the host. Unless /etc/resolv.conf is statically configured, copying-up "
    "/etc is highly recommended. Please refer to RootlessKit documentation for further information.";

std::string read_file_or_empty(const std::string& path) { return read_file(path).value_or(""); }

std::string current_hostname() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0) {
    throw errno_error("failed to get the hostname");
  }
  return name;
}

// The copied-up /etc/X is a symlink into the host's /etc: a bind mount would follow it onto the
// host file, so it becomes an empty regular file of the namespace's tmpfs first.
void replace_symlink_by_empty_file(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) {
    throw Error("failed to remove " + path + ": " + errno_text(ec.value()));
  }
  write_file(path, "", 0644);
}

// Not named bind(): with <functional> included, the call below would pick std::bind by argument-
// dependent lookup (exact match for the string literal) and mount nothing.
void bind_mount(const std::string& source, const std::string& target) {
  if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0) {
    throw errno_error("failed to create bind mount " + target + " for " + source);
  }
}

}  // namespace

std::string hosts_content(const std::string& etc_hosts, const std::string& hostname) {
  return etc_hosts + "\n127.0.0.1 " + hostname + "\n::1 " + hostname + "\n";
}

std::string resolv_conf_content(const std::vector<std::string>& dns) {
  std::string out;
  for (const auto& server : dns) {
    out += "nameserver " + server + "\n";
  }
  return out;
}

void setup_etc_files(const EtcFiles& r) {
  const std::string hosts = r.state_dir + "/hosts";
  const std::string resolv_conf = r.state_dir + "/resolv.conf";
  write_file(hosts, hosts_content(read_file_or_empty("/etc/hosts"), current_hostname()), 0644);
  write_file(resolv_conf, resolv_conf_content(r.dns), 0644);
  if (r.detached) {
    return;  // COMMAND runs in the host's netns: it keeps the host's /etc
  }
  if (r.etc_copied_up) {
    replace_symlink_by_empty_file("/etc/resolv.conf");
    replace_symlink_by_empty_file("/etc/hosts");
  } else {
    log::warn("{}", copy_up_warning);
  }
  bind_mount(resolv_conf, "/etc/resolv.conf");
  bind_mount(hosts, "/etc/hosts");
}

}  // namespace rootlesskit::child

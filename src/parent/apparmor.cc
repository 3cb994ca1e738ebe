// The AppArmor hint for Ubuntu's userns restriction, worded as upstream's (pkg/parent/warn.go);
// docs/process.md.
#include "parent/apparmor.h"

#include <filesystem>

#include "common/fs.h"
#include "common/log.h"
#include "common/strings.h"

namespace rootlesskit::parent {

std::string apparmor_userns_hint(const std::string& exe) {
  std::string profile = exe.substr(exe.find_first_not_of('/'));
  for (char& c : profile) {
    if (c == '/') {
      c = '.';
    }
  }
  return "Hint: try running the following commands:\n"
         "\n########## BEGIN ##########\n"
         "cat <<EOT | sudo tee \"/etc/apparmor.d/" +
         profile +
         "\"\n"
         "abi <abi/4.0>,\n"
         "include <tunables/global>\n"
         "\n" +
         exe +
         " flags=(unconfined) {\n"
         "  userns,\n"
         "\n"
         "  include if exists <local/" +
         profile +
         ">\n"
         "}\n"
         "EOT\n"
         "sudo systemctl restart apparmor.service\n"
         "########## END ##########\n";
}

void warn_if_apparmor_restricts_userns() {
  std::string value = read_file("/proc/sys/kernel/apparmor_restrict_unprivileged_userns").value_or("");
  if (trim_space(value) != "1") {
    return;
  }
  std::error_code ec;
  std::string exe = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  log::warn(
      "This error might have happened because /proc/sys/kernel/apparmor_restrict_unprivileged_userns is set to 1");
  log::info("{}", apparmor_userns_hint(ec ? std::string("/usr/local/bin/rootlesskit") : exe));
}

}  // namespace rootlesskit::parent

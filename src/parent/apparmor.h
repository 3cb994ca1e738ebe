// Ubuntu >= 23.10 restricts unprivileged user namespaces through AppArmor
// (kernel.apparmor_restrict_unprivileged_userns=1): starting the child then fails with EACCES.
// Like upstream, we then say why and print the profile that allows it. Runs in the parent.
#pragma once

#include <string>

namespace rootlesskit::parent {

// The commands that install an AppArmor profile letting `exe` create user namespaces.
std::string apparmor_userns_hint(const std::string& exe);

// If the sysctl is set, logs upstream's warning and the hint for this executable.
void warn_if_apparmor_restricts_userns();

}  // namespace rootlesskit::parent

// The parent stage's first step: refuse to start, with the command that fixes it, when the
// kernel does not let this user create user namespaces (as k3s's validateSysctl does).
#pragma once

namespace embed {

// Throws rootlesskit::Error naming the sysctl and the `sudo sysctl -w` that fixes it, for
// kernel.unprivileged_userns_clone = 0 (Debian's patch) or user.max_user_namespaces = 0. A
// sysctl this kernel does not have is not checked.
void check_sysctls();

}  // namespace embed

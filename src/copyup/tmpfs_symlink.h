// --copy-up with mode tmpfs+symlink (docs/mount.md): each directory D becomes a writable tmpfs
// whose entries are symlinks into a bind mount of the original D. Runs in the child, in its
// mount ns.
#pragma once

#include <string>
#include <vector>

namespace rootlesskit::copyup {

// Copies up every directory in order; returns the cleaned paths that were copied.
// Throws Error with upstream's texts ("/tmp cannot be copied up", "failed to create bind mount on ...").
std::vector<std::string> copy_up(const std::vector<std::string>& dirs);

}  // namespace rootlesskit::copyup

// --copy-up with mode tmpfs+symlink (docs/mount.md): each directory D becomes a writable tmpfs
// whose entries are symlinks into a bind mount of the original D. Runs in the child, in its
// mount ns.
#pragma once

#include <string>
#include <vector>

namespace rootlesskit::copyup {

// Why "/" is refused (the CLI checks it up front too): a tmpfs on / would hide /tmp, where the
// original is bind-mounted meanwhile, and everything else; upstream fails with `mkdir //.ro...`
// and leaves /tmp/rootlesskit-bNNN behind.
inline constexpr const char* root_refusal =
    "/ cannot be copied up: copy up the directories that must be writable instead (e.g. --copy-up=/etc)";

// Copies up every directory in order; returns the cleaned paths that were copied. "/" and
// "/tmp" (also reached through a symlink) are refused before anything is made. Throws Error with
// upstream's texts ("/tmp cannot be copied up", "failed to create bind mount on ...").
std::vector<std::string> copy_up(const std::vector<std::string>& dirs);

}  // namespace rootlesskit::copyup

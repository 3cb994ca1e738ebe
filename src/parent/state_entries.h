// What may be in a state directory, and the checks that keep rootlesskit from emptying a
// directory that is not a state directory (docs/security.md, State directory). Runs in the
// parent, on the host; every operation is relative to a directory fd and never follows a symlink.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace rootlesskit::parent {

// True if an entry called `name` with file type `type` (the S_IFMT bits of st_mode) is one that
// rootlesskit creates in its state directory: ours (lock, child_pid, api.sock, netns, hosts,
// resolv.conf, .s4nn.sock, pasta.pid, vpnkit-ethernet.sock) or upstream's, so that a directory
// left by a killed upstream run is reused too (.bp.sock, .bp-ready.pipe, gvisortapvsock/).
bool is_state_entry(std::string_view name, mode_t type);

// What check_state_dir compares the directory with.
struct StateDirContext {
  uid_t euid = 0;
  std::optional<struct stat> root;  // stat("/")
  std::optional<struct stat> home;  // stat($HOME), if HOME is set and exists
};

// Throws Error (a refusal that says what to do) unless the directory `path`, whose status is
// `st`, may be a state directory: not "/" and not the home directory (compared by inode, so a
// symlink does not get past), owned by `c.euid`, not writable by group or others.
void check_state_dir(const std::string& path, const struct stat& st, const StateDirContext& c);

// The first entry (in readdir order) of the directory open at `dir_fd` that rootlesskit did not
// create: a name or type is_state_entry refuses, an entry owned by another uid than `euid`, or
// a gvisortapvsock/ holding anything but tap.sock. nullopt if there is none. Throws Error if the
// directory cannot be read.
std::optional<std::string> find_foreign_entry(int dir_fd, uid_t euid);

// Removes every state entry of the directory open at `dir_fd` (as find_foreign_entry judges
// them) except `keep`, with unlinkat, never following a symlink. Returns the first entry that
// is not ours and was left alone, if any. Throws Error "failed to remove <dir>/<name>: ..." if an
// entry of ours cannot be removed.
std::optional<std::string> remove_state_entries(int dir_fd, uid_t euid, std::string_view keep,
                                                const std::string& dir_for_messages);

}  // namespace rootlesskit::parent

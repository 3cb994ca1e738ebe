// The state directory (docs/compatibility.md, State directory; docs/security.md): created or
// cleaned at start, locked for the parent's lifetime, emptied of our files and removed on every
// exit path. Runs in the parent, on the host. The directory is resolved once; every later
// operation is relative to its fd, so a symlink swapped in cannot redirect a removal.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <utility>

#include "common/fd.h"

namespace rootlesskit::parent {

class StateDir {
 public:
  // `requested` empty: mkdir $TMPDIR/rootlesskit<digits> (0700). Otherwise made absolute and
  // created if missing (`mkdir -p`: parents 0755, the directory itself 0700). A directory that is
  // "/" or $HOME, not ours, writable by group or others, or holds anything rootlesskit did not
  // create is refused before anything in it is touched; otherwise it is narrowed to 0700,
  // `lock` is taken (exclusive, non-blocking) and the stale state files of a killed run are
  // removed. Throws Error (upstream's texts where upstream has one).
  static StateDir open(const std::string& requested);

  StateDir(StateDir&& other) noexcept
      : m_path(std::exchange(other.m_path, {})),
        m_name(std::move(other.m_name)),
        m_parent(std::move(other.m_parent)),
        m_dir(std::move(other.m_dir)),
        m_lock(std::move(other.m_lock)),
        m_keep_dir(other.m_keep_dir) {}
  StateDir& operator=(StateDir&&) = delete;
  // Removes our entries (lock last) and then the directory itself; anything else found in it
  // is left, with the directory, and a warning names it.
  ~StateDir();

  // The absolute path as given (a symlink in it is kept): ROOTLESSKIT_STATE_DIR, API stateDir.
  const std::string& path() const { return m_path; }
  std::string file(std::string_view name) const { return m_path + "/" + std::string(name); }

  // Creates `name` in the directory afresh (an old entry is removed first) with exactly `mode`,
  // whatever the umask, and writes `content`. Throws Error "open <path>: ..." and the like.
  void write_file(std::string_view name, std::string_view content, unsigned mode) const;

 private:
  StateDir() = default;
  void resolve(bool created);
  void open_once(uid_t euid);
  void lock_and_clean();
  void remove();

  std::string m_path;
  std::string m_name;       // the directory's name in m_parent (after resolving a symlink)
  Fd m_parent;              // O_PATH of the directory holding it: the final rmdir is relative to it
  Fd m_dir;                 // LOCK_SH on the directory keeps systemd-tmpfiles away (upstream #185)
  Fd m_lock;                // LOCK_EX on `lock`
  bool m_keep_dir = false;  // reached through a symlink: emptied at exit but kept, for the link
};

}  // namespace rootlesskit::parent

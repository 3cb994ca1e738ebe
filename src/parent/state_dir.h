// The state directory (docs/compatibility.md, State directory): created or emptied at start,
// locked for the parent's lifetime, removed on every exit path. Runs in the parent, on the host.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "common/fd.h"

namespace rootlesskit::parent {

class StateDir {
 public:
  // `requested` empty: mkdir $TMPDIR/rootlesskit<digits> (0700). Otherwise made absolute,
  // `mkdir -p` 0755, refused if it is "/", $HOME or not ours, then `lock` is taken (exclusive,
  // non-blocking) and everything else in it deleted. Throws Error with upstream's texts.
  static StateDir open(const std::string& requested);

  StateDir(StateDir&& other) noexcept
      : m_path(std::exchange(other.m_path, {})), m_dir(std::move(other.m_dir)), m_lock(std::move(other.m_lock)) {}
  StateDir& operator=(StateDir&&) = delete;
  ~StateDir();

  const std::string& path() const { return m_path; }
  std::string file(std::string_view name) const { return m_path + "/" + std::string(name); }

 private:
  StateDir() = default;
  std::string m_path;
  Fd m_dir;   // LOCK_SH on the directory keeps systemd-tmpfiles away (upstream #185)
  Fd m_lock;  // LOCK_EX on `lock`
};

}  // namespace rootlesskit::parent

// Small filesystem helpers shared by the parent and the child: whole-file reads and writes on
// the Fd type (every open O_CLOEXEC), directory listings, temporary directories.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rootlesskit {

// mkdir "<parent>/<prefix><random decimal>" with `mode`, like Go's os.MkdirTemp (upstream's names
// are e.g. /tmp/rootlesskit3165736383 and /etc/.ro3505772871). Returns the path; throws Error
// "<what>: mkdir <path>: <errno text>".
std::string make_temp_dir(const std::string& parent, const std::string& prefix, unsigned mode, std::string_view what);

// The whole content of `path`, or nullopt if it cannot be opened or read (errno then says why).
// Files under /proc and /sys, and configuration files whose absence has a meaning of its own.
std::optional<std::string> read_file(const std::string& path);

// Creates `path` afresh (any old file is removed first) with exactly `mode`, writes `content`.
// Throws Error "open <path>: ..." / "write: ..." / "chmod <path>: ...".
void write_file(const std::string& path, std::string_view content, unsigned mode);

// Writes `content` into an existing file (no O_CREAT, no O_TRUNC): kernel control files such as
// cgroup.procs, where each write(2) is one request. Throws Error "write <path>: <errno text>".
void write_existing_file(const std::string& path, std::string_view content);

// The names in directory `path` ("." and ".." left out), or nullopt if it cannot be read (errno
// then says why).
std::optional<std::vector<std::string>> read_directory(const std::string& path);

}  // namespace rootlesskit

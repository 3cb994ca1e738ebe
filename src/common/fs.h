// Small filesystem helpers shared by the parent and the child.
#pragma once

#include <string>
#include <string_view>

namespace rootlesskit {

// mkdir "<parent>/<prefix><random decimal>" with `mode`, like Go's os.MkdirTemp (upstream's names
// are e.g. /tmp/rootlesskit3165736383 and /etc/.ro3505772871). Returns the path; throws Error
// "<what>: mkdir <path>: <errno text>".
std::string make_temp_dir(const std::string& parent, const std::string& prefix, unsigned mode,
                          std::string_view what);

// Creates `path` afresh (any old file is removed first) with exactly `mode`, writes `content`.
void write_file(const std::string& path, std::string_view content, unsigned mode);

}  // namespace rootlesskit

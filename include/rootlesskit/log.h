// The library's log lines (logrus-shaped, on stderr, tagged "[rootlesskit:<role>]" like
// upstream v2+): what an embedder chooses. Each process calls init() once, before parent::run()
// or child::run(); without it lines are tagged "parent" and debug lines are dropped.
#pragma once

#include <string_view>

namespace rootlesskit::log {

// role: "parent" or "child " (the child's tag is padded to 6, as upstream's). debug: also emit
// debug lines (the CLI's --debug).
void init(std::string_view role, bool debug);

}  // namespace rootlesskit::log

// Warnings the parent prints before it starts anything (upstream pkg/parent/warn.go): running as
// root, userns sysctls, and a propagation mode the host root mount cannot honour. Runs in the
// parent, on the host.
#pragma once

#include <string>

namespace rootlesskit::parent {

void warn_about_environment(const std::string& propagation);

// The optional fields of the "/" line of a mountinfo text ("shared:1 master:2"), "" if none.
std::string root_propagation_fields(const std::string& mountinfo);

}  // namespace rootlesskit::parent

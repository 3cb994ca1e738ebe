// Error helpers: the Error type itself is public (rootlesskit/error.h); here are the Go-style
// errno texts every layer uses to build its messages.
#pragma once

#include "rootlesskit/error.h"

#include <string>
#include <string_view>

namespace rootlesskit {

// Go-style text of an errno value: strerror(3) with a lowercase first letter
// ("no such file or directory"), which is how upstream's messages read.
std::string errno_text(int err);

// Error "<what>: <errno_text(err)>".
Error errno_error(std::string_view what, int err);
Error errno_error(std::string_view what);  // uses the current errno

}  // namespace rootlesskit

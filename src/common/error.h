// Error: the one exception type of the library. Messages chain like Go's `%w` wrapping
// ("failed to setup UID/GID map: newuidmap ... failed: ...") and are printed once by main().
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace rootlesskit {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, int exit_code = 1)
      : std::runtime_error(message), m_exit_code(exit_code) {}

  // The process exit code this error maps to (1 unless a child's status is passed through).
  int exit_code() const { return m_exit_code; }

  // Returns "<context>: <this message>" keeping the exit code.
  Error wrap(std::string_view context) const;

 private:
  int m_exit_code;
};

// Go-style text of an errno value: strerror(3) with a lowercase first letter
// ("no such file or directory"), which is how upstream's messages read.
std::string errno_text(int err);

// Error "<what>: <errno_text(err)>".
Error errno_error(std::string_view what, int err);
Error errno_error(std::string_view what);  // uses the current errno

}  // namespace rootlesskit

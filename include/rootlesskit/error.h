// rootlesskit::Error: the one exception type of the library. Messages chain like Go's `%w`
// wrapping ("failed to setup UID/GID map: newuidmap ... failed: ...") and carry the exit code the
// process should end with (the command's own code when it is passed through).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace rootlesskit {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, int exit_code = 1) : std::runtime_error(message), m_exit_code(exit_code) {}

  // The process exit code this error maps to (1 unless a child's status is passed through).
  int exit_code() const { return m_exit_code; }

  // Returns "<context>: <this message>" keeping the exit code.
  Error wrap(std::string_view context) const {
    std::string message(context);
    message += ": ";
    message += what();
    return Error(message, m_exit_code);
  }

 private:
  int m_exit_code;
};

}  // namespace rootlesskit

// Error wrapping and Go-compatible errno texts.
#include "common/error.h"

#include <cctype>
#include <cerrno>
#include <cstring>

namespace rootlesskit {

std::string errno_text(int err) {
  std::string text = std::strerror(err);
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

Error errno_error(std::string_view what, int err) {
  std::string message(what);
  message += ": ";
  message += errno_text(err);
  return Error(message);
}

Error errno_error(std::string_view what) { return errno_error(what, errno); }

}  // namespace rootlesskit

// Shared by the libFuzzer targets in tests/fuzz (built and run by scripts/fuzz.sh and the test
// command): property checks that abort, so that libFuzzer records the input as a crash, and the
// rule that a parser may throw rootlesskit::Error (with a message) and nothing else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace rootlesskit::fuzz {

[[noreturn]] inline void property_failed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: property failed: %s\n", file, line, what);
  std::abort();
}

// FUZZ_CHECK(cond): a property of the code under test; false is a crash.
#define FUZZ_CHECK(cond)                                               \
  do {                                                                 \
    if (!(cond)) {                                                     \
      ::rootlesskit::fuzz::property_failed(#cond, __FILE__, __LINE__); \
    }                                                                  \
  } while (false)

// Runs `f`: true if it returned. A rootlesskit::Error (the parsers' documented failure) gives
// false and must say something; any other exception is not caught, so it ends the run through
// std::terminate, which libFuzzer reports as a crash.
template <typename F>
bool succeeds(F&& f) {
  try {
    f();
    return true;
  } catch (const Error& e) {
    FUZZ_CHECK(e.what()[0] != '\0');
    return false;
  }
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits on NUL bytes, as the kernel hands argv to a program: "a\0b" -> {"a", "b"}, "" -> {}.
inline std::vector<std::string> split_nul(std::string_view input) {
  std::vector<std::string> out;
  if (input.empty()) {
    return out;
  }
  size_t start = 0;
  while (true) {
    size_t nul = input.find('\0', start);
    out.emplace_back(input.substr(start, nul == std::string_view::npos ? std::string_view::npos : nul - start));
    if (nul == std::string_view::npos) {
      return out;
    }
    start = nul + 1;
  }
}

}  // namespace rootlesskit::fuzz

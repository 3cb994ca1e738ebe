// ceil(3) for the rootlesskit program (cmake/BuildFlags.cmake, rootlesskit_fast_start): fmt's
// floating-point formatting is the only caller of libm in the whole program, and libm.so would
// cost each process ~330 kB of mapped pages and one more library to load at every start. Not
// part of the library, so no embedding program gets it. Same results as glibc's.
#include <cmath>

namespace {
// From here on every double is an integer.
constexpr double exact_integers_from = 4503599627370496.0;  // 2^52
}  // namespace

extern "C" double ceil(double x) noexcept {
  if (!(std::fabs(x) < exact_integers_from)) {
    return x;  // integral already, or inf or NaN
  }
  double truncated = static_cast<double>(static_cast<long long>(x));
  if (truncated < x) {
    truncated += 1.0;
  }
  return std::copysign(truncated, x);  // ceil(-0.5) is -0.0
}

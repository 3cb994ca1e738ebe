// tools/rootlesskit/ceil.cc, which stands in for libm's ceil() in the rootlesskit program: the
// results glibc gives, signed zeros, infinities and NaN included.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

extern "C" double ceil(double x) noexcept;

namespace {

void expect_same_bits(double want, double got) {
  EXPECT_EQ(want, got);
  EXPECT_EQ(std::signbit(want), std::signbit(got)) << want << " vs " << got;
}

TEST(Ceil, RoundsUpTowardsPositiveInfinity) {
  expect_same_bits(1.0, ceil(0.5));
  expect_same_bits(3.0, ceil(2.000001));
  expect_same_bits(2.0, ceil(2.0));
  expect_same_bits(-1.0, ceil(-1.5));
  expect_same_bits(-2.0, ceil(-2.0));
  expect_same_bits(1.0, ceil(std::numeric_limits<double>::denorm_min()));
}

TEST(Ceil, KeepsTheSignOfZero) {
  expect_same_bits(-0.0, ceil(-0.5));
  expect_same_bits(-0.0, ceil(-0.0));
  expect_same_bits(0.0, ceil(0.0));
}

TEST(Ceil, LeavesLargeAndSpecialValuesAlone) {
  expect_same_bits(4503599627370497.0, ceil(4503599627370497.0));
  expect_same_bits(-9007199254740993.0, ceil(-9007199254740993.0));
  expect_same_bits(1e300, ceil(1e300));
  expect_same_bits(std::numeric_limits<double>::infinity(), ceil(std::numeric_limits<double>::infinity()));
  expect_same_bits(-std::numeric_limits<double>::infinity(), ceil(-std::numeric_limits<double>::infinity()));
  EXPECT_TRUE(std::isnan(ceil(std::numeric_limits<double>::quiet_NaN())));
}

TEST(Ceil, JustBelowTwoToThe52) {
  expect_same_bits(4503599627370495.0, ceil(4503599627370494.5));
  expect_same_bits(-4503599627370494.0, ceil(-4503599627370494.5));
}

}  // namespace

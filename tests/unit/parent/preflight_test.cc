// Parsing the host root's propagation from mountinfo.
#include "parent/preflight.h"

#include <gtest/gtest.h>

namespace rootlesskit::parent {
namespace {

TEST(Preflight, RootPropagationFields) {
  std::string info =
      "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
      "23 22 0:5 / /proc rw - proc proc rw\n";
  EXPECT_EQ(root_propagation_fields(info), "shared:1");
  EXPECT_EQ(root_propagation_fields("22 1 8:1 / / rw master:363 - ext4 /dev/vda rw\n"), "master:363");
  EXPECT_EQ(root_propagation_fields("22 1 8:1 / / rw - ext4 /dev/vda rw\n"), "");
}

}  // namespace
}  // namespace rootlesskit::parent

// Whole-file reads and writes and directory listings on the Fd type.
#include "common/fs.h"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>

#include "common/error.h"
#include "common/fd.h"

namespace rootlesskit {
namespace {

class FsTest : public ::testing::Test {
 protected:
  void SetUp() override { m_dir = make_temp_dir("/tmp", "rk-fs-test", 0700, "test"); }
  void TearDown() override { std::filesystem::remove_all(m_dir); }
  std::string m_dir;
};

TEST_F(FsTest, ReadFileReturnsTheWholeContentOrNothing) {
  std::string big(100000, 'x');
  write_file(m_dir + "/f", big, 0600);
  EXPECT_EQ(read_file(m_dir + "/f"), big);
  errno = 0;
  EXPECT_EQ(read_file(m_dir + "/missing"), std::nullopt);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_EQ(read_file(m_dir), std::nullopt);  // a directory: read(2) fails with EISDIR
}

TEST_F(FsTest, WriteExistingFileNeitherCreatesNorTruncates) {
  try {
    write_existing_file(m_dir + "/missing", "x");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "write " + m_dir + "/missing: no such file or directory");
  }
  write_file(m_dir + "/f", "abcdef", 0600);
  write_existing_file(m_dir + "/f", "XY");
  EXPECT_EQ(read_file(m_dir + "/f"), "XYcdef");
}

// Go's *PathError shape, so that a full disk names the file: "write /x/child_pid: no space ...".
TEST_F(FsTest, WriteErrorsNameWhatWasWritten) {
  Fd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
  ASSERT_TRUE(full) << "no /dev/full";
  try {
    write_all(full.get(), "x", 1, "write /dev/full");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "write /dev/full: no space left on device");
  }
  try {
    write_all(full.get(), "x", 1);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "write: no space left on device");
  }
}

TEST_F(FsTest, ReadDirectoryListsNamesWithoutDots) {
  write_file(m_dir + "/a", "", 0600);
  std::filesystem::create_directory(m_dir + "/b");
  auto names = read_directory(m_dir);
  ASSERT_TRUE(names);
  std::sort(names->begin(), names->end());
  EXPECT_EQ(*names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(read_directory(m_dir + "/a"), std::nullopt);
}

}  // namespace
}  // namespace rootlesskit

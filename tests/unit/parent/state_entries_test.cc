// What counts as a state directory entry of ours, the refusal checks (including those that can
// only be tried safely on a made-up stat: "/", another user's directory), and the removal of
// exactly our entries.
#include "parent/state_entries.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/fd.h"
#include "temp_tree.h"

namespace rootlesskit::parent {
namespace {

using testing::exists;
using testing::make_file;
using testing::make_socket;
using testing::TempDir;

TEST(StateEntries, KnownNamesWithTheirTypes) {
  EXPECT_TRUE(is_state_entry("lock", S_IFREG));
  EXPECT_TRUE(is_state_entry("child_pid", S_IFREG));
  EXPECT_TRUE(is_state_entry("api.sock", S_IFSOCK));
  EXPECT_TRUE(is_state_entry("netns", S_IFREG));
  EXPECT_TRUE(is_state_entry("hosts", S_IFREG));
  EXPECT_TRUE(is_state_entry("resolv.conf", S_IFREG));
  EXPECT_TRUE(is_state_entry(".s4nn.sock", S_IFSOCK));
  EXPECT_TRUE(is_state_entry("pasta.pid", S_IFREG));
  EXPECT_TRUE(is_state_entry("vpnkit-ethernet.sock", S_IFSOCK));
  EXPECT_TRUE(is_state_entry(".bp.sock", S_IFSOCK));
  EXPECT_TRUE(is_state_entry(".bp-ready.pipe", S_IFIFO));
  EXPECT_TRUE(is_state_entry("gvisortapvsock", S_IFDIR));
  // Right name, wrong type: not something rootlesskit made.
  EXPECT_FALSE(is_state_entry("hosts", S_IFDIR));
  EXPECT_FALSE(is_state_entry("child_pid", S_IFLNK));
  EXPECT_FALSE(is_state_entry("api.sock", S_IFREG));
  EXPECT_FALSE(is_state_entry("lock", S_IFLNK));
  EXPECT_FALSE(is_state_entry("notes.txt", S_IFREG));
  EXPECT_FALSE(is_state_entry(".bashrc", S_IFREG));
  EXPECT_FALSE(is_state_entry("", S_IFREG));
}

struct stat dir_stat(dev_t dev, ino_t ino, uid_t uid, mode_t mode) {
  struct stat st {};
  st.st_dev = dev;
  st.st_ino = ino;
  st.st_uid = uid;
  st.st_mode = S_IFDIR | mode;
  return st;
}

std::string refusal(const std::string& path, const struct stat& st, const StateDirContext& c) {
  try {
    check_state_dir(path, st, c);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(StateEntries, CheckStateDir) {
  StateDirContext c;
  c.euid = 1000;
  c.root = dir_stat(1, 2, 0, 0755);
  c.home = dir_stat(1, 77, 1000, 0700);
  EXPECT_EQ(refusal("/x", dir_stat(1, 5, 1000, 0700), c), "");
  EXPECT_EQ(refusal("/x", dir_stat(1, 5, 1000, 0755), c), "");  // upstream makes 0755
  // "/" and $HOME by inode, whatever path (a symlink) led there.
  EXPECT_EQ(refusal("/run/user/1000/hl", dir_stat(1, 77, 1000, 0700), c),
            "refusing to use /run/user/1000/hl as the state directory: it is the home directory; pass a dedicated "
            "directory to --state-dir");
  EXPECT_EQ(refusal("/link", dir_stat(1, 2, 0, 0755), c),
            "refusing to use /link as the state directory: it is the root directory; pass a dedicated directory to "
            "--state-dir");
  EXPECT_EQ(refusal("/etc", dir_stat(1, 9, 0, 0755), c),
            "refusing to use /etc as the state directory: it is owned by uid 0, not by the current user (uid 1000); "
            "pass a directory of your own to --state-dir");
  EXPECT_EQ(refusal("/x", dir_stat(1, 5, 1000, 0775), c),
            "refusing to use /x as the state directory: other users can write to it (mode 0775) and so replace "
            "child_pid or api.sock; run `chmod go-w /x` or pass another directory");
  EXPECT_NE(refusal("/x", dir_stat(1, 5, 1000, 0702), c), "");
  EXPECT_NE(refusal("/x", dir_stat(1, 5, 1000, 01777), c), "");
  struct stat file = dir_stat(1, 5, 1000, 0600);
  file.st_mode = S_IFREG | 0600;
  EXPECT_EQ(refusal("/x", file, c), "state dir /x is not a directory");
  // No HOME: nothing to compare with.
  c.home.reset();
  EXPECT_EQ(refusal("/x", dir_stat(1, 77, 1000, 0700), c), "");
}

Fd open_dir(const std::string& path) { return Fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)); }

TEST(StateEntries, FindsTheFirstForeignEntry) {
  TempDir t;
  make_file(t / "lock");
  make_file(t / "child_pid", "42");
  make_socket(t / "api.sock");
  make_socket(t / ".s4nn.sock");
  ASSERT_EQ(::mkfifo((t / ".bp-ready.pipe").c_str(), 0600), 0);
  ASSERT_EQ(::mkdir((t / "gvisortapvsock").c_str(), 0700), 0);
  make_socket(t / "gvisortapvsock/tap.sock");
  Fd dir = open_dir(t.path());
  EXPECT_EQ(find_foreign_entry(dir.get(), ::geteuid()), std::nullopt);
  EXPECT_EQ(find_foreign_entry(dir.get(), ::geteuid() + 1), ".bp-ready.pipe");  // first by name; not ours
  make_file(t / "gvisortapvsock/other");
  EXPECT_EQ(find_foreign_entry(dir.get(), ::geteuid()), "gvisortapvsock");
  ::unlink((t / "gvisortapvsock/other").c_str());
  make_file(t / "zz-notes.txt", "keep");
  make_file(t / "b-notes.txt", "keep");
  EXPECT_EQ(find_foreign_entry(dir.get(), ::geteuid()), "b-notes.txt");
}

TEST(StateEntries, AnOwnNameOfAnotherTypeIsForeign) {
  TempDir t;
  ASSERT_EQ(::mkdir((t / "hosts").c_str(), 0700), 0);
  Fd dir = open_dir(t.path());
  EXPECT_EQ(find_foreign_entry(dir.get(), ::geteuid()), "hosts");
  TempDir u;
  ASSERT_EQ(::symlink("/etc/passwd", (u / "child_pid").c_str()), 0);
  Fd dir2 = open_dir(u.path());
  EXPECT_EQ(find_foreign_entry(dir2.get(), ::geteuid()), "child_pid");
}

TEST(StateEntries, RemovesOnlyOurEntries) {
  TempDir t;
  TempDir elsewhere;
  make_file(elsewhere / "canary", "keep");
  make_file(t / "lock");
  make_file(t / "child_pid", "42");
  make_file(t / "hosts", "127.0.0.1 localhost\n");
  make_socket(t / "api.sock");
  ASSERT_EQ(::mkdir((t / "gvisortapvsock").c_str(), 0700), 0);
  make_socket(t / "gvisortapvsock/tap.sock");
  ASSERT_EQ(::symlink((elsewhere / "canary").c_str(), (t / "resolv.conf").c_str()), 0);
  make_file(t / "notes.txt", "keep");
  Fd dir = open_dir(t.path());
  EXPECT_EQ(remove_state_entries(dir.get(), ::geteuid(), "lock", t.path()), "notes.txt");
  EXPECT_TRUE(exists(t / "lock"));
  EXPECT_FALSE(exists(t / "child_pid"));
  EXPECT_FALSE(exists(t / "hosts"));
  EXPECT_FALSE(exists(t / "api.sock"));
  EXPECT_FALSE(exists(t / "gvisortapvsock"));
  EXPECT_TRUE(exists(t / "resolv.conf"));  // a symlink is not ours: left, and its target too
  EXPECT_TRUE(exists(elsewhere / "canary"));
  EXPECT_TRUE(exists(t / "notes.txt"));
  ::unlink((t / "resolv.conf").c_str());
  ::unlink((t / "notes.txt").c_str());
  EXPECT_EQ(remove_state_entries(dir.get(), ::geteuid(), "", t.path()), std::nullopt);
  EXPECT_FALSE(exists(t / "lock"));
}

}  // namespace
}  // namespace rootlesskit::parent

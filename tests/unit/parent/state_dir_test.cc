// StateDir on real directories, all under a private temp dir (HOME and TMPDIR point there too):
// modes whatever the umask, reuse of a killed run's directory, refusals that touch nothing, and
// a removal at exit that leaves what rootlesskit did not create.
#include "parent/state_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "common/error.h"
#include "temp_tree.h"

namespace rootlesskit::parent {
namespace {

using testing::exists;
using testing::make_file;
using testing::make_socket;
using testing::mode_of;
using testing::ScopedEnv;
using testing::ScopedUmask;
using testing::TempDir;

std::string refusal(const std::string& path) {
  try {
    StateDir dir = StateDir::open(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string content(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Each test gets a scratch HOME with a canary, so that no check can reach the real one.
class StateDirTest : public ::testing::Test {
 protected:
  TempDir t;
  std::string home = t / "home";
  std::optional<ScopedEnv> home_env;
  void SetUp() override {
    ASSERT_EQ(::mkdir(home.c_str(), 0700), 0);
    make_file(home + "/canary", "keep");
    home_env.emplace("HOME", home);
  }
};

TEST_F(StateDirTest, CreatesTheDirectory0700AndItsParents0755WhateverTheUmask) {
  ScopedUmask umask(0);
  {
    StateDir dir = StateDir::open(t / "a/b/state");
    EXPECT_EQ(dir.path(), t / "a/b/state");
    EXPECT_EQ(mode_of(t / "a/b/state"), 0700u);
    EXPECT_EQ(mode_of(t / "a"), 0755u);
    EXPECT_EQ(mode_of(t / "a/b"), 0755u);
    EXPECT_EQ(mode_of(t / "a/b/state/lock"), 0600u);
    dir.write_file("child_pid", "42", 0444);
    EXPECT_EQ(mode_of(t / "a/b/state/child_pid"), 0444u);
    EXPECT_EQ(content(t / "a/b/state/child_pid"), "42");
  }
  EXPECT_FALSE(exists(t / "a/b/state"));
  EXPECT_TRUE(exists(t / "a/b"));  // as upstream: the parents stay
}

TEST_F(StateDirTest, TemporaryDirectoryIs0700) {
  ScopedUmask umask(0);
  ScopedEnv tmpdir("TMPDIR", t.path());
  std::string path;
  {
    StateDir dir = StateDir::open("");
    path = dir.path();
    EXPECT_EQ(path.rfind(t / "rootlesskit", 0), 0u) << path;
    EXPECT_EQ(mode_of(path), 0700u);
  }
  EXPECT_FALSE(exists(path));
}

TEST_F(StateDirTest, ATemporaryDirectoryTooLongForApiSockIsRemoved) {
  std::string tmp = t / std::string(100, 't');
  ASSERT_EQ(::mkdir(tmp.c_str(), 0700), 0);
  ScopedEnv tmpdir("TMPDIR", tmp);
  EXPECT_NE(refusal("").find("is too long"), std::string::npos);
  EXPECT_EQ(std::filesystem::is_empty(tmp), true);
}

TEST_F(StateDirTest, WriteFileModeIgnoresAStricterUmask) {
  ScopedUmask umask(077);
  StateDir dir = StateDir::open(t / "state");
  dir.write_file("child_pid", "1", 0444);
  dir.write_file("child_pid", "2", 0444);  // replaces the old one
  EXPECT_EQ(mode_of(t / "state/child_pid"), 0444u);
  EXPECT_EQ(content(t / "state/child_pid"), "2");
}

TEST_F(StateDirTest, ReusesAKilledRunsDirectory) {
  std::string s = t / "state";
  ASSERT_EQ(::mkdir(s.c_str(), 0755), 0);  // as upstream makes it
  make_file(s + "/lock");
  make_file(s + "/child_pid", "4242");
  make_file(s + "/hosts");
  make_file(s + "/resolv.conf");
  make_file(s + "/pasta.pid");
  make_file(s + "/netns");
  make_socket(s + "/api.sock");
  make_socket(s + "/.s4nn.sock");
  ASSERT_EQ(::mkfifo((s + "/.bp-ready.pipe").c_str(), 0600), 0);
  {
    StateDir dir = StateDir::open(s);
    EXPECT_EQ(mode_of(s), 0700u);
    EXPECT_TRUE(exists(s + "/lock"));
    for (const char* stale :
         {"child_pid", "hosts", "resolv.conf", "pasta.pid", "netns", "api.sock", ".s4nn.sock", ".bp-ready.pipe"}) {
      EXPECT_FALSE(exists(s + "/" + stale)) << stale;
    }
  }
  EXPECT_FALSE(exists(s));
}

TEST_F(StateDirTest, RefusesForeignContentAndTouchesNothing) {
  std::string s = t / "data";
  ASSERT_EQ(::mkdir(s.c_str(), 0700), 0);
  make_file(s + "/notes.txt", "precious");
  make_file(s + "/child_pid", "stale");  // ours by name: still not removed when refused
  EXPECT_EQ(refusal(s), "refusing to use " + s + " as the state directory: it holds \"notes.txt\", which rootlesskit " +
                            "did not create (a state directory is emptied at start and removed at exit); pass a new " +
                            "or empty directory to --state-dir");
  EXPECT_EQ(content(s + "/notes.txt"), "precious");
  EXPECT_EQ(content(s + "/child_pid"), "stale");
  EXPECT_FALSE(exists(s + "/lock"));
  EXPECT_EQ(mode_of(s), 0700u);
}

TEST_F(StateDirTest, RefusesTheHomeDirectoryAlsoThroughASymlink) {
  ASSERT_EQ(::symlink(home.c_str(), (t / "hl").c_str()), 0);
  EXPECT_EQ(refusal(t / "hl"), "refusing to use " + (t / "hl") +
                                   " as the state directory: it is the home directory; pass a dedicated directory to "
                                   "--state-dir");
  EXPECT_EQ(refusal(home), "refusing to use " + home +
                               " as the state directory: it is the home directory; pass a dedicated directory to "
                               "--state-dir");
  EXPECT_EQ(content(home + "/canary"), "keep");
  EXPECT_FALSE(exists(home + "/lock"));
  // An empty home is refused too (its emptiness says nothing about what it is).
  ::unlink((home + "/canary").c_str());
  EXPECT_NE(refusal(t / "hl"), "");
  EXPECT_FALSE(exists(home + "/lock"));
  EXPECT_TRUE(exists(home));
}

TEST_F(StateDirTest, RefusesADirectoryOthersCanWriteTo) {
  std::string s = t / "shared";
  ASSERT_EQ(::mkdir(s.c_str(), 0700), 0);
  ASSERT_EQ(::chmod(s.c_str(), 0775), 0);
  EXPECT_EQ(refusal(s), "refusing to use " + s + " as the state directory: other users can write to it (mode 0775) " +
                            "and so replace child_pid or api.sock; run `chmod go-w " + s +
                            "` or pass another directory");
  EXPECT_FALSE(exists(s + "/lock"));
  EXPECT_EQ(mode_of(s), 0775u);
}

TEST_F(StateDirTest, RefusesAFile) {
  make_file(t / "file", "x");
  EXPECT_EQ(refusal(t / "file"), "state dir " + (t / "file") + " is not a directory");
  EXPECT_EQ(content(t / "file"), "x");
}

TEST_F(StateDirTest, RefusesALongPathBeforeCreatingIt) {
  std::string s = t / std::string(120, 'd');
  EXPECT_NE(refusal(s).find("is too long"), std::string::npos);
  EXPECT_FALSE(exists(s));
}

TEST_F(StateDirTest, LeavesWhatAppearedMeanwhileAndSaysSo) {
  std::string s = t / "state";
  {
    StateDir dir = StateDir::open(s);
    dir.write_file("child_pid", "1", 0444);
    make_file(s + "/user-data", "keep");
  }
  EXPECT_TRUE(exists(s));
  EXPECT_EQ(content(s + "/user-data"), "keep");
  EXPECT_FALSE(exists(s + "/child_pid"));
  EXPECT_FALSE(exists(s + "/lock"));
}

TEST_F(StateDirTest, ASymlinkedDirectoryIsEmptiedAndKept) {
  ASSERT_EQ(::mkdir((t / "real").c_str(), 0700), 0);
  ASSERT_EQ(::symlink("real", (t / "link").c_str()), 0);
  {
    StateDir dir = StateDir::open(t / "link");
    EXPECT_EQ(dir.path(), t / "link");  // the path as given, as upstream reports it
    EXPECT_TRUE(exists(t / "real/lock"));
  }
  EXPECT_TRUE(exists(t / "link"));
  EXPECT_TRUE(exists(t / "real"));
  EXPECT_FALSE(exists(t / "real/lock"));
  // and the next run works through it again
  EXPECT_EQ(refusal(t / "link"), "");
}

TEST_F(StateDirTest, ASecondInstanceIsRefusedAndTheFirstKeepsItsFiles) {
  std::string s = t / "state";
  StateDir first = StateDir::open(s);
  first.write_file("child_pid", "42", 0444);
  EXPECT_EQ(refusal(s), "failed to lock " + s + "/lock, another RootlessKit is running with the same state directory?");
  EXPECT_EQ(content(s + "/child_pid"), "42");
  EXPECT_TRUE(exists(s + "/lock"));
}

}  // namespace
}  // namespace rootlesskit::parent

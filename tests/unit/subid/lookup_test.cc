// Unit tests for src/subid lookups and map writing against temp files and fake helper programs
// (getsubids, newuidmap, newgidmap as shell scripts found through $GETSUBIDS / $PATH).
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/error.h"
#include "subid/subid.h"

namespace rootlesskit::subid {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const User alice_user{1003, 1004, "alice"};

// Sets an environment variable for the scope of a test and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : m_name(name) {
    if (const char* old = std::getenv(name)) {
      m_old = old;
    }
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (m_old) {
      ::setenv(m_name, m_old->c_str(), 1);
    } else {
      ::unsetenv(m_name);
    }
  }

 private:
  const char* m_name;
  std::optional<std::string> m_old;
};

class SubidFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/subid_test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    m_dir = tmpl;
    m_paths = {m_dir + "/subuid", m_dir + "/subgid"};
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }

  void write(const std::string& path, const std::string& content, bool executable = false) {
    std::ofstream(path) << content;
    if (executable) {
      ::chmod(path.c_str(), 0755);
    }
  }
  std::string error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.what();
    }
    return "<no error>";
  }

  std::string m_dir;
  StaticPaths m_paths;
};

TEST_F(SubidFiles, StaticReadsBothFilesByUidAndName) {
  write(m_paths.subuid, "alice:100000:65536\n");
  write(m_paths.subgid, "1003:200000:65536\n");
  IdRanges r = lookup(Source::static_, alice_user, m_paths);
  EXPECT_THAT(r.uids, ElementsAre(Range{100000, 65536}));
  EXPECT_THAT(r.gids, ElementsAre(Range{200000, 65536}));
}

TEST_F(SubidFiles, StaticDropsDuplicateLines) {
  write(m_paths.subuid, "alice:100000:65536\n1003:100000:65536\n");
  write(m_paths.subgid, "alice:100000:65536\n");
  IdRanges r = lookup(Source::static_, alice_user, m_paths);
  EXPECT_THAT(r.uids, ElementsAre(Range{100000, 65536}));
}

TEST_F(SubidFiles, StaticRejectsOverlapNamingTheFile) {
  write(m_paths.subuid, "alice:165536:65536\nalice:200000:65536\n");
  write(m_paths.subgid, "alice:100000:65536\n");
  auto msg = error_of([&] { lookup(Source::static_, alice_user, m_paths); });
  EXPECT_THAT(msg, HasSubstr("165536:65536 and 200000:65536 in " + m_paths.subuid));
}

TEST_F(SubidFiles, StaticMissingFile) {
  write(m_paths.subgid, "alice:100000:65536\n");
  auto msg = error_of([&] { lookup(Source::static_, alice_user, m_paths); });
  EXPECT_THAT(msg, HasSubstr("open " + m_paths.subuid + ": no such file or directory: add a line"));
}

TEST_F(SubidFiles, StaticNoMatchInGidFile) {
  write(m_paths.subuid, "alice:100000:65536\n");
  write(m_paths.subgid, "bob:100000:65536\n");
  auto msg = error_of([&] { lookup(Source::static_, alice_user, m_paths); });
  EXPECT_THAT(msg, HasSubstr("No subgid ranges found for user 1003 (\"alice\")"));
}

// A fake getsubids: answers by name only, like Debian's when /etc/subuid uses names.
TEST_F(SubidFiles, DynamicByNameAndUidWithDedupe) {
  std::string fake = m_dir + "/getsubids";
  write(fake,
        "#!/bin/sh\n"
        "if [ \"$1\" = -g ]; then shift; echo \"0: $1 500000 100\"; echo \"1: $1 500000 100\"; exit 0; fi\n"
        "if [ \"$1\" = alice ]; then echo '0: alice 300000 1000'; exit 0; fi\n"
        "echo 'Error fetching ranges' >&2; exit 1\n",
        true);
  ScopedEnv env("GETSUBIDS", fake);
  IdRanges r = lookup(Source::dynamic, alice_user, m_paths);
  EXPECT_THAT(r.uids, ElementsAre(Range{300000, 1000}));
  EXPECT_THAT(r.gids, ElementsAre(Range{500000, 100}));
}

TEST_F(SubidFiles, DynamicFailsOnlyIfBothQueriesFail) {
  std::string fake = m_dir + "/getsubids";
  write(fake, "#!/bin/sh\necho 'Error fetching ranges' >&2; exit 1\n", true);
  ScopedEnv env("GETSUBIDS", fake);
  auto msg = error_of([&] { lookup(Source::dynamic, alice_user, m_paths); });
  EXPECT_EQ(msg, "subid-source:dynamic: failed to get subuids by the username \"alice\": failed to exec [" + fake +
                     " alice]: exit status 1 (stdout=\"\", stderr=\"Error fetching ranges\\n\"); also failed to get "
                     "subuids by the UID 1003: failed to exec [" +
                     fake + " 1003]: exit status 1 (stdout=\"\", stderr=\"Error fetching ranges\\n\")");
}

TEST_F(SubidFiles, DynamicGidFailureKeepsUpstreamWording) {
  std::string fake = m_dir + "/getsubids";
  write(fake, "#!/bin/sh\n[ \"$1\" = -g ] && exit 1\necho '0: alice 300000 1000'\n", true);
  ScopedEnv env("GETSUBIDS", fake);
  auto msg = error_of([&] { lookup(Source::dynamic, alice_user, m_paths); });
  EXPECT_THAT(msg, HasSubstr("subid-source:dynamic: failed to get subgids by the username \"alice\": "));
  EXPECT_THAT(msg, HasSubstr("; also failed to get subuids by the UID 1003: failed to exec [" + fake + " -g 1003]"));
}

TEST_F(SubidFiles, DynamicOverlapNamesTheSource) {
  std::string fake = m_dir + "/getsubids";
  write(fake, "#!/bin/sh\necho '0: alice 100000 65536'\necho '1: alice 120000 10'\n", true);
  ScopedEnv env("GETSUBIDS", fake);
  auto msg = error_of([&] { lookup(Source::dynamic, alice_user, m_paths); });
  EXPECT_THAT(msg, HasSubstr("100000:65536 and 120000:10 in " + m_paths.subuid + " (as reported by getsubids)"));
}

TEST_F(SubidFiles, DynamicMissingTool) {
  ScopedEnv env("GETSUBIDS", m_dir + "/nonexistent");
  auto msg = error_of([&] { lookup(Source::dynamic, alice_user, m_paths); });
  EXPECT_EQ(msg, "subid-source:dynamic: exec: \"" + m_dir + "/nonexistent\": stat " + m_dir +
                     "/nonexistent: no such file or directory");
}

TEST_F(SubidFiles, AutoFallsBackToStatic) {
  ScopedEnv env("GETSUBIDS", m_dir + "/nonexistent");
  write(m_paths.subuid, "alice:100000:65536\n");
  write(m_paths.subgid, "alice:100000:65536\n");
  IdRanges r = lookup(Source::auto_, alice_user, m_paths);
  EXPECT_THAT(r.uids, ElementsAre(Range{100000, 65536}));
}

TEST_F(SubidFiles, AutoFallsBackWhenDynamicIsEmpty) {
  std::string fake = m_dir + "/getsubids";
  write(fake, "#!/bin/sh\nexit 0\n", true);
  ScopedEnv env("GETSUBIDS", fake);
  write(m_paths.subuid, "alice:100000:65536\n");
  write(m_paths.subgid, "alice:200000:65536\n");
  IdRanges r = lookup(Source::auto_, alice_user, m_paths);
  EXPECT_THAT(r.gids, ElementsAre(Range{200000, 65536}));
}

TEST_F(SubidFiles, WriteIdMapsRunsBothTools) {
  write(m_dir + "/newuidmap", "#!/bin/sh\necho \"$@\" > \"${0%/*}/uid.args\"\n", true);
  write(m_dir + "/newgidmap", "#!/bin/sh\necho \"$@\" > \"${0%/*}/gid.args\"\n", true);
  ScopedEnv env("PATH", m_dir);
  write_id_maps(4242, alice_user, IdRanges{{{100000, 65536}}, {{200000, 10}, {300000, 5}}});
  std::string uid_args, gid_args;
  std::getline(std::ifstream(m_dir + "/uid.args"), uid_args);
  std::getline(std::ifstream(m_dir + "/gid.args"), gid_args);
  EXPECT_EQ(uid_args, "4242 0 1003 1 1 100000 65536");
  EXPECT_EQ(gid_args, "4242 0 1004 1 1 200000 10 11 300000 5");
}

TEST_F(SubidFiles, WriteIdMapsFailureKeepsUpstreamShape) {
  write(m_dir + "/newuidmap", "#!/bin/sh\necho 'newuidmap: write to uid_map failed: Invalid argument' >&2\nexit 1\n",
        true);
  ScopedEnv env("PATH", m_dir);
  auto msg = error_of([&] { write_id_maps(11385, alice_user, IdRanges{{{165536, 65536}}, {{165536, 65536}}}); });
  EXPECT_EQ(msg,
            "newuidmap 11385 [0 1003 1 1 165536 65536] failed: newuidmap: write to uid_map failed: Invalid "
            "argument\n: exit status 1");
}

TEST_F(SubidFiles, WriteIdMapsMissingTool) {
  ScopedEnv env("PATH", m_dir);
  auto msg = error_of([&] { write_id_maps(123, alice_user, IdRanges{{{1, 2}}, {{1, 2}}}); });
  EXPECT_EQ(msg, "newuidmap 123 [0 1003 1 1 1 2] failed: : exec: \"newuidmap\": executable file not found in $PATH");
}

TEST(CurrentUser, UsesPasswdNameAndPrimaryGid) {
  User u = current_user();
  EXPECT_EQ(u.uid, ::getuid());
  if (const passwd* pw = ::getpwuid(::getuid())) {
    EXPECT_EQ(u.name, pw->pw_name);
    EXPECT_EQ(u.gid, pw->pw_gid);
  } else {
    EXPECT_EQ(u.name, "");
    EXPECT_EQ(u.gid, ::getgid());
  }
}

}  // namespace
}  // namespace rootlesskit::subid

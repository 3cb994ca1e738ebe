// Log lines: their logrus shape, and the first lines of several threads at once. Each test runs
// in a death-test child, a process of its own (the "threadsafe" style re-executes the binary),
// so its lines are the first that process writes and its stderr can be matched.
#include "common/log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

namespace rootlesskit::log {
namespace {

class Log : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(Log, LinesAreShapedAsLogrusWhenStderrIsNotATerminal) {
  EXPECT_EXIT(
      {
        init("child ", false);
        warn("a \"quoted\" {}", "word");
        debug("dropped without --debug");
        std::exit(0);
      },
      ::testing::ExitedWithCode(0),
      R"re(^time="[0-9T:+-]+(Z|[+-][0-9][0-9]:[0-9][0-9])" level=warning )re"
      R"re(msg="\[rootlesskit:child \] a \\"quoted\\" word"
$)re");
}

// The parent's event loops run on threads of their own: two of them out of fds at the same
// moment log their first lines together. The logger they share is made by the first line of
// either; made twice, one thread freed the other's logger while it wrote (ASan saw a SEGV in
// test-port-builtin-nofile.sh; TSan reports the race here and fails the child's exit code).
TEST_F(Log, TheFirstLinesOfSeveralThreadsAtOnceAllAppearWhole) {
  EXPECT_EXIT(
      {
        init("parent", false);
        std::atomic<bool> go{false};
        std::vector<std::thread> threads;
        for (int i = 0; i < 8; ++i) {
          threads.emplace_back([&go, i] {
            while (!go.load()) {
            }
            warn("line of thread {}", i);
          });
        }
        go = true;
        for (auto& t : threads) {
          t.join();
        }
        std::exit(0);
      },
      ::testing::ExitedWithCode(0), "(msg=\"\\[rootlesskit:parent\\] line of thread [0-7]\"\n.*){8}");
}

}  // namespace
}  // namespace rootlesskit::log

// Helper execution, PATH lookup and Go-style wait-status texts.
#include "common/process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/error.h"

namespace rootlesskit {
namespace {

TEST(Process, DescribeWaitStatus) {
  EXPECT_EQ(describe_wait_status(42 << 8), "exit status 42");
  EXPECT_EQ(describe_wait_status(SIGKILL), "signal: killed");
  EXPECT_EQ(describe_wait_status(SIGUSR1), "signal: user defined signal 1");
  EXPECT_EQ(describe_wait_status(SIGTERM), "signal: terminated");
  EXPECT_EQ(exit_code_of(42 << 8), 42);
  EXPECT_EQ(exit_code_of(SIGKILL), 255);
}

TEST(Process, LookPathErrorsLikeGo) {
  try {
    look_path("surely-not-a-command-xyz");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "exec: \"surely-not-a-command-xyz\": executable file not found in $PATH");
  }
  try {
    look_path("/nonexistent/x");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "exec: \"/nonexistent/x\": stat /nonexistent/x: no such file or directory");
  }
  EXPECT_EQ(look_path("/bin/sh"), "/bin/sh");
}

TEST(Process, RunCommandCapturesBothStreams) {
  auto r = run_command({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_FALSE(r.success());
  EXPECT_EQ(describe_wait_status(r.status), "exit status 3");
}

TEST(Process, RunCommandPassesExtraEnv) {
  RunOptions o;
  o.extra_env = {"RK_TEST_VAR=hello"};
  auto r = run_command({"sh", "-c", "printf %s \"$RK_TEST_VAR\""}, o);
  EXPECT_EQ(r.out, "hello");
  EXPECT_TRUE(r.success());
}

TEST(Process, ChildProcessKillsAndReapsOnDestruction) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::pause();
    ::_exit(0);
  }
  { ChildProcess owner(pid); }
  // Reaped: the pid is no longer our child.
  EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);
}

}  // namespace
}  // namespace rootlesskit

// spawn_child/release_child with a plain fork (no new namespaces, so any user can run it): the
// released child runs its image, and a child that died before its release is reported by its
// exit ("child exited: signal: killed"), not by the EPIPE of the release.
#include "parent/spawn.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>

#include <chrono>
#include <functional>
#include <string>

#include "common/error.h"

namespace rootlesskit::parent {
namespace {

using namespace std::chrono_literals;

SpawnRequest plain_request() {
  SpawnRequest r;
  r.argv = {"/bin/true"};
  r.pipe_fd_env_key = "_ROOTLESSKIT_TEST_PIPE";
  ::sigemptyset(&r.exec_mask);
  return r;
}

// Until the child has died (not reaped: its ChildProcess still owns it).
void wait_until_dead(const SpawnedChild& child) {
  pollfd exited{child.process.pidfd(), POLLIN, 0};
  ASSERT_EQ(::poll(&exited, 1, 5000), 1);
}

std::string error_of(const std::function<void()>& f, int* exit_code) {
  try {
    f();
  } catch (const Error& e) {
    *exit_code = e.exit_code();
    return e.what();
  }
  return "";
}

// The parent blocks SIGPIPE (it reads signals from a signalfd); a test process must ignore it.
class SpawnChildTest : public ::testing::Test {
 protected:
  void SetUp() override { m_old = ::signal(SIGPIPE, SIG_IGN); }
  void TearDown() override { ::signal(SIGPIPE, m_old); }

 private:
  sighandler_t m_old = SIG_DFL;
};

TEST_F(SpawnChildTest, AReleasedChildRunsItsImage) {
  SpawnedChild child = spawn_child(plain_request());
  release_child(child);
  EXPECT_EQ(child.process.wait(), 0);
}

TEST_F(SpawnChildTest, ReleasingADeadChildReportsItsExit) {
  SpawnedChild child = spawn_child(plain_request());
  child.process.signal(SIGKILL);
  wait_until_dead(child);
  int code = 0;
  EXPECT_EQ(error_of([&] { release_child(child); }, &code), "child exited: signal: killed");
  EXPECT_EQ(code, 255);
  EXPECT_FALSE(child.process);  // reaped
}

TEST_F(SpawnChildTest, ThrowIfChildExitedWaitsAtMostTheGrace) {
  SpawnedChild child = spawn_child(plain_request());
  auto start = std::chrono::steady_clock::now();
  throw_if_child_exited(child, 50ms);  // alive (waiting for its release): returns
  EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
  EXPECT_TRUE(child.process);
  child.process.signal(SIGKILL);
  int code = 0;
  EXPECT_EQ(error_of([&] { throw_if_child_exited(child, 5s); }, &code), "child exited: signal: killed");
  EXPECT_EQ(code, 255);
}

}  // namespace
}  // namespace rootlesskit::parent

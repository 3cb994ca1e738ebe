// EventLoop: cross-thread calls, timers, and the safety rule that a handler unwatched (and
// retired) earlier in a dispatch round is not run later in the same round.
#include "common/event_loop.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/error.h"

namespace rootlesskit {
namespace {

TEST(EventLoop, CallRunsOnTheLoopThreadAndReturnsTheResult) {
  EventLoop loop;
  LoopThread thread(loop);
  std::thread::id loop_id = loop.call([] { return std::this_thread::get_id(); });
  EXPECT_NE(loop_id, std::this_thread::get_id());
  EXPECT_EQ(loop.call([] { return 42; }), 42);
  EXPECT_THROW(loop.call([]() -> int { throw Error("boom"); }), Error);
}

TEST(EventLoop, CallThrowsTheLoopThreadsErrorAgainWithItsTextAndExitCode) {
  EventLoop loop;
  LoopThread thread(loop);
  try {
    loop.call([] { throw Error("child exited: exit status 42", 42); });
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "child exited: exit status 42");
    EXPECT_EQ(e.exit_code(), 42);
  }
  try {
    loop.call([]() -> std::string { throw std::out_of_range("map::at"); });
    FAIL() << "no exception";
  } catch (const Error&) {
    FAIL() << "not an Error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "map::at");
  }
  int calls = 0;
  loop.call([&calls] { ++calls; });  // void results too
  EXPECT_EQ(calls, 1);
}

TEST(EventLoop, CallRunsInlineWhenNoLoopRuns) {
  EventLoop loop;
  EXPECT_EQ(loop.call([] { return std::this_thread::get_id(); }), std::this_thread::get_id());
  {
    LoopThread thread(loop);
    EXPECT_NE(loop.call([] { return std::this_thread::get_id(); }), std::this_thread::get_id());
  }
  // After the loop finished, work runs on the caller again instead of waiting forever.
  EXPECT_EQ(loop.call([] { return std::this_thread::get_id(); }), std::this_thread::get_id());
}

TEST(EventLoop, TimersFireInDeadlineOrderAndCanBeCancelled) {
  EventLoop loop;
  std::vector<int> fired;
  loop.after(std::chrono::milliseconds(30), [&] { fired.push_back(3); });
  loop.after(std::chrono::milliseconds(10), [&] { fired.push_back(1); });
  EventLoop::TimerId cancelled = loop.after(std::chrono::milliseconds(20), [&] { fired.push_back(2); });
  loop.cancel(cancelled);
  loop.after(std::chrono::milliseconds(40), [&] { loop.stop(); });
  loop.run();
  EXPECT_EQ(fired, (std::vector<int>{1, 3}));
}

struct SocketPair {
  Fd a;
  Fd b;
  SocketPair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) != 0) {
      throw errno_error("socketpair");
    }
    a.reset(fds[0]);
    b.reset(fds[1]);
  }
};

// Two handlers whose fds are readable in the same round; whichever runs first unwatches and
// retires the other, which then must not run (it would if the loop did not skip it).
class Killer : public IoHandler {
 public:
  Killer(EventLoop& loop, int fd, std::vector<std::unique_ptr<Killer>>& owners, int& runs)
      : m_loop(loop), m_fd(fd), m_owners(owners), m_runs(runs) {}
  void on_io(uint32_t) override {
    ++m_runs;
    m_loop.unwatch(m_fd, this);
    for (auto& owner : m_owners) {
      if (owner && owner.get() != this) {
        m_loop.unwatch(owner->m_fd, owner.get());
        m_loop.retire(std::move(owner));
      }
    }
    m_loop.stop();
  }

 private:
  EventLoop& m_loop;
  int m_fd;
  std::vector<std::unique_ptr<Killer>>& m_owners;
  int& m_runs;
};

TEST(EventLoop, HandlerUnwatchedEarlierInTheRoundIsSkipped) {
  EventLoop loop;
  SocketPair p1;
  SocketPair p2;
  int runs = 0;
  std::vector<std::unique_ptr<Killer>> owners;
  owners.push_back(std::make_unique<Killer>(loop, p1.a.get(), owners, runs));
  owners.push_back(std::make_unique<Killer>(loop, p2.a.get(), owners, runs));
  loop.watch(p1.a.get(), EPOLLIN, owners[0].get());
  loop.watch(p2.a.get(), EPOLLIN, owners[1].get());
  ASSERT_EQ(::write(p1.b.get(), "x", 1), 1);
  ASSERT_EQ(::write(p2.b.get(), "x", 1), 1);
  loop.run();
  EXPECT_EQ(runs, 1);
}

TEST(EventLoop, AThrowingHandlerDoesNotEndTheLoop) {
  EventLoop loop;
  int later = 0;
  loop.post([] { throw Error("posted work broke"); });
  loop.after(std::chrono::milliseconds(1), [] { throw Error("a timer broke"); });
  loop.after(std::chrono::milliseconds(5), [&] {
    later = 1;
    loop.stop();
  });
  loop.run();
  EXPECT_EQ(later, 1);
}

TEST(EventLoop, PostFromManyThreadsRunsEverything) {
  EventLoop loop;
  LoopThread thread(loop);
  std::atomic<int> count{0};
  std::vector<std::thread> posters;
  for (int t = 0; t < 4; ++t) {
    posters.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        loop.post([&] { ++count; });
      }
    });
  }
  for (auto& t : posters) {
    t.join();
  }
  loop.call([] {});
  EXPECT_EQ(count, 4000);
}

}  // namespace
}  // namespace rootlesskit

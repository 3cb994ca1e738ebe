// EventLoop: the parent's one I/O loop (epoll), shared by the REST API server and the port
// drivers' listeners, relays and helper supervision. All the state registered with a loop is
// owned by the loop's thread; other threads talk to it only through post()/call()/stop().
// The child uses the same type on its main thread to serve its port-driver half beside COMMAND.
#pragma once

#include <sys/epoll.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <variant>
#include <vector>

#include "common/error.h"
#include "common/fd.h"

namespace rootlesskit {

// Something registered for readiness events of one fd. A watcher that owns several fds (a relay)
// has one IoHandler member per fd.
class IoHandler {
 public:
  virtual ~IoHandler() = default;
  // `events` are EPOLLIN/EPOLLOUT/EPOLLHUP/EPOLLERR/EPOLLRDHUP bits. Runs on the loop thread.
  virtual void on_io(uint32_t events) = 0;
};

// What call() carries back from the loop thread: the value, or an exception's text and exit
// code. Not the exception object itself: shared by two threads, it is reference-counted inside
// libstdc++ (and so is its message), where ThreadSanitizer cannot follow the counts.
template <typename R>
struct CallOutcome {
  using Value = std::conditional_t<std::is_void_v<R>, std::monostate, R>;
  std::optional<Value> value;
  std::string error;
  std::optional<int> exit_code;  // unset: the exception was not an Error

  R take() {
    if (!value) {
      if (exit_code) {
        throw Error(error, *exit_code);
      }
      throw std::runtime_error(error);
    }
    if constexpr (!std::is_void_v<R>) {
      return std::move(*value);
    }
  }
};

template <typename R, typename F>
CallOutcome<R> run_for_call(F& fn) {
  CallOutcome<R> outcome;
  try {
    if constexpr (std::is_void_v<R>) {
      fn();
      outcome.value.emplace();
    } else {
      outcome.value.emplace(fn());
    }
  } catch (const Error& e) {
    outcome.error = e.what();
    outcome.exit_code = e.exit_code();
  } catch (const std::exception& e) {
    outcome.error = e.what();
  }
  return outcome;
}

class EventLoop {
 public:
  using Clock = std::chrono::steady_clock;
  using TimerId = uint64_t;

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Registration (loop thread, or any thread before run() starts). `handler` is not owned and
  // must stay alive until unwatch(fd) plus the end of the current dispatch round (see retire()).
  // Level-triggered. Throw Error on epoll_ctl failure.
  void watch(int fd, uint32_t events, IoHandler* handler);
  void rewatch(int fd, uint32_t events, IoHandler* handler);
  // Stops delivering events for `fd`; events of this round already fetched for it are dropped.
  // Call it before closing the fd.
  void unwatch(int fd, IoHandler* handler);

  // Keeps `object` alive until the current dispatch round is over, so that handlers of the same
  // round that still hold a pointer to it are skipped safely rather than run on freed memory.
  template <typename T>
  void retire(std::unique_ptr<T> object) {
    m_graveyard.emplace_back(std::shared_ptr<void>(std::move(object)));
  }

  // One-shot timers on the loop thread. cancel() of a fired or unknown id is a no-op.
  TimerId after(std::chrono::milliseconds delay, std::function<void()> fn);
  void cancel(TimerId id);

  // Thread-safe: runs `fn` on the loop thread soon (in submission order). After run() has
  // returned, `fn` is dropped.
  void post(std::function<void()> fn) { enqueue(std::move(fn)); }

  // Thread-safe: runs `fn` on the loop thread and waits for its result; an Error (or other
  // std::exception) thrown by `fn` is thrown here again, as a new Error with the same text and
  // exit code (a std::runtime_error for other types). On the loop thread itself, or before the
  // loop runs, `fn` runs inline.
  template <typename F>
  auto call(F&& fn) -> std::invoke_result_t<F> {
    using R = std::invoke_result_t<F>;
    if (!running_elsewhere()) {
      return fn();
    }
    auto task = std::make_shared<std::packaged_task<CallOutcome<R>()>>(
        [f = std::forward<F>(fn)]() mutable { return run_for_call<R>(f); });
    std::future<CallOutcome<R>> result = task->get_future();
    if (!enqueue([task] { (*task)(); })) {
      (*task)();  // the loop has finished: nothing runs concurrently any more
    }
    return result.get().take();
  }

  // Dispatches events, timers and posted functions until stop(). Returns at once if stop()
  // was already called.
  void run();
  // Thread-safe; run() returns after the current round.
  void stop();

  bool in_loop_thread() const { return m_thread_id.load() == std::this_thread::get_id(); }
  // Declares the thread that will call run() (LoopThread does), so that call() from another
  // thread queues its work even before run() has started there.
  void bind_to(std::thread::id id) { m_thread_id.store(id); }

 private:
  bool running_elsewhere() const;
  // Queues `fn` and wakes the loop; false once run() has returned (then nothing would run it).
  bool enqueue(std::function<void()> fn);
  int next_timeout_ms() const;
  void run_due_timers();
  void run_posted();
  void dispatch(const epoll_event* events, int count);

  class Wakeup;

  Fd m_epoll;
  Fd m_wakeup_fd;
  std::unique_ptr<IoHandler> m_wakeup;
  std::atomic<std::thread::id> m_thread_id{};
  bool m_stopping = false;  // loop thread only; set from posted work

  std::mutex m_posted_mutex;
  std::vector<std::function<void()>> m_posted;
  bool m_stop_requested = false;  // guarded by m_posted_mutex
  bool m_finished = false;        // guarded by m_posted_mutex

  TimerId m_next_timer = 1;
  std::multimap<Clock::time_point, TimerId> m_deadlines;
  std::map<TimerId, std::function<void()>> m_timers;

  std::vector<IoHandler*> m_unwatched;  // this round
  std::vector<std::shared_ptr<void>> m_graveyard;
};

// Runs an EventLoop on a thread of its own. The thread inherits the caller's signal mask (the
// parent blocks every forwarded signal before it starts threads).
class LoopThread {
 public:
  explicit LoopThread(EventLoop& loop);
  ~LoopThread();  // stop() and join
  LoopThread(const LoopThread&) = delete;
  LoopThread& operator=(const LoopThread&) = delete;

  // Stops the loop and joins the thread. Idempotent.
  void join();

 private:
  EventLoop& m_loop;
  std::thread m_thread;
};

}  // namespace rootlesskit

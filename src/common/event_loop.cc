// epoll dispatch, a timer queue and a posted-work queue woken through an eventfd.
#include "common/event_loop.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "common/error.h"
#include "common/log.h"

namespace rootlesskit {

// Drains the eventfd that post() and stop() write to.
class EventLoop::Wakeup : public IoHandler {
 public:
  explicit Wakeup(int fd) : m_fd(fd) {}
  void on_io(uint32_t) override {
    uint64_t n = 0;
    while (::read(m_fd, &n, sizeof n) < 0 && errno == EINTR) {
    }
  }

 private:
  int m_fd;
};

// A handler that throws has failed its own job (say, one connection); the loop, which serves the
// API and every other port, goes on. Handlers are written not to throw: this is a safety net.
namespace {

template <typename F>
void guarded(const char* what, F&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    log::error("event loop: {} failed: {}", what, e.what());
  }
}

}  // namespace

EventLoop::EventLoop()
    : m_epoll(::epoll_create1(EPOLL_CLOEXEC)), m_wakeup_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!m_epoll) {
    throw errno_error("epoll_create1");
  }
  if (!m_wakeup_fd) {
    throw errno_error("eventfd");
  }
  m_wakeup = std::make_unique<Wakeup>(m_wakeup_fd.get());
  watch(m_wakeup_fd.get(), EPOLLIN, m_wakeup.get());
}

EventLoop::~EventLoop() = default;

void EventLoop::watch(int fd, uint32_t events, IoHandler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  if (::epoll_ctl(m_epoll.get(), EPOLL_CTL_ADD, fd, &ev) != 0) {
    throw errno_error("epoll_ctl(ADD)");
  }
}

void EventLoop::rewatch(int fd, uint32_t events, IoHandler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  if (::epoll_ctl(m_epoll.get(), EPOLL_CTL_MOD, fd, &ev) != 0) {
    throw errno_error("epoll_ctl(MOD)");
  }
}

void EventLoop::unwatch(int fd, IoHandler* handler) {
  ::epoll_ctl(m_epoll.get(), EPOLL_CTL_DEL, fd, nullptr);
  m_unwatched.push_back(handler);
}

EventLoop::TimerId EventLoop::after(std::chrono::milliseconds delay, std::function<void()> fn) {
  TimerId id = m_next_timer++;
  m_deadlines.emplace(Clock::now() + delay, id);
  m_timers.emplace(id, std::move(fn));
  return id;
}

void EventLoop::cancel(TimerId id) { m_timers.erase(id); }

bool EventLoop::enqueue(std::function<void()> fn) {
  {
    std::lock_guard lock(m_posted_mutex);
    if (m_finished) {
      return false;
    }
    m_posted.push_back(std::move(fn));
  }
  uint64_t one = 1;
  (void)!::write(m_wakeup_fd.get(), &one, sizeof one);
  return true;
}

void EventLoop::stop() {
  {
    std::lock_guard lock(m_posted_mutex);
    m_stop_requested = true;
  }
  uint64_t one = 1;
  (void)!::write(m_wakeup_fd.get(), &one, sizeof one);
}

bool EventLoop::running_elsewhere() const {
  std::thread::id owner = m_thread_id.load();
  return owner != std::thread::id() && owner != std::this_thread::get_id();
}

int EventLoop::next_timeout_ms() const {
  if (m_deadlines.empty()) {
    return -1;
  }
  auto wait = m_deadlines.begin()->first - Clock::now();
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
  return static_cast<int>(std::clamp<long long>(ms, 0, 60 * 60 * 1000));
}

void EventLoop::run_due_timers() {
  auto now = Clock::now();
  while (!m_deadlines.empty() && m_deadlines.begin()->first <= now) {
    TimerId id = m_deadlines.begin()->second;
    m_deadlines.erase(m_deadlines.begin());
    auto it = m_timers.find(id);
    if (it == m_timers.end()) {
      continue;  // cancelled
    }
    std::function<void()> fn = std::move(it->second);
    m_timers.erase(it);
    guarded("a timer", fn);
  }
}

void EventLoop::run_posted() {
  std::vector<std::function<void()>> work;
  {
    std::lock_guard lock(m_posted_mutex);
    work.swap(m_posted);
    m_stopping = m_stopping || m_stop_requested;
  }
  for (auto& fn : work) {
    guarded("posted work", fn);
  }
}

void EventLoop::dispatch(const epoll_event* events, int count) {
  for (int i = 0; i < count; ++i) {
    auto* handler = static_cast<IoHandler*>(events[i].data.ptr);
    // A handler earlier in this round may have unwatched (and retired) this one.
    if (std::find(m_unwatched.begin(), m_unwatched.end(), handler) != m_unwatched.end()) {
      continue;
    }
    guarded("an I/O handler", [&] { handler->on_io(events[i].events); });
  }
}

void EventLoop::run() {
  bind_to(std::this_thread::get_id());
  constexpr int max_events = 64;
  epoll_event events[max_events];
  run_posted();
  while (!m_stopping) {
    int n = ::epoll_wait(m_epoll.get(), events, max_events, next_timeout_ms());
    if (n < 0 && errno != EINTR) {
      log::error("event loop: epoll_wait: {}", errno_text(errno));
      break;
    }
    m_unwatched.clear();
    dispatch(events, std::max(n, 0));
    run_due_timers();
    run_posted();
    m_unwatched.clear();
    m_graveyard.clear();
  }
  // Work posted until now still runs, so that a call() waiting on it is not left hanging;
  // later posts are refused (call() then runs inline).
  std::vector<std::function<void()>> last;
  {
    std::lock_guard lock(m_posted_mutex);
    m_finished = true;
    last.swap(m_posted);
  }
  m_thread_id.store(std::thread::id());
  for (auto& fn : last) {
    fn();
  }
  m_graveyard.clear();
}

LoopThread::LoopThread(EventLoop& loop) : m_loop(loop) {
  m_thread = std::thread([this] { m_loop.run(); });
  m_loop.bind_to(m_thread.get_id());
}

LoopThread::~LoopThread() { join(); }

void LoopThread::join() {
  if (m_thread.joinable()) {
    m_loop.stop();
    m_thread.join();
  }
}

}  // namespace rootlesskit

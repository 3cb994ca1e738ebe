// splice(2) relay: socket -> pipe -> socket per direction, with back-pressure through epoll
// interest (a direction reads only while its pipe is empty).
#include "port/builtin/tcp_relay.h"

#include <fcntl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <tuple>

#include "common/error.h"
#include "common/log.h"

namespace rootlesskit::port::builtin {
namespace {

// Per splice call; the kernel moves at most what the pipe holds.
constexpr size_t splice_chunk = 1 << 20;
// splice calls per direction and wake-up, so that one fast connection cannot starve the rest.
constexpr int splice_budget = 16;
// A direction's interest in its source: EPOLLRDHUP tells a FIN that came with the last bytes, so
// the EOF is read at once rather than on the next wake-up.
constexpr uint32_t reading = EPOLLIN | EPOLLRDHUP;
// How soon a direction that found no fd for its pipe tries again.
constexpr std::chrono::milliseconds starved_retry{50};

void set_reset_on_close(int fd) {
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

}  // namespace

PipePool::Pipe PipePool::take() {
  if (!m_idle.empty()) {
    Pipe p = std::move(m_idle.back());
    m_idle.pop_back();
    return p;
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw errno_error("pipe2");
  }
  int capacity = -1;
  if (m_pipe_size > 0) {
    capacity = ::fcntl(fds[1], F_SETPIPE_SZ, m_pipe_size);  // best effort (the user's pipe quota may say no)
  }
  if (capacity < 0) {
    capacity = ::fcntl(fds[1], F_GETPIPE_SZ);
  }
  return Pipe{Fd(fds[0]), Fd(fds[1]), static_cast<size_t>(std::max(capacity, 0))};
}

void PipePool::give(Pipe pipe) {
  if (m_idle.size() < m_max_idle) {
    m_idle.push_back(std::move(pipe));
  }
}

struct TcpRelay::Direction {
  Side* from;
  Side* to;
  std::optional<PipePool::Pipe> pipe;
  size_t in_pipe = 0;
  bool eof = false;           // `from` reached EOF
  bool done = false;          // the EOF was passed on
  bool without_pipe = false;  // no pipe could be made (out of fds): copying through a buffer
  bool starved = false;       // ... and `to` was full: retried on a timer
  // The last splice from `from` moved less than the pipe holds, so it took all there was: the
  // next one would only fail with EAGAIN. Reading waits for epoll's next EPOLLIN instead (level
  // triggered: data that came meanwhile is reported), saving a system call per wake-up.
  bool drained = false;
};

class TcpRelay::Side : public IoHandler {
 public:
  Side(TcpRelay& relay, Fd socket) : m_relay(relay), fd(std::move(socket)) {}
  void on_io(uint32_t ready) override {
    if (ready & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
      peer_closed = true;
    }
    if (ready & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
      Direction& d = m_relay.direction_from(*this);
      d.drained = false;
      m_relay.pump(d);
    }
    if (ready & (EPOLLOUT | EPOLLHUP | EPOLLERR)) {
      m_relay.pump(m_relay.direction_to(*this));
    }
    m_relay.update_interest();
  }

  TcpRelay& m_relay;
  Fd fd;
  uint32_t events = 0;       // the interest registered with the loop
  bool registered = false;   // in the loop's epoll set (a side that can only be done is taken out)
  bool peer_closed = false;  // EPOLLRDHUP seen: the EOF is there to be read
};

TcpRelay::TcpRelay(EventLoop& loop, PipePool& pipes, Fd client, Fd child, Describe describe, Done done)
    : m_loop(loop),
      m_pipes(pipes),
      m_done(std::move(done)),
      m_describe(std::move(describe)),
      m_client(std::make_unique<Side>(*this, std::move(client))),
      m_child(std::make_unique<Side>(*this, std::move(child))),
      m_upload(std::make_unique<Direction>(Direction{m_client.get(), m_child.get(), {}})),
      m_download(std::make_unique<Direction>(Direction{m_child.get(), m_client.get(), {}})) {}

TcpRelay::~TcpRelay() {
  if (m_retry_timer != 0) {
    m_loop.cancel(m_retry_timer);
  }
  if (!m_finished) {
    unwatch_both();
  }
}

void TcpRelay::start() {
  for (Side* side : {m_client.get(), m_child.get()}) {
    side->events = reading;
    m_loop.watch(side->fd.get(), reading, side);
    side->registered = true;
  }
}

void TcpRelay::unwatch_both() {
  for (Side* side : {m_client.get(), m_child.get()}) {
    if (side->registered) {
      m_loop.unwatch(side->fd.get(), side);
      side->registered = false;
    }
  }
}

TcpRelay::Direction& TcpRelay::direction_from(const Side& side) {
  return &side == m_client.get() ? *m_upload : *m_download;
}

TcpRelay::Direction& TcpRelay::direction_to(const Side& side) {
  return &side == m_client.get() ? *m_download : *m_upload;
}

void TcpRelay::pump(Direction& d) {
  for (int i = 0; i < splice_budget && !m_finished; ++i) {
    if (d.in_pipe > 0) {
      ssize_t n =
          ::splice(d.pipe->read.get(), nullptr, d.to->fd.get(), nullptr, d.in_pipe, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0) {
        d.in_pipe -= static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0 && errno == EAGAIN) {
        return;  // `to` is full: EPOLLOUT resumes
      }
      reset_both(errno);  // the receiver is gone (EPIPE, ECONNRESET)
      return;
    }
    if (d.pipe) {
      m_pipes.give(std::move(*d.pipe));
      d.pipe.reset();
    }
    if (d.eof) {
      if (!d.done) {
        d.done = true;
        Direction& other = &d == m_upload.get() ? *m_download : *m_upload;
        if (!other.done) {
          ::shutdown(d.to->fd.get(), SHUT_WR);  // half-close; when both are done, close() says it
        }
      }
      if (m_upload->done && m_download->done) {
        finish();
      }
      return;
    }
    if (d.drained && !d.from->peer_closed) {
      return;
    }
    if (!take_pipe(d)) {
      if (copy_without_pipe(d)) {
        continue;
      }
      return;
    }
    ssize_t n = ::splice(d.from->fd.get(), nullptr, d.pipe->write.get(), nullptr, splice_chunk,
                         SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n > 0) {
      d.in_pipe = static_cast<size_t>(n);
      d.drained = d.in_pipe < d.pipe->capacity;
    } else if (n == 0) {
      d.eof = true;
    } else if (errno == EAGAIN) {
      m_pipes.give(std::move(*d.pipe));
      d.pipe.reset();
      return;
    } else if (errno != EINTR) {
      reset_both(errno);  // ECONNRESET, or a refused connect on the child's side: pass it on
      return;
    }
  }
}

bool TcpRelay::take_pipe(Direction& d) {
  try {
    d.pipe = m_pipes.take();
    d.without_pipe = false;
    return true;
  } catch (const Error& e) {
    if (!d.without_pipe && log::debug_enabled()) {
      log::debug("port/builtin: {}: relaying without a pipe: {}", m_describe(), e.what());
    }
    d.without_pipe = true;
    return false;
  }
}

// Out of fds (RLIMIT_NOFILE) no pipe can be made. The bytes then go through a buffer on the
// stack: peek at what `from` holds, send what `to` takes, consume that much. EOFs and resets
// show as with splice, so a relay without a pipe still finishes and frees its fds for the
// others (were every relay to wait for a pipe, none would get one). False when the direction
// must wait: nothing to read (epoll reports more), a reset, or `to` is full (then it stops
// reading and retries shortly; the bytes wait in the socket buffers meanwhile).
bool TcpRelay::copy_without_pipe(Direction& d) {
  char buffer[16 * 1024];
  ssize_t n = ::recv(d.from->fd.get(), buffer, sizeof buffer, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) {
    d.eof = true;
    return true;
  }
  if (n < 0) {
    if (errno == EINTR) {
      return true;
    }
    if (errno != EAGAIN) {
      reset_both(errno);
    }
    return false;
  }
  ssize_t sent = ::send(d.to->fd.get(), buffer, static_cast<size_t>(n), MSG_DONTWAIT | MSG_NOSIGNAL);
  if (sent < 0 && errno != EAGAIN && errno != EINTR) {
    reset_both(errno);
    return false;
  }
  if (sent <= 0) {
    starve(d);
    return false;
  }
  // Consume what was sent: peeked, so it is there. MSG_TRUNC makes TCP drop it uncopied.
  (void)!::recv(d.from->fd.get(), buffer, static_cast<size_t>(sent), MSG_DONTWAIT | MSG_TRUNC);
  return true;
}

void TcpRelay::starve(Direction& d) {
  d.starved = true;
  if (m_retry_timer == 0) {
    m_retry_timer = m_loop.after(starved_retry, [this] { retry_starved(); });
  }
}

void TcpRelay::retry_starved() {
  m_retry_timer = 0;
  for (Direction* d : {m_upload.get(), m_download.get()}) {
    if (d->starved && !m_finished) {
      d->starved = false;
      pump(*d);
    }
  }
  update_interest();
}

void TcpRelay::update_interest() {
  if (m_finished) {
    return;
  }
  auto wanted = [](const Direction& out_of, const Direction& into) {
    uint32_t events = 0;
    if (!out_of.eof && out_of.in_pipe == 0 && !out_of.starved) {
      events |= reading;
    }
    if (into.in_pipe > 0) {
      events |= EPOLLOUT;
    }
    return events;
  };
  for (auto [side, events, read_eof] : {std::tuple{m_client.get(), wanted(*m_upload, *m_download), m_upload->eof},
                                        std::tuple{m_child.get(), wanted(*m_download, *m_upload), m_download->eof}}) {
    // Read to its end and nothing to write: out of the epoll set rather than registered with
    // no interest. Usually the connection ends before it is needed again (one epoll_ctl fewer
    // per short connection: DEL now instead of MOD now and DEL at the end).
    bool keep = events != 0 || !read_eof;
    if (side->registered == keep && (!keep || side->events == events)) {
      continue;
    }
    side->events = events;
    if (!keep) {
      m_loop.unwatch(side->fd.get(), side);
      side->registered = false;
    } else if (!side->registered) {
      m_loop.watch(side->fd.get(), events, side);
      side->registered = true;
    } else {
      m_loop.rewatch(side->fd.get(), events, side);
    }
  }
}

void TcpRelay::reset_both(int err) {
  if (log::debug_enabled()) {
    bool in_flight = m_upload->in_pipe + m_download->in_pipe > 0;
    log::debug("port/builtin: {}: {}: {}", m_describe(), in_flight ? "reset with bytes in flight" : "reset",
               errno_text(err));
  }
  set_reset_on_close(m_client->fd.get());
  set_reset_on_close(m_child->fd.get());
  finish();
}

void TcpRelay::finish() {
  if (m_finished) {
    return;
  }
  m_finished = true;
  unwatch_both();
  m_done();
}

}  // namespace rootlesskit::port::builtin

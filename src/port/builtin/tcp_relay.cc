// splice(2) relay: socket -> pipe -> socket per direction, with back-pressure through epoll
// interest (a direction reads only while its pipe is empty).
#include "port/builtin/tcp_relay.h"

#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>

#include "common/error.h"

namespace rootlesskit::port::builtin {
namespace {

constexpr size_t max_idle_pipes = 64;
// Per splice call; the kernel moves at most what the pipe holds.
constexpr size_t splice_chunk = 1 << 20;
// splice calls per direction and wake-up, so that one fast connection cannot starve the rest.
constexpr int splice_budget = 16;

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
  if (m_pipe_size > 0) {
    ::fcntl(fds[1], F_SETPIPE_SZ, m_pipe_size);  // best effort (the user's pipe quota may say no)
  }
  return Pipe{Fd(fds[0]), Fd(fds[1])};
}

void PipePool::give(Pipe pipe) {
  if (m_idle.size() < max_idle_pipes) {
    m_idle.push_back(std::move(pipe));
  }
}

class TcpRelay::Side : public IoHandler {
 public:
  Side(TcpRelay& relay, Fd fd) : m_relay(relay), fd(std::move(fd)) {}
  void on_io(uint32_t events) override {
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
      m_relay.pump(m_relay.direction_from(*this));
    }
    if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) {
      m_relay.pump(m_relay.direction_to(*this));
    }
    m_relay.update_interest();
  }

  TcpRelay& m_relay;
  Fd fd;
  uint32_t events = 0;
};

struct TcpRelay::Direction {
  Side* from;
  Side* to;
  std::optional<PipePool::Pipe> pipe;
  size_t in_pipe = 0;
  bool eof = false;   // `from` reached EOF
  bool done = false;  // the EOF was passed on
};

TcpRelay::TcpRelay(EventLoop& loop, PipePool& pipes, Fd client, Fd child, Done done)
    : m_loop(loop),
      m_pipes(pipes),
      m_done(std::move(done)),
      m_client(std::make_unique<Side>(*this, std::move(client))),
      m_child(std::make_unique<Side>(*this, std::move(child))),
      m_upload(std::make_unique<Direction>(Direction{m_client.get(), m_child.get(), {}})),
      m_download(std::make_unique<Direction>(Direction{m_child.get(), m_client.get(), {}})) {}

TcpRelay::~TcpRelay() {
  for (Side* side : {m_client.get(), m_child.get()}) {
    m_loop.unwatch(side->fd.get(), side);
  }
}

void TcpRelay::start() {
  m_client->events = EPOLLIN;
  m_child->events = EPOLLIN;
  m_loop.watch(m_client->fd.get(), EPOLLIN, m_client.get());
  m_loop.watch(m_child->fd.get(), EPOLLIN, m_child.get());
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
      ssize_t n = ::splice(d.pipe->read.get(), nullptr, d.to->fd.get(), nullptr, d.in_pipe,
                           SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
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
      reset_both();  // the receiver is gone (EPIPE, ECONNRESET)
      return;
    }
    if (d.pipe) {
      m_pipes.give(std::move(*d.pipe));
      d.pipe.reset();
    }
    if (d.eof) {
      if (!d.done) {
        d.done = true;
        ::shutdown(d.to->fd.get(), SHUT_WR);
      }
      if (m_upload->done && m_download->done) {
        finish();
      }
      return;
    }
    d.pipe = m_pipes.take();
    ssize_t n = ::splice(d.from->fd.get(), nullptr, d.pipe->write.get(), nullptr, splice_chunk,
                         SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n > 0) {
      d.in_pipe = static_cast<size_t>(n);
    } else if (n == 0) {
      d.eof = true;
    } else if (errno == EAGAIN) {
      m_pipes.give(std::move(*d.pipe));
      d.pipe.reset();
      return;
    } else if (errno != EINTR) {
      reset_both();  // ECONNRESET: pass the reset on
      return;
    }
  }
}

void TcpRelay::update_interest() {
  if (m_finished) {
    return;
  }
  auto wanted = [](const Direction& out_of, const Direction& into) {
    uint32_t events = 0;
    if (!out_of.eof && out_of.in_pipe == 0) {
      events |= EPOLLIN;
    }
    if (into.in_pipe > 0) {
      events |= EPOLLOUT;
    }
    return events;
  };
  for (auto [side, events] : {std::pair{m_client.get(), wanted(*m_upload, *m_download)},
                              std::pair{m_child.get(), wanted(*m_download, *m_upload)}}) {
    if (side->events != events) {
      side->events = events;
      m_loop.rewatch(side->fd.get(), events, side);
    }
  }
}

void TcpRelay::reset_both() {
  set_reset_on_close(m_client->fd.get());
  set_reset_on_close(m_child->fd.get());
  finish();
}

void TcpRelay::finish() {
  if (m_finished) {
    return;
  }
  m_finished = true;
  for (Side* side : {m_client.get(), m_child.get()}) {
    m_loop.unwatch(side->fd.get(), side);
  }
  m_done();
}

}  // namespace rootlesskit::port::builtin

// Connections of the API server as event-loop handlers, with a periodic sweep that enforces the
// deadlines.
#include "api/http/unix_server.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "common/error.h"
#include "common/log.h"

namespace rootlesskit::api::http {
namespace {

using Clock = EventLoop::Clock;

// A client that pipelines requests without reading the answers is not read from meanwhile.
constexpr size_t max_pending_output = 1024 * 1024;
// Read at most this much per wake-up, so that one busy client cannot starve the others.
constexpr size_t read_budget = 64 * 1024;

Response error_response(int status, const std::string& text) {
  return Response{status, {{"Content-Type", "text/plain; charset=utf-8"}}, text + "\n"};
}

}  // namespace

class UnixServer::Acceptor : public IoHandler {
 public:
  explicit Acceptor(UnixServer& server) : m_server(server) {}
  void on_io(uint32_t) override { m_server.accept_all(); }

 private:
  UnixServer& m_server;
};

class UnixServer::Connection : public IoHandler {
 public:
  Connection(UnixServer& server, Fd fd) : m_server(server), m_fd(std::move(fd)) { touch(); }

  void attach(ConnectionList::iterator self) {
    m_self = self;
    m_server.m_loop.watch(m_fd.get(), EPOLLIN, this);
  }
  void detach() { m_server.m_loop.unwatch(m_fd.get(), this); }

  void on_io(uint32_t events) override {
    bool alive = true;
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
      alive = on_readable();
    }
    if (alive && !m_out.empty()) {
      alive = on_writable();
    }
    if (!alive) {
      m_server.close(m_self);
      return;
    }
    update_interest();
  }

  // Idle: nothing of a request received and nothing left to send.
  bool idle() const { return m_out.empty() && !m_parser.has_partial_request() && !m_closing; }
  Clock::time_point deadline() const { return m_deadline; }
  Clock::time_point last_activity() const { return m_last_activity; }

 private:
  // The idle deadline moves with every byte; a request (or an answer) in progress has one
  // deadline from its start, so that a client trickling bytes cannot hold the connection.
  void touch() {
    m_last_activity = Clock::now();
    if (idle()) {
      m_busy = false;
      m_deadline = m_last_activity + m_server.m_limits.idle_timeout;
    } else if (!m_busy) {
      m_busy = true;
      m_deadline = m_last_activity + m_server.m_limits.request_timeout;
    }
  }

  void update_interest() {
    uint32_t events = 0;
    if (!m_closing && !m_peer_closed && m_out.size() < max_pending_output) {
      events |= EPOLLIN;
    }
    if (!m_out.empty()) {
      events |= EPOLLOUT;
    }
    if (events != m_events) {
      m_events = events;
      m_server.m_loop.rewatch(m_fd.get(), events, this);
    }
  }

  // Answers every complete request buffered in the parser.
  void answer() {
    auto state = m_parser.state();
    while (state == RequestParser::State::complete && !m_closing) {
      const Request& req = m_parser.request();
      Response resp;
      try {
        resp = m_server.m_handler(req);
      } catch (const std::exception& e) {
        resp = error_response(500, e.what());
      }
      m_out += serialize(resp, req.minor_version, req.keep_alive, req.method == "HEAD");
      m_closing = !req.keep_alive;
      state = m_parser.reset_for_next();
    }
    if (state == RequestParser::State::failed && !m_closing) {
      m_out += serialize(error_response(m_parser.error_status(), m_parser.error_text()), 1, false, false);
      m_closing = true;
    }
  }

  // Returns false when the connection is finished.
  bool on_readable() {
    char buf[16384];
    size_t budget = read_budget;
    while (budget > 0 && m_out.size() < max_pending_output) {
      ssize_t n = ::read(m_fd.get(), buf, sizeof buf);
      if (n > 0) {
        budget -= std::min(budget, static_cast<size_t>(n));
        if (!m_closing) {
          m_parser.feed(std::string_view(buf, static_cast<size_t>(n)));
          answer();
        }
        touch();
        continue;
      }
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return true;
      }
      return on_peer_closed(n == 0);
    }
    return true;
  }

  // EOF or a reset: a half-sent request gets its 400; then flush what is pending and close.
  bool on_peer_closed(bool eof) {
    m_peer_closed = true;
    if (eof && !m_closing && m_parser.has_partial_request()) {
      m_out += serialize(error_response(400, "incomplete request"), 1, false, false);
      m_closing = true;
    }
    return eof && !m_out.empty();
  }

  // Returns false when the connection is finished.
  bool on_writable() {
    while (!m_out.empty()) {
      ssize_t n = ::send(m_fd.get(), m_out.data(), m_out.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return true;
      }
      if (n < 0) {
        return false;
      }
      m_out.erase(0, static_cast<size_t>(n));
      touch();
    }
    return !(m_closing || m_peer_closed);
  }

  UnixServer& m_server;
  Fd m_fd;
  ConnectionList::iterator m_self;
  RequestParser m_parser;
  std::string m_out;
  uint32_t m_events = EPOLLIN;
  bool m_closing = false;  // answer the pending output, then close
  bool m_peer_closed = false;
  bool m_busy = false;
  Clock::time_point m_last_activity;
  Clock::time_point m_deadline;
};

UnixServer::UnixServer(EventLoop& loop, Handler handler, ServerLimits limits)
    : m_loop(loop), m_handler(std::move(handler)), m_limits(limits) {}

UnixServer::~UnixServer() { stop(); }

void UnixServer::start(Fd listening) {
  if (m_listening) {
    throw Error("the API server is already running");
  }
  int flags = ::fcntl(listening.get(), F_GETFL);
  ::fcntl(listening.get(), F_SETFL, flags | O_NONBLOCK);
  m_listening = std::move(listening);
  m_acceptor = std::make_unique<Acceptor>(*this);
  m_loop.watch(m_listening.get(), EPOLLIN, m_acceptor.get());
  m_accepting = true;
}

void UnixServer::stop() {
  if (!m_listening) {
    return;
  }
  if (m_accepting) {
    m_loop.unwatch(m_listening.get(), m_acceptor.get());
  }
  m_loop.retire(std::move(m_acceptor));
  m_listening.reset();
  while (!m_connections.empty()) {
    close(m_connections.begin());
  }
  m_loop.cancel(m_sweep_timer);
  m_loop.cancel(m_resume_timer);
  m_resume_timer = 0;
}

void UnixServer::accept_all() {
  while (true) {
    if (m_connections.size() >= m_limits.max_connections && !evict_oldest_idle()) {
      // Every connection is busy: leave the rest in the backlog until one finishes.
      m_loop.unwatch(m_listening.get(), m_acceptor.get());
      m_accepting = false;
      return;
    }
    int fd = ::accept4(m_listening.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) {
        continue;
      }
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        pause_accepting(errno);
      }
      return;  // EAGAIN: the backlog is empty
    }
    m_connections.push_back(std::make_unique<Connection>(*this, Fd(fd)));
    m_connections.back()->attach(std::prev(m_connections.end()));
    arm_sweep();
  }
}

// Out of fds the pending client stays in the backlog and the listener stays readable: watching
// it would spin the loop. Stop watching for a while; a closing connection also resumes.
void UnixServer::pause_accepting(int err) {
  log::debug("API server: accept: {}; pausing", errno_text(err));
  m_loop.unwatch(m_listening.get(), m_acceptor.get());
  m_accepting = false;
  if (m_resume_timer == 0) {
    m_resume_timer = m_loop.after(std::chrono::milliseconds(100), [this] {
      m_resume_timer = 0;
      resume_accepting();
    });
  }
}

void UnixServer::resume_accepting() {
  if (!m_accepting && m_listening) {
    m_loop.watch(m_listening.get(), EPOLLIN, m_acceptor.get());
    m_accepting = true;
  }
}

void UnixServer::close(ConnectionList::iterator it) {
  (*it)->detach();
  m_loop.retire(std::move(*it));
  m_connections.erase(it);
  resume_accepting();
}

// A client that holds many idle connections must not lock the API out: the least recently
// used idle one makes room for a new client.
bool UnixServer::evict_oldest_idle() {
  auto oldest = m_connections.end();
  for (auto it = m_connections.begin(); it != m_connections.end(); ++it) {
    if ((*it)->idle() && (oldest == m_connections.end() || (*it)->last_activity() < (*oldest)->last_activity())) {
      oldest = it;
    }
  }
  if (oldest == m_connections.end()) {
    return false;
  }
  close(oldest);
  return true;
}

void UnixServer::sweep() {
  m_sweep_timer = 0;
  auto now = Clock::now();
  for (auto it = m_connections.begin(); it != m_connections.end();) {
    auto next = std::next(it);
    if ((*it)->deadline() <= now) {
      close(it);
    }
    it = next;
  }
  arm_sweep();
}

void UnixServer::arm_sweep() {
  if (m_sweep_timer != 0 || m_connections.empty()) {
    return;
  }
  auto period = std::min(m_limits.idle_timeout, m_limits.request_timeout) / 4;
  period = std::clamp(period, std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
  m_sweep_timer = m_loop.after(period, [this] { sweep(); });
}

}  // namespace rootlesskit::api::http

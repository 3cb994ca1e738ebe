// The event loop: poll(2) over the listening socket, a wake-up pipe and every connection.
#include "api/http/unix_server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <list>

#include "common/error.h"
#include "common/log.h"

namespace rootlesskit::api::http {
namespace {

constexpr size_t max_connections = 64;
// A client that pipelines requests without reading the answers is not read from meanwhile.
constexpr size_t max_pending_output = 1024 * 1024;

struct Connection {
  Fd fd;
  RequestParser parser;
  std::string out;
  bool close_after_write = false;
  bool peer_closed = false;
};

Response error_response(int status, const std::string& text) {
  return Response{status, {{"Content-Type", "text/plain; charset=utf-8"}}, text + "\n"};
}

// Answers every complete request buffered in the parser.
void answer(Connection& c, const UnixServer::Handler& handler) {
  auto state = c.parser.state();
  while (state == RequestParser::State::complete && !c.close_after_write) {
    const Request& req = c.parser.request();
    Response resp;
    try {
      resp = handler(req);
    } catch (const std::exception& e) {
      resp = error_response(500, e.what());
    }
    c.out += serialize(resp, req.minor_version, req.keep_alive, req.method == "HEAD");
    c.close_after_write = !req.keep_alive;
    state = c.parser.reset_for_next();
  }
  if (state == RequestParser::State::failed && !c.close_after_write) {
    c.out += serialize(error_response(c.parser.error_status(), c.parser.error_text()), 1, false, false);
    c.close_after_write = true;
  }
}

// Returns false when the connection is finished.
bool on_readable(Connection& c, const UnixServer::Handler& handler) {
  char buf[16384];
  while (true) {
    ssize_t n = ::read(c.fd.get(), buf, sizeof buf);
    if (n > 0) {
      if (!c.close_after_write) {
        c.parser.feed(std::string_view(buf, static_cast<size_t>(n)));
        answer(c, handler);
      }
      if (c.out.size() >= max_pending_output) {
        return true;
      }
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return true;
    }
    c.peer_closed = true;  // EOF or a reset: flush what is pending, then close
    return !c.out.empty();
  }
}

// Returns false when the connection is finished.
bool on_writable(Connection& c) {
  while (!c.out.empty()) {
    ssize_t n = ::send(c.fd.get(), c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return true;
    }
    if (n < 0) {
      return false;
    }
    c.out.erase(0, static_cast<size_t>(n));
  }
  return !(c.close_after_write || c.peer_closed);
}

void accept_all(int listening, std::list<Connection>& conns) {
  while (true) {
    int fd = ::accept4(listening, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) {
        continue;
      }
      return;  // EAGAIN, or EMFILE and friends: try again on the next wake-up
    }
    if (conns.size() >= max_connections) {
      ::close(fd);  // a client that opens this many idle connections gets no more
      continue;
    }
    conns.push_back(Connection{Fd(fd), RequestParser{}, {}, false, false});
  }
}

}  // namespace

void UnixServer::start(Fd listening) {
  if (m_thread.joinable()) {
    throw Error("the API server is already running");
  }
  int flags = ::fcntl(listening.get(), F_GETFL);
  ::fcntl(listening.get(), F_SETFL, flags | O_NONBLOCK);
  m_listening = std::move(listening);
  m_wake = make_pipe();
  m_thread = std::thread([this] { loop(); });
}

void UnixServer::stop() {
  if (!m_thread.joinable()) {
    return;
  }
  m_wake.write.reset();  // EOF on the read end wakes the loop
  m_thread.join();
  m_listening.reset();
}

void UnixServer::loop() {
  std::list<Connection> conns;
  std::vector<pollfd> fds;
  while (true) {
    fds.assign({{m_wake.read.get(), POLLIN, 0}, {m_listening.get(), POLLIN, 0}});
    for (auto& c : conns) {
      short events = c.out.size() < max_pending_output ? POLLIN : 0;
      fds.push_back({c.fd.get(), static_cast<short>(c.out.empty() ? events : events | POLLOUT), 0});
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      log::error("API server: poll: {}", errno_text(errno));
      return;
    }
    if (fds[0].revents != 0) {
      return;
    }
    size_t i = 2;
    for (auto it = conns.begin(); it != conns.end(); ++i) {
      short ev = fds[i].revents;
      bool alive = true;
      if (ev & (POLLIN | POLLHUP | POLLERR)) {
        alive = on_readable(*it, m_handler);
      }
      if (alive && !it->out.empty()) {
        alive = on_writable(*it);
      }
      it = alive ? std::next(it) : conns.erase(it);
    }
    if (fds[1].revents & POLLIN) {
      accept_all(m_listening.get(), conns);
    }
  }
}

}  // namespace rootlesskit::api::http

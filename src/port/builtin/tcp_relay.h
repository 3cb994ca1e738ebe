// One forwarded TCP connection: bytes move between the client socket (host) and the socket in
// the child's namespace with splice(2) through a pipe per direction, so they are never copied to
// user space. Half-closes are passed on (EOF -> shutdown(SHUT_WR)); a reset on one side resets
// the other. No thread per connection: both sockets are handlers on the parent's event loop.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/fd.h"

namespace rootlesskit::port::builtin {

// Pipes for splice(2). A direction holds one only while bytes are in flight, so idle
// connections cost no pipe (and no pipe buffer against the user's pipe quota).
class PipePool {
 public:
  struct Pipe {
    Fd read;
    Fd write;
    size_t capacity;  // bytes it holds (F_GETPIPE_SZ): a splice into it that moved less drained its source
  };
  // `pipe_size`: F_SETPIPE_SZ for new pipes (0: the kernel's default). `max_idle`: how many
  // empty pipes are kept for reuse. Their buffers count against the user's pipe quota
  // (fs.pipe-user-pages-soft, 64 MiB by default; past it new pipes get one page), so keep few.
  explicit PipePool(int pipe_size = 0, size_t max_idle = 16) : m_pipe_size(pipe_size), m_max_idle(max_idle) {}
  // Throws Error (e.g. EMFILE: the relay then copies through a buffer instead).
  Pipe take();
  // An empty pipe back for reuse.
  void give(Pipe pipe);
  size_t idle_count() const { return m_idle.size(); }

 private:
  int m_pipe_size;
  size_t m_max_idle;
  std::vector<Pipe> m_idle;
};

class TcpRelay {
 public:
  // Called once when the relay has finished (both directions closed, or a reset). The owner
  // then disposes of the relay through EventLoop::retire (never by deleting it right away:
  // the relay's own handler is still on the stack).
  using Done = std::function<void()>;

  // Names the connection in debug lines; called only when one is written.
  using Describe = std::function<std::string()>;

  TcpRelay(EventLoop& loop, PipePool& pipes, Fd client, Fd child, Describe describe, Done done);
  ~TcpRelay();  // unwatches and closes both sockets (FIN, not reset)
  TcpRelay(const TcpRelay&) = delete;
  TcpRelay& operator=(const TcpRelay&) = delete;

  // Registers both sockets and starts moving bytes.
  void start();

 private:
  class Side;
  struct Direction;

  Direction& direction_from(const Side& side);
  Direction& direction_to(const Side& side);
  void pump(Direction& d);
  bool take_pipe(Direction& d);
  bool copy_without_pipe(Direction& d);
  void starve(Direction& d);
  void retry_starved();
  void update_interest();
  void unwatch_both();
  void reset_both(int err);
  void finish();

  EventLoop& m_loop;
  PipePool& m_pipes;
  Done m_done;
  Describe m_describe;
  std::unique_ptr<Side> m_client;
  std::unique_ptr<Side> m_child;
  std::unique_ptr<Direction> m_upload;    // client -> child
  std::unique_ptr<Direction> m_download;  // child -> client
  bool m_finished = false;
  EventLoop::TimerId m_retry_timer = 0;  // set while a direction waits for a pipe
};

}  // namespace rootlesskit::port::builtin

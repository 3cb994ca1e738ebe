// One event loop's share of the builtin driver's parent half: the loop, its Connector (with a
// channel of its own to the child half) and its splice pipes. The driver runs one shard per CPU
// the parent may use: the first on the parent's own loop (beside the REST API), the others each
// on a thread of their own. Every shard accepts from every TCP port's one listener, registered
// with EPOLLEXCLUSIVE, so that the kernel hands a new connection to an idle loop and the
// connection stays on that loop for its life. Everything a shard holds (and every forwarder
// made with it) is touched only on its loop's thread: on_loop() carries work there.
#pragma once

#include <memory>
#include <utility>

#include "common/event_loop.h"
#include "port/builtin/connector.h"
#include "port/builtin/tcp_relay.h"

namespace rootlesskit::port::builtin {

class Shard {
 public:
  struct Options {
    Connector::Options connector;
    int pipe_size = 0;          // PipePool
    size_t max_idle_pipes = 0;  // PipePool
  };
  // A shard on `loop` (not owned), run by its owner.
  Shard(EventLoop& loop, const Options& options);
  // A shard on a loop and thread of its own (running on return). Throws Error.
  explicit Shard(const Options& options);
  ~Shard();
  Shard(const Shard&) = delete;
  Shard& operator=(const Shard&) = delete;

  // A further shard (a loop and thread of its own), not the one on the parent's loop.
  bool spare() const { return m_own_loop != nullptr; }
  EventLoop& loop() { return *m_loop; }
  Connector& connector() { return *m_connector; }
  PipePool& pipes() { return *m_pipes; }

  // Runs `fn` on the shard's loop thread and returns its result (inline once the thread is
  // gone, or when called there).
  template <typename F>
  auto on_loop(F&& fn) {
    return m_loop->call(std::forward<F>(fn));
  }

  // Stops the Connector and, for a shard with a thread of its own, the loop and the thread.
  // Call it on the owner's loop thread after every forwarder of the shard is gone. Idempotent.
  void stop();

 private:
  // Destroyed in reverse: the own loop's retired connections and relays go first and still
  // reach the Connector (cancel) and the pipes (give back).
  std::unique_ptr<PipePool> m_pipes;
  std::unique_ptr<Connector> m_connector;
  std::unique_ptr<EventLoop> m_own_loop;
  std::unique_ptr<LoopThread> m_thread;
  EventLoop* m_loop = nullptr;
  bool m_stopped = false;
};

}  // namespace rootlesskit::port::builtin

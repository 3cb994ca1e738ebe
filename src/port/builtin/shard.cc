// A shard's parts, built in the order they depend on each other and taken down in reverse.
#include "port/builtin/shard.h"

#include <system_error>

#include "common/error.h"

namespace rootlesskit::port::builtin {

Shard::Shard(EventLoop& loop, const Options& options)
    : m_pipes(std::make_unique<PipePool>(options.pipe_size, options.max_idle_pipes)),
      m_connector(std::make_unique<Connector>(loop, options.connector)),
      m_loop(&loop) {}

Shard::Shard(const Options& options)
    : m_pipes(std::make_unique<PipePool>(options.pipe_size, options.max_idle_pipes)),
      m_own_loop(std::make_unique<EventLoop>()) {
  m_loop = m_own_loop.get();
  m_connector = std::make_unique<Connector>(*m_loop, options.connector);
  try {
    m_thread = std::make_unique<LoopThread>(*m_loop);
  } catch (const std::system_error& e) {
    throw Error(std::string("starting an event loop thread for the builtin port driver: ") + e.what());
  }
}

// A shard on its owner's loop may outlive that loop (the parent's loop is gone before its port
// driver), so only a shard with a loop of its own is taken down here; stop() did the rest.
Shard::~Shard() {
  if (m_thread) {
    m_thread->join();
    m_connector->stop();  // the thread is gone: nothing else touches the loop
  }
}

void Shard::stop() {
  if (m_stopped) {
    return;
  }
  m_stopped = true;
  on_loop([this] { m_connector->stop(); });
  if (m_thread) {
    m_thread->join();
  }
}

}  // namespace rootlesskit::port::builtin

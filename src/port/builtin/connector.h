// The parent half's way into the child's network namespace. A socket keeps the network
// namespace it was created in, so the child hands over batches of unconnected sockets made in
// its namespace and the parent connect()s them itself to the child's 127.0.0.1 (or whatever the
// target is): no round trip to the child per connection, unlike upstream's per-connection
// `.bp.sock` request. Fallbacks: if the parent cannot connect such a socket, the child dials
// (one round trip); for IP_TRANSPARENT the child first sets up its policy routing (once).
// Runs on the parent's event loop.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/fd.h"
#include "port/builtin/address.h"
#include "port/builtin/protocol.h"

namespace rootlesskit::port::builtin {

class Connector {
 public:
  // `socket` has its connect() started (or done): wait for writability and check SO_ERROR
  // (TCP). On failure `socket` is empty and `error` says why, like Go's
  // `dial tcp 127.0.0.1:80: connect: connection refused`.
  using Callback = std::function<void(Fd socket, const std::string& error)>;
  using Ticket = uint64_t;

  struct Options {
    bool connect_from_parent = true;  // false: always ask the child to dial (upstream's path)
    // Sockets kept ready per family and type; a refill is asked for below 3/4 of it, so that
    // a burst of connections does not wait for the child (one round trip per batch).
    int pool_target = 64;
    // Set once the fallback from transparent source IPs has been logged: the Connectors of one
    // driver share it, so that the warning shows once (as upstream's), not once per loop.
    std::shared_ptr<std::atomic<bool>> transparency_warned = std::make_shared<std::atomic<bool>>(false);
  };

  Connector(EventLoop& loop, Options options);
  ~Connector();
  Connector(const Connector&) = delete;
  Connector& operator=(const Connector&) = delete;

  // The parent end of the parent/child channel. Requests made before are sent now.
  void attach(Fd channel);

  // Starts a connection to `target` inside the child's namespace. `source`: bind there with
  // IP_TRANSPARENT first (TCP from a non-loopback client, --source-ip-transparent), if the
  // child could set that up. `done` runs on the loop thread, possibly before connect() returns.
  Ticket connect(SocketType type, const SocketAddress& target, std::optional<SocketAddress> source, Callback done);
  // Forgets a pending connect (its caller went away); a socket that arrives later is reused.
  void cancel(Ticket ticket);

  // Fills the pool for a family/type ahead of the first connection.
  void prefill(int family, SocketType type);

  // Hands the child end of another channel pair to the child half, which serves it from then
  // on (another shard's Connector attaches the parent end).
  void pass_channel(Fd child_end);

  // Unregisters from the loop and fails nothing: pending callbacks are dropped.
  void stop();

  // The channel to the child half has closed: connect() fails from now on.
  bool channel_closed() const { return m_channel_closed; }

 private:
  struct Pending {
    SocketType type;
    SocketAddress target;
    std::optional<SocketAddress> source;
    Callback done;
  };
  struct Outgoing {
    std::string body;
    Fd fd;  // rides along as SCM_RIGHTS, if set
  };
  struct Pool {
    std::vector<Fd> sockets;
    int requested = 0;           // sockets asked for and not yet received
    std::deque<Ticket> waiting;  // tickets waiting for a socket, oldest first
  };
  class ChannelHandler;

  Pool& pool_for(int family, SocketType type);
  void refill(int family, SocketType type);
  void proceed(Ticket ticket);
  void connect_pooled(Ticket ticket, Fd socket);
  void dial_in_child(Ticket ticket);
  void complete(Ticket ticket, Fd socket, const std::string& error);

  void send(std::string body, Fd fd = Fd());
  void flush();
  void on_channel();
  void pause_refills();
  void on_sockets(const SocketsMessage& m, std::vector<Fd> fds, bool fds_lost);
  void on_dial(const DialMessage& m, std::vector<Fd> fds, bool fds_lost);
  void on_transparent(const TransparentMessage& m);
  void on_channel_closed();

  EventLoop& m_loop;
  Options m_options;
  Fd m_channel;
  std::unique_ptr<ChannelHandler> m_handler;
  std::deque<Outgoing> m_outgoing;
  bool m_channel_closed = false;

  Ticket m_next_ticket = 1;
  std::map<Ticket, Pending> m_pending;
  std::map<std::pair<int, SocketType>, Pool> m_pools;
  EventLoop::TimerId m_refill_timer = 0;  // set while refills pause (the parent is out of fds)
  bool m_fds_lost_warned = false;

  enum class Transparency { unknown, setting_up, ready, unavailable };
  Transparency m_transparency = Transparency::unknown;
  std::vector<Ticket> m_waiting_for_transparency;
};

}  // namespace rootlesskit::port::builtin

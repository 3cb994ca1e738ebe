// --port-driver=builtin: ports published by rootlesskit itself. The parent half listens on the
// host and relays each connection (TCP: splice relay; UDP: per-client flows) to a socket in the
// child's network namespace; the child half hands out such sockets over the parent/child
// channel and, on request, sets up the policy routing that keeps client source IPs
// (--source-ip-transparent). See docs/port.md.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "port/driver.h"
#include "rootlesskit/port.h"

namespace rootlesskit::port::builtin {

class Shard;

class ParentDriver final : public port::ParentDriver {
 public:
  explicit ParentDriver(ParentOptions options = {});
  ~ParentDriver() override;

  DriverInfo info() const override;
  std::map<std::string, std::string> opaque_for_child() const override;
  bool uses_child_channel() const override { return true; }
  void start(EventLoop& loop, const ChildContext& child) override;
  void attach_child(Fd channel) override;
  void stop() override;

  Status add_port(const Spec& spec) override;
  std::vector<Status> list_ports() override;
  void remove_port(int id) override;

 private:
  struct Published;
  using Shards = std::vector<std::unique_ptr<Shard>>;

  void add_shards();
  void connect_to_child(Shard& shard);
  void accept_on_every_shard(Published& port);

  ParentOptions m_options;
  // The first, made by start(), runs on the loop given to start() and serves UDP too; the
  // others come with the first TCP port (shard.h). Kept after stop(): connections retired on
  // the parent's loop still reach their Connector.
  Shards m_shards;
  int m_event_loops = 1;
  bool m_child_attached = false;
  bool m_stopped = false;
  std::map<int, std::unique_ptr<Published>> m_ports;  // erased before the shards stop
  int m_next_id = 1;
};

class ChildDriver final : public port::ChildDriver {
 public:
  ChildDriver();
  ~ChildDriver() override;
  void start(EventLoop& loop, const std::map<std::string, std::string>& opaque, Fd channel,
             const std::string& detached_netns_path) override;
  void stop() override;

 private:
  struct Namespace;
  class Server;

  void serve(Fd channel);

  EventLoop* m_loop = nullptr;
  std::unique_ptr<Namespace> m_namespace;
  std::vector<std::unique_ptr<Server>> m_servers;  // one per channel; closed ones stay until stop()
};

// The opaque key telling the child half that the parent wants transparent source IPs.
inline constexpr const char* opaque_source_ip_transparent = "builtin.source-ip-transparent";

}  // namespace rootlesskit::port::builtin

// vpnkit parent driver: process, dial, vif, DHCP, supervision, cleanup.
#include "network/vpnkit/vpnkit.h"

#include <fcntl.h>
#include <signal.h>

#include "common/error.h"
#include "common/log.h"
#include "common/strings.h"
#include "network/vpnkit/connection.h"
#include "network/vpnkit/vif_dhcp.h"

namespace rootlesskit::network::vpnkit {
namespace {

constexpr auto dial_timeout = std::chrono::seconds(10);
constexpr auto dhcp_timeout = std::chrono::seconds(30);

}  // namespace

ParentDriver::ParentDriver(Options options) : m_options(std::move(options)) {}

ParentDriver::~ParentDriver() { cleanup(); }

api::NetworkDriverInfo ParentDriver::info() const {
  api::NetworkDriverInfo info;
  info.driver = "vpnkit";
  if (!m_child_ip.empty()) {
    info.dns = {gateway};
    info.child_ip = m_child_ip;
  }
  return info;
}

messages::NetworkDriverCompleted ParentDriver::configure(pid_t, const std::string& state_dir, const std::string&) {
  const std::string socket_path = state_dir + "/" + socket_name;
  std::vector<std::string> argv = build_argv(m_options, socket_path);
  log::debug("executing {}", go_slice(argv));
  Fd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  m_process = spawn_helper(HelperSpec{argv, {{0, null.get()}, {1, m_output.helper_end()}, {2, m_output.helper_end()}}});
  m_output.release_helper_end();
  messages::NetworkDriverCompleted message = connect(socket_path);
  m_child_ip = message.ip;
  return message;
}

// Throws once vpnkit has exited, with its status and last output.
void ParentDriver::check_running() {
  m_output.drain();
  if (auto status = m_process.try_wait()) {
    m_output.drain();
    throw Error("vpnkit exited: " + describe_wait_status(*status) + ": " +
                go_quote(std::string(trim_space(m_output.tail()))));
  }
}

messages::NetworkDriverCompleted ParentDriver::connect(const std::string& socket_path) {
  Fd conn = dial(socket_path, dial_timeout, [this] { check_running(); });
  const std::string uuid = random_uuid();
  VifInfo vif;
  dhcp::Ipv4Address ip{};
  try {
    Handshake theirs = exchange_handshake(conn.get());
    log::debug("vpnkit: protocol version {}, commit {}", theirs.version, go_quote(theirs.commit));
    vif = connect_vif(conn.get(), uuid);
    log::debug("vpnkit: vif {}: MTU {}, max packet size {}, MAC {}", uuid, vif.mtu, vif.max_packet_size,
               dhcp::to_string(vif.mac));
    ip = request_address(conn.get(), vif.mac, dhcp_timeout);
  } catch (const Error& e) {
    check_running();
    throw e.wrap("vpnkit on " + socket_path);
  }
  messages::NetworkDriverCompleted m;
  m.dev = m_options.ifname;
  m.ip = dhcp::to_string(ip);
  m.netmask = netmask;
  m.gateway = gateway;
  m.dns = {gateway};
  m.mtu = m_options.mtu;
  m.opaque = {{opaque_mac, dhcp::to_string(vif.mac)}, {opaque_socket, socket_path}, {opaque_uuid, uuid}};
  return m;
}

std::optional<std::string> ParentDriver::reap_exited_helper() {
  return exited_helper_message(m_process, m_output, "vpnkit");
}

void ParentDriver::cleanup() { stop_helper(m_process, m_output, "vpnkit"); }

}  // namespace rootlesskit::network::vpnkit

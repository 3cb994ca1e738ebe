// vpnkit child driver: relay first (the tap must exist), then the generic configuration.
#include "network/vpnkit/child.h"

#include "common/error.h"
#include "common/log.h"
#include "network/generic_child.h"
#include "network/vpnkit/vpnkit.h"

namespace rootlesskit::network::vpnkit {
namespace {

std::string opaque(const messages::NetworkDriverCompleted& m, const char* key, const char* missing) {
  auto it = m.opaque.find(key);
  if (it == m.opaque.end() || it->second.empty()) {
    throw Error(missing);
  }
  return it->second;
}

}  // namespace

RelayRequest relay_request(const messages::NetworkDriverCompleted& m, const std::string& detached_netns_path) {
  if (m.dev.empty()) {
    throw Error("could not determine the tap name for VPNKit");
  }
  RelayRequest r;
  r.ifname = m.dev;
  r.mac = parse_mac(opaque(m, opaque_mac, "no VPNKit MAC is set"));
  r.socket_path = opaque(m, opaque_socket, "no VPNKit socket is set");
  r.uuid = opaque(m, opaque_uuid, "no VPNKit UUID is set");
  r.detached_netns_path = detached_netns_path;
  return r;
}

std::string ChildDriver::configure_child(const messages::NetworkDriverCompleted& message,
                                         const std::string& detached_netns_path) {
  RelayRequest request = relay_request(message, detached_netns_path);
  m_relay.emplace(request);
  log::debug("vpnkit: relaying {} (MAC {}) to vif {} on {}", request.ifname, dhcp::to_string(request.mac), request.uuid,
             request.socket_path);
  return GenericChildDriver().configure_child(message, detached_netns_path);
}

}  // namespace rootlesskit::network::vpnkit

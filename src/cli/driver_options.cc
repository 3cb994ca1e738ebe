// --net and the network flags -> network::Selection (one function per driver).
#include "cli/driver_options.h"

#include "common/error.h"

namespace rootlesskit::cli {
namespace {

network::slirp4netns::Mode slirp4netns_mode(const std::string& flag) {
  using network::slirp4netns::Mode;
  if (flag == "auto") {
    return Mode::automatic;
  }
  return flag == "true" ? Mode::enabled : Mode::disabled;  // "false" or "" (validation refused the rest)
}

// --mtu 0 and empty --ifname mean "the driver's default", which the options already hold.
template <typename DriverOptions>
void set_mtu_and_ifname(const RootlesskitFlags& f, DriverOptions& o) {
  if (f.mtu != 0) {
    o.mtu = f.mtu;
  }
  if (!f.ifname.empty()) {
    o.ifname = f.ifname;
  }
}

network::slirp4netns::Options slirp4netns_options(const RootlesskitFlags& f) {
  network::slirp4netns::Options o;
  o.binary = f.slirp4netns_binary;
  set_mtu_and_ifname(f, o);
  if (!f.cidr.empty()) {
    o.cidr = network::Ipv4Network::parse(f.cidr);
  }
  o.disable_host_loopback = f.disable_host_loopback;
  o.api_socket = f.port_driver == "slirp4netns";
  o.sandbox = slirp4netns_mode(f.slirp4netns_sandbox);
  o.seccomp = slirp4netns_mode(f.slirp4netns_seccomp);
  o.enable_ipv6 = f.ipv6;
  return o;
}

network::pasta::Options pasta_options(const RootlesskitFlags& f) {
  network::pasta::Options o;
  o.binary = f.pasta_binary;
  set_mtu_and_ifname(f, o);
  if (!f.cidr.empty()) {
    o.cidr = network::Ipv4Network::parse(f.cidr);
  }
  o.disable_host_loopback = f.disable_host_loopback;
  o.ipv6 = f.ipv6;
  o.implicit_ports = f.port_driver == "implicit";
  return o;
}

network::vpnkit::Options vpnkit_options(const RootlesskitFlags& f) {
  network::vpnkit::Options o;
  o.binary = f.vpnkit_binary;
  set_mtu_and_ifname(f, o);
  o.disable_host_loopback = f.disable_host_loopback;
  return o;
}

network::lxc_user_nic::Options lxc_user_nic_options(const RootlesskitFlags& f) {
  network::lxc_user_nic::Options o;
  o.binary = f.lxc_user_nic_binary;
  o.bridge = f.lxc_user_nic_bridge;
  set_mtu_and_ifname(f, o);
  return o;
}

network::vdeplug_slirp::Options vdeplug_slirp_options(const RootlesskitFlags& f) {
  network::vdeplug_slirp::Options o;  // no flag names the vde_plug binary
  if (!f.ifname.empty()) {
    o.ifname = f.ifname;
  }
  return o;
}

}  // namespace

network::Selection network_selection(const RootlesskitFlags& f) {
  if (f.net == "host") {
    return network::HostNetwork{};
  }
  if (f.net == "none") {
    return network::none::Options{};
  }
  if (f.net == "slirp4netns") {
    return slirp4netns_options(f);
  }
  if (f.net == "vdeplug_slirp") {
    return vdeplug_slirp_options(f);
  }
  if (f.net == "lxc-user-nic") {
    return lxc_user_nic_options(f);
  }
  if (f.net == "pasta") {
    return pasta_options(f);
  }
  if (f.net == "vpnkit") {
    return vpnkit_options(f);
  }
  // Only gvisor-tap-vsock gets here (the validation rejects unknown names).
  throw Error("network driver \"" + f.net + "\" is not supported by this implementation " +
              "(it needs gVisor's userspace network stack); use --net=slirp4netns or --net=pasta instead");
}

}  // namespace rootlesskit::cli

namespace rootlesskit::cli {

port::Selection port_selection(const RootlesskitFlags& f) {
  if (f.port_driver == "builtin") {
    port::builtin::ParentOptions o;
    o.source_ip_transparent = f.source_ip_transparent;
    return o;
  }
  if (f.port_driver == "slirp4netns") {
    return port::slirp4netns::Options{};
  }
  if (f.port_driver == "none" || f.port_driver == "implicit") {
    return port::NoPorts{f.port_driver};
  }
  if (f.port_driver == "socat") {
    return port::socat::Options{};
  }
  // The CLI validation accepted the name; upstream's gvisor-tap-vsock port driver forwards
  // through the in-process gVisor network, which this implementation does not have.
  throw Error("port driver \"" + f.port_driver + "\" is not supported by this implementation " +
              "(it needs the gvisor-tap-vsock network); use --port-driver=builtin instead");
}

std::vector<port::Spec> publish_specs(const RootlesskitFlags& f) {
  std::vector<port::Spec> specs;
  for (const std::string& text : f.publish) {
    port::Spec spec = port::parse_spec(text);
    port::validate_spec(spec);
    specs.push_back(spec);
  }
  return specs;
}

}  // namespace rootlesskit::cli

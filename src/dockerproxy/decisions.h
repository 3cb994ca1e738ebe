// The decisions rootlesskit-docker-proxy makes from its flags and GET /v1/info, as pure
// functions (upstream cmd/rootlesskit-docker-proxy/main.go, and libnetwork's rlkclient in
// dockerd >= 28, which makes the same ones): whether to leave the port to the real docker-proxy,
// which child IP and API proto to publish with, and the argv of the real docker-proxy.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/types.h"
#include "dockerproxy/options.h"

namespace rootlesskit::dockerproxy {

// The program dockerd would have run without rootless mode; looked up in $PATH.
inline constexpr const char* real_proxy = "docker-proxy";

// Go's `net.ParseIP(ip).To4() == nil` for a parseable ip: true for IPv6 literals except
// IPv4-mapped ones (::ffff:1.2.3.4 counts as IPv4); false for IPv4 and for unparseable text.
bool is_ipv6(std::string_view ip);

// Without a port driver (none/implicit: upstream omits "portDriver" for them, but may name
// them one day), ports are not RootlessKit's business: the real docker-proxy does everything.
bool leave_to_real_proxy(const api::Info& info);

// The address inside the child that the port driver forwards to and the real docker-proxy
// listens on: loopback of host_ip's family, unless the driver refuses loopback (slirp4netns),
// then the network driver's child IP. Throws Error
// `port driver ("slirp4netns") does not allow loopback child IP, but network driver ("x") has no
// non-loopback IP` when there is none.
std::string choose_child_ip(const api::Info& info, std::string_view host_ip);

// The API proto: "tcp" becomes "tcp4"/"tcp6" by host_ip's family (libnetwork >= 20201216 binds
// each family with its own proxy, upstream #231); a proto already ending in 4 or 6 is kept.
std::string api_proto(std::string_view proto, std::string_view host_ip);

// nullopt when the port driver lists `proto`; else the warning upstream logs before giving up
// on the port without failing (#250): `protocol "tcp6" is not supported by the RootlessKit port
// driver "slirp4netns", discarding request for "[::]:80"`.
std::optional<std::string> unsupported_proto_warning(const api::Info& info, std::string_view proto,
                                                     std::string_view host_ip, long long host_port);

// POST /v1/ports body: the host port on host_ip, forwarded to the same port on child_ip.
api::PortSpec port_spec(std::string_view proto, std::string_view host_ip, long long host_port,
                        std::string_view child_ip);

// argv of the real docker-proxy (argv[0] "docker-proxy"): the same container side, listening on
// child_ip instead of the host IP, with the user's proto (not the 4/6-suffixed API proto).
std::vector<std::string> real_proxy_argv(const Options& options, std::string_view child_ip);

// Go's net.JoinHostPort: "[::]:80" for IPv6 hosts, "0.0.0.0:80" otherwise.
std::string join_host_port(std::string_view host, long long port);

// One line of Go's standard logger (log.Fatal): "2006/01/02 15:04:05 <message>\n".
std::string go_log_line(const std::tm& local_time, std::string_view message);

}  // namespace rootlesskit::dockerproxy

// Text form of a port spec, `[PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT/PROTO` (`-p/--publish`,
// `rootlessctl add-ports`), parsed exactly like upstream portutil.ParsePortSpec so that accepted
// inputs and error texts match (SPEC §10.1-10.2). Pure string processing, any process.
#pragma once

#include <string_view>

#include "api/types.h"

namespace rootlesskit::api {

// Throws rootlesskit::Error with upstream's texts, e.g. `missing proto in PortSpec string: "80"`,
// `unexpected ChildPort in PortSpec string: "127.0.0.1:80x:80/tcp": strconv.Atoi: parsing "80x":
// invalid syntax` (upstream's swapped labels are kept). Ranges are NOT checked here.
PortSpec parse_port_spec(std::string_view text);

// tcp, tcp4, tcp6, udp, udp4, udp6, sctp, sctp4, sctp6 (case-sensitive).
bool is_known_proto(std::string_view proto);

// Go's net.ParseIP: dotted IPv4 (no leading zeros) or IPv6 without zone.
bool is_ip_address(std::string_view text);

}  // namespace rootlesskit::api

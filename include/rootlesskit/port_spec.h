// Port specs as the embedding API and the REST API know them (upstream port.Spec and
// port.Status), and their text form `[PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT/PROTO`
// (`-p/--publish`, `rootlessctl add-ports`), parsed and validated like upstream
// pkg/port/portutil so that accepted inputs and error texts match (docs/port.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rootlesskit::port {

struct Spec {
  std::string proto;      // tcp, tcp4, tcp6, udp, udp4, udp6, sctp, sctp4, sctp6
  std::string parent_ip;  // empty = all addresses
  int parent_port = 0;
  int child_port = 0;
  std::string child_ip;  // empty = the driver's default

  bool operator==(const Spec&) const = default;
};

struct Status {
  int id = 0;  // per driver, from 1, never reused
  Spec spec;

  bool operator==(const Status&) const = default;
};

// upstream ParsePortSpec. Throws rootlesskit::Error with upstream's texts, e.g.
// `missing proto in PortSpec string: "80"`, `unexpected ChildPort in PortSpec string:
// "127.0.0.1:80x:80/tcp": strconv.Atoi: parsing "80x": invalid syntax` (upstream's swapped
// labels are kept). Ranges are NOT checked here (validate_spec does).
Spec parse_spec(std::string_view text);

// upstream ValidatePortSpec: proto (`unknown proto: "x"`), IPs (`invalid ParentIP: "x"`,
// `invalid ChildIP: "x"`), ports 1..65535 (`invalid ParentPort: '\x00'`: upstream formats the int
// with %q, i.e. as a Go rune literal), then the conflict rule: same proto, parent IP and parent
// port strings as an existing port -> `conflict with ID N`. Throws rootlesskit::Error.
void validate_spec(const Spec& spec, const std::vector<Status>& existing = {});

}  // namespace rootlesskit::port

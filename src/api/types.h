// The REST API's data types (upstream pkg/api and port.Spec/port.Status) and their JSON forms.
// Field order and omitempty rules are part of the wire contract (docs/api.md): encoders emit exactly
// Go's bytes; decoders follow Go's rules (unknown fields ignored, missing = zero, null = no-op,
// case-insensitive key match) and Go's error texts. Used by the parent's API server and by clients.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "port/driver.h"
#include "rootlesskit/state_files.h"

namespace rootlesskit::api {

struct NetworkDriverInfo {
  std::string driver;             // "driver", always
  std::vector<std::string> dns;   // "dns", omitempty
  std::string child_ip;           // "childIP", omitempty (API 1.1.1)
  bool dynamic_child_ip = false;  // "dynamicChildIP", omitempty (API 1.1.1)
};

// "driver", always; "protos", always (empty encodes as null, like a Go nil slice);
// "disallowLoopbackChildIP", omitempty (API 1.1.1).
using PortDriverInfo = port::DriverInfo;

struct Info {
  std::string api_version = rootlesskit::api_version;  // "apiVersion": of the REST API, not ours
  std::string version;                                 // "version": implementation version
  std::string state_dir;                               // "stateDir"
  int child_pid = 0;                                   // "childPID"
  std::optional<NetworkDriverInfo> network_driver;     // absent for --net=host
  std::optional<PortDriverInfo> port_driver;           // absent for none/implicit
};

// upstream port.Spec and port.Status. Every Spec field is omitempty.
using PortSpec = port::Spec;
using PortStatus = port::Status;
using PortManager = port::Manager;

// Compact JSON exactly as Go's json.Marshal writes it (no trailing newline).
std::string to_json(const NetworkDriverInfo& info);
std::string to_json(const PortDriverInfo& info);
std::string to_json(const Info& info);
std::string to_json(const PortSpec& spec);
std::string to_json(const PortStatus& status);
// A JSON array; an empty list is `null` (what upstream's server sends).
std::string to_json(const std::vector<PortStatus>& statuses);
// The error body: `{"message":"..."}` plus the "\n" of Go's json.Encoder.
std::string error_body(std::string_view message);

// Go's json.MarshalIndent(v, "", "    ") of a compact encoding (rootlessctl info --json).
std::string indent_json(std::string_view compact);

// Decoders with json.Decoder semantics (first value; trailing bytes ignored). Throw
// rootlesskit::Error with Go's texts, e.g.
// `json: cannot unmarshal string into Go struct field Spec.parentPort of type int`.
PortSpec port_spec_from_json(std::string_view json);
PortStatus port_status_from_json(std::string_view json);
std::vector<PortStatus> port_statuses_from_json(std::string_view json);  // `null` -> empty
Info info_from_json(std::string_view json);

// Upstream's client rule for a non-2xx body: if it json.Unmarshals into {"message": string},
// that message (possibly empty); otherwise nullopt.
std::optional<std::string> error_message_from_json(std::string_view body);

}  // namespace rootlesskit::api

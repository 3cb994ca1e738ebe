// PortManager: what the REST API server calls for /v1/ports (upstream port.Manager). The port
// drivers (parent side) implement it; api::Client implements it over HTTP for embedders.
#pragma once

#include <vector>

#include "api/types.h"

namespace rootlesskit::api {

class PortManager {
 public:
  virtual ~PortManager() = default;

  // Validates, starts forwarding and returns the new status (ids start at 1, never reused).
  // Throws rootlesskit::Error with the user-facing text (the server answers 400 with it).
  virtual PortStatus add_port(const PortSpec& spec) = 0;
  // Current ports in any order (the server sorts them by id). Throws Error (-> 500).
  virtual std::vector<PortStatus> list_ports() = 0;
  // Stops forwarding `id`. Throws Error (-> 400), e.g. "unknown id: 2".
  virtual void remove_port(int id) = 0;
};

}  // namespace rootlesskit::api

// A minimal client of RootlessKit's REST API (docs/api.md): HTTP/1.1 over the unix socket
// $STATE_DIR/api.sock, one request per connection. The library's own client is not part of the
// embedding API (it pulls in cpp-httplib): a few lines of socket code are all an embedder needs.
// Runs in the innermost stage (any process that can reach the socket may call it).
#pragma once

#include <string>

#include "rootlesskit/port_spec.h"

namespace embed {

// POST /v1/ports: publishes `spec` on the host; returns the port's id. Throws rootlesskit::Error
// with the API's message (e.g. `listen tcp 127.0.0.1:8080: bind: address already in use`).
int add_port(const std::string& api_socket, const rootlesskit::port::Spec& spec);

// DELETE /v1/ports/ID. Throws rootlesskit::Error.
void remove_port(const std::string& api_socket, int id);

}  // namespace embed

// The innermost stage: the program that RootlessKit set up for (k3s itself, in k3s). Here a tiny
// TCP service that says what it sees, publishes its own port on the host through the REST API,
// and serves until it is told to stop. Runs as uid 0 in the new namespaces.
#pragma once

#include <string>
#include <vector>

#include "rootlesskit/port_spec.h"

namespace embed {

// The line each connection gets.
inline constexpr const char* greeting = "hello from embed\n";

struct ServiceOptions {
  std::string api_socket;  // $STATE_DIR/api.sock, as the parent stage exported it
  rootlesskit::port::Spec publish;
  std::vector<std::string> copy_up_dirs;  // reported, and /etc written to
};

// Prints what it sees on stdout, one "key value" line each (ns NAME LINK, uid, pid, addr IF
// CIDR, mount DIR FSTYPE, wrote FILE, api PATH, published ID SPEC), then "ready"; answers every
// connection to publish.child_port with `greeting` until SIGTERM or SIGINT; then removes the
// port, prints "unpublished ID" and returns 0. Throws rootlesskit::Error.
int run_service(const ServiceOptions& options);

}  // namespace embed

// A client connection to VPNKit's ethernet socket: dialing (with retries while vpnkit starts),
// the handshake, connecting a vif, and reading/writing frames. Blocking I/O on one unix stream
// socket. Used by the parent (to learn the MAC and the address) and by the child's relay.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "common/fd.h"
#include "network/vpnkit/protocol.h"

namespace rootlesskit::network::vpnkit {

// Connects to the unix socket at `path`, retrying (1 ms, doubling up to 50 ms) until `timeout` (vpnkit creates
// the socket some time after it starts). `check` runs before each retry and may throw (e.g.
// when vpnkit exited). Throws Error "connecting to <path>: <last errno text>".
Fd dial(const std::string& path, std::chrono::milliseconds timeout, const std::function<void()>& check = {});

// Sends our handshake, reads VPNKit's. Throws Error "VPNKit handshake on <path>: ..." (wrapped
// by the caller) for I/O errors, EOF or a bad magic.
Handshake exchange_handshake(int fd);

// Sends a vif request for `uuid` and reads the answer. Throws Error with VPNKit's own text for a
// refusal, or an I/O error.
VifInfo connect_vif(int fd, const std::string& uuid);

// One frame: header and body in one write.
void write_frame(int fd, const uint8_t* frame, size_t size);
// Reads one frame into `frame` (resized). False on EOF before a header; throws Error on EOF
// inside a frame or an I/O error.
bool read_frame(int fd, std::vector<uint8_t>& frame);

}  // namespace rootlesskit::network::vpnkit

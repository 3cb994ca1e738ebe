// VPNKit socket client: dial, handshake, vif, frames.
#include "network/vpnkit/connection.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace rootlesskit::network::vpnkit {
namespace {

using Clock = std::chrono::steady_clock;
// vpnkit creates its socket a few milliseconds after it starts: retry soon, then back off.
constexpr auto first_retry = std::chrono::milliseconds(1);
constexpr auto max_retry_interval = std::chrono::milliseconds(50);

// Returns 0 or the errno of socket/connect.
int try_connect(const std::string& path, Fd& out) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    return ENAMETOOLONG;
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) {
    return errno;
  }
  while (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINTR) {
      return errno;
    }
  }
  out = std::move(fd);
  return 0;
}

void read_exactly(int fd, void* data, size_t size, const char* what) {
  if (read_full(fd, data, size) != size) {
    throw Error(std::string("unexpected EOF while reading ") + what);
  }
}

}  // namespace

Fd dial(const std::string& path, std::chrono::milliseconds timeout, const std::function<void()>& check) {
  const auto deadline = Clock::now() + timeout;
  std::chrono::milliseconds retry_interval = first_retry;
  while (true) {
    Fd fd;
    int err = try_connect(path, fd);
    if (err == 0) {
      return fd;
    }
    bool retryable = err == ENOENT || err == ECONNREFUSED || err == EAGAIN;
    if (!retryable || Clock::now() + retry_interval > deadline) {
      throw errno_error("connecting to " + path, err);
    }
    if (check) {
      check();
    }
    timespec pause{0, std::chrono::nanoseconds(retry_interval).count()};
    ::nanosleep(&pause, nullptr);
    retry_interval = std::min(retry_interval * 2, max_retry_interval);
  }
}

Handshake exchange_handshake(int fd) {
  auto ours = encode_handshake(Handshake{protocol_version, std::string(client_commit)});
  write_all(fd, ours.data(), ours.size());
  uint8_t theirs[handshake_size];
  read_exactly(fd, theirs, sizeof theirs, "the VPNKit handshake");
  return decode_handshake(theirs);
}

VifInfo connect_vif(int fd, const std::string& uuid) {
  auto request = encode_vif_request(VifRequest{VifRequestType::ethernet, uuid, {}});
  write_all(fd, request.data(), request.size());
  uint8_t type = 0;
  read_exactly(fd, &type, 1, "the vif response");
  if (type == vif_ok) {
    uint8_t info[vif_info_size];
    read_exactly(fd, info, sizeof info, "the vif response");
    return decode_vif_info(info);
  }
  uint8_t length = 0;
  read_exactly(fd, &length, 1, "the vif error");
  std::string message(length, '\0');
  read_exactly(fd, message.data(), length, "the vif error");
  throw Error("VPNKit refused the vif " + uuid + ": " + message);
}

void write_frame(int fd, const uint8_t* frame, size_t size) {
  // One write per frame: the header and the body never travel in separate segments.
  std::vector<uint8_t> buf(frame_header_size + size);
  auto header = encode_frame_header(size);
  std::memcpy(buf.data(), header.data(), header.size());
  std::memcpy(buf.data() + frame_header_size, frame, size);
  write_all(fd, buf.data(), buf.size());
}

bool read_frame(int fd, std::vector<uint8_t>& frame) {
  uint8_t header[frame_header_size];
  size_t n = read_full(fd, header, sizeof header);
  if (n == 0) {
    return false;
  }
  if (n != sizeof header) {
    throw Error("unexpected EOF inside a VPNKit frame header");
  }
  frame.resize(decode_frame_header(header));
  read_exactly(fd, frame.data(), frame.size(), "a VPNKit frame");
  return true;
}

}  // namespace rootlesskit::network::vpnkit

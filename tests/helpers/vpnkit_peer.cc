// vpnkit_peer: a stand-in for `vpnkit --ethernet SOCKET --mtu N [--host-ip IP]` for the tests
// (VPNKit is not packaged for Debian). It speaks the server side of VPNKit's published vmnet
// protocol on SOCKET, written independently of src/network/vpnkit so that the two check each
// other: handshake, vif answer with a fixed MAC, u16-LE-length-prefixed frames; on the frames it
// is a tiny 192.168.65.0/24 "network": DHCP (OFFER/ACK of 192.168.65.3/24, router and DNS
// 192.168.65.1), ARP and ICMP echo for 192.168.65.1. Nothing leaves the socket.
// With VPNKIT_PEER_LOG=FILE it appends what it did there ("argv ...", "vif UUID", "dhcp ...").
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<uint8_t>;

const uint8_t gateway_mac[6] = {0xf6, 0x16, 0x36, 0xbc, 0xf9, 0xc6};
const uint8_t vif_mac[6] = {0x02, 0x50, 0x00, 0x00, 0x00, 0x03};
const uint8_t gateway_ip[4] = {192, 168, 65, 1};
const uint8_t client_ip[4] = {192, 168, 65, 3};
const uint8_t netmask[4] = {255, 255, 255, 0};

void note(const std::string& line) {
  if (const char* path = std::getenv("VPNKIT_PEER_LOG")) {
    std::ofstream(path, std::ios::app) << line << "\n";
  }
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "vpnkit_peer: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(1);
}

bool read_exact(int fd, void* data, size_t size) {
  auto* p = static_cast<uint8_t*>(data);
  while (size > 0) {
    ssize_t n = ::read(fd, p, size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool write_exact(int fd, const void* data, size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
void put_be16(uint8_t* p, unsigned v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

uint16_t checksum(const uint8_t* data, size_t size) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < size; i += 2) {
    sum += be16(data + i);
  }
  if (size % 2 != 0) {
    sum += static_cast<uint32_t>(data[size - 1]) << 8;
  }
  while (sum >> 16 != 0) {
    sum = (sum & 0xffff) + (sum >> 16);
  }
  return static_cast<uint16_t>(~sum);
}

std::string uuid_of(const uint8_t* request) { return std::string(reinterpret_cast<const char*>(request + 1), 36); }

// --- the ethernet side -------------------------------------------------------------------

Bytes ethernet(const uint8_t* dst, uint16_t type, size_t payload_size) {
  Bytes f(14 + payload_size, 0);
  std::memcpy(f.data(), dst, 6);
  std::memcpy(f.data() + 6, gateway_mac, 6);
  put_be16(f.data() + 12, type);
  return f;
}

Bytes arp_reply(const uint8_t* frame, size_t size) {
  const uint8_t* arp = frame + 14;
  if (size < 14 + 28 || be16(arp + 6) != 1 || std::memcmp(arp + 24, gateway_ip, 4) != 0) {
    return {};
  }
  Bytes f = ethernet(arp + 8, 0x0806, 28);
  uint8_t* r = f.data() + 14;
  std::memcpy(r, arp, 6);  // htype, ptype, hlen, plen
  put_be16(r + 6, 2);
  std::memcpy(r + 8, gateway_mac, 6);
  std::memcpy(r + 14, gateway_ip, 4);
  std::memcpy(r + 18, arp + 8, 10);  // the asker's MAC and IP
  return f;
}

Bytes icmp_echo_reply(const uint8_t* frame, size_t size) {
  const uint8_t* ip = frame + 14;
  size_t ihl = static_cast<size_t>(ip[0] & 0x0f) * 4;
  size_t total = be16(ip + 2);
  if (14 + total > size || total < ihl + 8 || ip[ihl] != 8 || std::memcmp(ip + 16, gateway_ip, 4) != 0) {
    return {};
  }
  Bytes f = ethernet(frame + 6, 0x0800, total);
  uint8_t* r = f.data() + 14;
  std::memcpy(r, ip, total);
  std::memcpy(r + 12, ip + 16, 4);
  std::memcpy(r + 16, ip + 12, 4);
  r[8] = 64;
  put_be16(r + 10, 0);
  put_be16(r + 10, checksum(r, ihl));
  r[ihl] = 0;  // echo reply
  put_be16(r + ihl + 2, 0);
  put_be16(r + ihl + 2, checksum(r + ihl, total - ihl));
  return f;
}

void add_option(Bytes& b, uint8_t code, const uint8_t* data, uint8_t size) {
  b.push_back(code);
  b.push_back(size);
  b.insert(b.end(), data, data + size);
}

// An OFFER for a DISCOVER, an ACK for a REQUEST (message type first, as real VPNKit does and
// upstream's client expects at byte 240).
Bytes dhcp_reply(const uint8_t* bootp, uint8_t type) {
  Bytes b(240, 0);
  b[0] = 2;  // BOOTREPLY
  b[1] = 1;
  b[2] = 6;
  std::memcpy(b.data() + 4, bootp + 4, 4);     // xid
  std::memcpy(b.data() + 10, bootp + 10, 2);   // flags
  std::memcpy(b.data() + 16, client_ip, 4);    // yiaddr
  std::memcpy(b.data() + 20, gateway_ip, 4);   // siaddr
  std::memcpy(b.data() + 28, bootp + 28, 16);  // chaddr
  const uint8_t cookie[4] = {99, 130, 83, 99};
  std::memcpy(b.data() + 236, cookie, 4);
  const uint8_t lease[4] = {0, 0, 0x1c, 0x20};  // 7200 s
  add_option(b, 53, &type, 1);
  add_option(b, 54, gateway_ip, 4);
  add_option(b, 51, lease, 4);
  add_option(b, 1, netmask, 4);
  add_option(b, 3, gateway_ip, 4);
  add_option(b, 6, gateway_ip, 4);
  b.push_back(255);
  b.resize(std::max<size_t>(b.size(), 300), 0);
  return b;
}

uint8_t dhcp_type(const uint8_t* bootp, size_t size) {
  for (size_t i = 240; i + 2 <= size && bootp[i] != 255;) {
    if (bootp[i] == 0) {
      ++i;
      continue;
    }
    if (bootp[i] == 53 && bootp[i + 1] == 1 && i + 2 < size) {
      return bootp[i + 2];
    }
    i += 2 + bootp[i + 1];
  }
  return 0;
}

Bytes dhcp_answer(const uint8_t* frame, size_t size) {
  const uint8_t* ip = frame + 14;
  size_t ihl = static_cast<size_t>(ip[0] & 0x0f) * 4;
  const uint8_t* udp = ip + ihl;
  if (14 + ihl + 8 + 240 > size || be16(udp + 2) != 67) {
    return {};
  }
  const uint8_t* bootp = udp + 8;
  size_t bootp_size = size - 14 - ihl - 8;
  uint8_t type = dhcp_type(bootp, bootp_size);
  uint8_t answer = type == 1 ? 2 : type == 3 ? 5 : 0;
  if (answer == 0) {
    return {};
  }
  note(std::string("dhcp ") + (answer == 2 ? "offer" : "ack"));
  Bytes payload = dhcp_reply(bootp, answer);
  const uint8_t broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  Bytes f = ethernet(broadcast, 0x0800, 20 + 8 + payload.size());
  uint8_t* r = f.data() + 14;
  r[0] = 0x45;
  put_be16(r + 2, 20 + 8 + static_cast<unsigned>(payload.size()));
  r[8] = 64;
  r[9] = 17;
  std::memcpy(r + 12, gateway_ip, 4);
  std::memset(r + 16, 0xff, 4);
  put_be16(r + 10, checksum(r, 20));
  put_be16(r + 20, 67);
  put_be16(r + 22, 68);
  put_be16(r + 24, 8 + static_cast<unsigned>(payload.size()));
  std::memcpy(r + 28, payload.data(), payload.size());
  return f;
}

Bytes answer(const Bytes& frame) {
  if (frame.size() < 14 + 20) {
    return {};
  }
  uint16_t type = be16(frame.data() + 12);
  if (type == 0x0806) {
    return arp_reply(frame.data(), frame.size());
  }
  if (type != 0x0800 || (frame[14] >> 4) != 4) {
    return {};
  }
  uint8_t proto = frame[14 + 9];
  if (proto == 17) {
    return dhcp_answer(frame.data(), frame.size());
  }
  if (proto == 1) {
    Bytes reply = icmp_echo_reply(frame.data(), frame.size());
    if (!reply.empty()) {
      note("icmp echo");
    }
    return reply;
  }
  return {};
}

// --- the vmnet protocol -------------------------------------------------------------------

struct Client {
  int fd = -1;
  int stage = 0;  // 0: handshake, 1: vif request, 2: frames
};

bool send_frame(int fd, const Bytes& frame) {
  uint8_t header[2] = {static_cast<uint8_t>(frame.size()), static_cast<uint8_t>(frame.size() >> 8)};
  return write_exact(fd, header, 2) && write_exact(fd, frame.data(), frame.size());
}

// Handles what `c` sent; false when the client is gone or broke the protocol.
bool serve(Client& c, int mtu) {
  if (c.stage == 0) {
    uint8_t hello[49];
    if (!read_exact(c.fd, hello, sizeof hello) || std::memcmp(hello, "VMN3T", 5) != 0) {
      return false;
    }
    uint8_t ours[49] = {'V', 'M', 'N', '3', 'T', 22, 0, 0, 0};
    std::memcpy(ours + 9, "vpnkit_peer", 11);
    c.stage = 1;
    return write_exact(c.fd, ours, sizeof ours);
  }
  if (c.stage == 1) {
    uint8_t request[41];
    if (!read_exact(c.fd, request, sizeof request)) {
      return false;
    }
    note("vif " + uuid_of(request) + " type " + std::to_string(request[0]));
    uint8_t reply[258] = {1};
    reply[1] = static_cast<uint8_t>(mtu);
    reply[2] = static_cast<uint8_t>(mtu >> 8);
    reply[3] = static_cast<uint8_t>(mtu + 50);
    reply[4] = static_cast<uint8_t>((mtu + 50) >> 8);
    std::memcpy(reply + 5, vif_mac, 6);
    c.stage = 2;
    return write_exact(c.fd, reply, sizeof reply);
  }
  uint8_t header[2];
  if (!read_exact(c.fd, header, 2)) {
    return false;
  }
  Bytes frame(static_cast<size_t>(header[0] | header[1] << 8));
  if (!read_exact(c.fd, frame.data(), frame.size())) {
    return false;
  }
  Bytes reply = answer(frame);
  return reply.empty() || send_frame(c.fd, reply);
}

int listen_on(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    die("socket path " + path);
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  ::unlink(path.c_str());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0) {
    die("listen on " + path);
  }
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  std::string socket_path;
  int mtu = 1500;
  std::string all;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    all += (i > 1 ? " " : "") + a;
    if (a == "--ethernet" && i + 1 < argc) {
      socket_path = argv[i + 1];
    } else if (a == "--mtu" && i + 1 < argc) {
      mtu = std::atoi(argv[i + 1]);
    }
  }
  note("argv " + all);
  if (socket_path.empty()) {
    std::fprintf(stderr, "usage: vpnkit_peer --ethernet SOCKET [--mtu N] [--host-ip IP]\n");
    return 2;
  }
  int listener = listen_on(socket_path);
  std::vector<Client> clients;
  while (true) {
    std::vector<pollfd> fds = {{listener, POLLIN, 0}};
    for (const auto& c : clients) {
      fds.push_back({c.fd, POLLIN, 0});
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      die("poll");
    }
    for (size_t i = clients.size(); i-- > 0;) {
      if (fds[i + 1].revents != 0 && !serve(clients[i], mtu)) {
        ::close(clients[i].fd);
        clients.erase(clients.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
    if (fds[0].revents & POLLIN) {
      int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) {
        clients.push_back({fd, 0});
      }
    }
  }
}

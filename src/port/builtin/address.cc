// Socket addresses, Go-style listeners and the child's dial target.
#include "port/builtin/address.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/tcp.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "common/strings.h"
#include "port/spec.h"

namespace rootlesskit::port::builtin {
namespace {

// RAII for getifaddrs(3).
struct InterfaceAddresses {
  ifaddrs* list = nullptr;
  InterfaceAddresses() {
    if (::getifaddrs(&list) != 0) {
      list = nullptr;
    }
  }
  ~InterfaceAddresses() {
    if (list != nullptr) {
      ::freeifaddrs(list);
    }
  }
  InterfaceAddresses(const InterfaceAddresses&) = delete;
  InterfaceAddresses& operator=(const InterfaceAddresses&) = delete;
};

bool is_host_address(const SocketAddress& address) {
  InterfaceAddresses addrs;
  for (ifaddrs* a = addrs.list; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != address.family()) {
      continue;
    }
    socklen_t len = a->ifa_addr->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    sockaddr_storage storage{};
    std::memcpy(&storage, a->ifa_addr, len);
    if (SocketAddress::from_raw(storage, len).ip_string() == address.ip_string()) {
      return true;
    }
  }
  return false;
}

bool is_unspecified(const SocketAddress& a) { return a.ip_string() == "0.0.0.0" || a.ip_string() == "::"; }

}  // namespace

SocketAddress SocketAddress::from_ip(std::string_view ip, int port) {
  SocketAddress a;
  std::string text(ip);
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.m_storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.m_storage);
  if (text.find('\0') == std::string::npos && ::inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    a.m_length = sizeof(sockaddr_in);
    return a;
  }
  if (text.find('\0') == std::string::npos && ::inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    a.m_length = sizeof(sockaddr_in6);
    // Go's net package takes ::ffff:a.b.c.d for the IPv4 address (listens and dials v4).
    return a.unmapped();
  }
  throw Error("invalid IP: " + go_quote(ip));
}

SocketAddress SocketAddress::from_raw(const sockaddr_storage& storage, socklen_t length) {
  SocketAddress a;
  a.m_storage = storage;
  a.m_length = length;
  return a;
}

int SocketAddress::port() const {
  if (family() == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(&m_storage)->sin_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in6*>(&m_storage)->sin6_port);
}

std::string SocketAddress::ip_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&m_storage)->sin_addr, buf, sizeof buf);
  } else if (family() == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&m_storage)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

std::string SocketAddress::to_string() const { return join_host_port(ip_string(), port()); }

bool SocketAddress::is_loopback() const {
  SocketAddress plain = unmapped();
  if (plain.family() == AF_INET) {
    auto addr = ntohl(reinterpret_cast<const sockaddr_in*>(&plain.m_storage)->sin_addr.s_addr);
    return (addr >> 24) == 127;
  }
  return plain.family() == AF_INET6 &&
         IN6_IS_ADDR_LOOPBACK(&reinterpret_cast<const sockaddr_in6*>(&plain.m_storage)->sin6_addr);
}

SocketAddress SocketAddress::unmapped() const {
  if (family() != AF_INET6) {
    return *this;
  }
  const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&m_storage);
  if (!IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
    return *this;
  }
  SocketAddress a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.m_storage);
  v4->sin_family = AF_INET;
  v4->sin_port = v6->sin6_port;
  std::memcpy(&v4->sin_addr, &v6->sin6_addr.s6_addr[12], 4);
  a.m_length = sizeof(sockaddr_in);
  return a;
}

std::string SocketAddress::key() const { return std::string(reinterpret_cast<const char*>(&m_storage), m_length); }

std::string join_host_port(std::string_view host, int port) {
  std::string h(host);
  if (h.find(':') != std::string::npos) {
    h = "[" + h + "]";
  }
  return h + ":" + std::to_string(port);
}

ListenResult listen_port(std::string_view proto, std::string_view ip, int port) {
  const bool tcp = base_proto(proto) == "tcp";
  const char suffix = proto.back();
  // Go's error shows the parsed address (::ffff:127.0.0.1 as 127.0.0.1), or ":80" for none.
  const std::string shown = join_host_port(ip.empty() ? "" : SocketAddress::from_ip(ip, port).ip_string(), port);
  ListenResult result;
  auto fail = [&](const std::string& step, int err) {
    result.fd.reset();
    result.error = err;
    result.error_text = "listen " + std::string(proto) + " " + shown + ": " + step + ": " + errno_text(err);
    return std::move(result);
  };
  SocketAddress address;
  bool dual_stack = false;
  if (ip.empty() || is_unspecified(SocketAddress::from_ip(ip, port))) {
    // Go listens on the unspecified address of the wanted family; plain tcp/udp: both.
    address = SocketAddress::from_ip(suffix == '4' ? "0.0.0.0" : "::", port);
    dual_stack = suffix != '4' && suffix != '6';
  } else {
    address = SocketAddress::from_ip(ip, port);
    if ((suffix == '4' && address.family() != AF_INET) || (suffix == '6' && address.family() != AF_INET6)) {
      result.error = EAFNOSUPPORT;
      result.error_text =
          "listen " + std::string(proto) + ": address " + std::string(ip) + ": no suitable address found";
      return result;
    }
  }
  result.fd.reset(::socket(address.family(), (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!result.fd) {
    return fail("socket", errno);
  }
  int one = 1;
  int v6only = dual_stack ? 0 : 1;
  if (address.family() == AF_INET6) {
    ::setsockopt(result.fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
  }
  if (tcp) {
    ::setsockopt(result.fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    // Small requests and answers go out at once, as with Go's default TCP_NODELAY upstream.
    // Every accepted socket inherits it from the listener (the child makes its own sockets so).
    ::setsockopt(result.fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  if (::bind(result.fd.get(), address.get(), address.length()) != 0) {
    return fail("bind", errno);
  }
  if (tcp && ::listen(result.fd.get(), SOMAXCONN) != 0) {
    return fail("listen", errno);
  }
  return result;
}

std::string child_target_ip(std::string_view child_ip, std::string_view parent_ip) {
  if (!child_ip.empty()) {
    return SocketAddress::from_ip(child_ip, 0).ip_string();  // canonical, as upstream
  }
  if (parent_ip.empty()) {
    return "127.0.0.1";
  }
  SocketAddress parent = SocketAddress::from_ip(parent_ip, 0);
  if (parent.ip_string() == "0.0.0.0" || (!parent.is_loopback() && is_host_address(parent))) {
    return "127.0.0.1";
  }
  return parent.ip_string();
}

}  // namespace rootlesskit::port::builtin

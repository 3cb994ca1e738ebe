// Addresses, listeners and the child's dial target of the builtin driver, with Go's semantics.
#include "port/builtin/address.h"

#include <gtest/gtest.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "common/error.h"

namespace rootlesskit::port::builtin {
namespace {

int bound_family(const Fd& fd) {
  sockaddr_storage storage{};
  socklen_t len = sizeof storage;
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&storage), &len);
  return storage.ss_family;
}

TEST(SocketAddress, Ipv4MappedIsIpv4AsInGo) {
  SocketAddress a = SocketAddress::from_ip("::ffff:127.0.0.1", 80);
  EXPECT_EQ(a.family(), AF_INET);
  EXPECT_EQ(a.to_string(), "127.0.0.1:80");
  EXPECT_EQ(SocketAddress::from_ip("::1", 80).to_string(), "[::1]:80");
  EXPECT_EQ(SocketAddress::from_ip("10.0.2.100", 8080).to_string(), "10.0.2.100:8080");
  EXPECT_THROW(SocketAddress::from_ip("localhost", 80), Error);
}

TEST(ChildTargetIp, ChildIpThenParentIpThenLoopback) {
  EXPECT_EQ(child_target_ip("::ffff:127.0.0.1", "::1"), "127.0.0.1");  // canonical, as net.IP.String()
  EXPECT_EQ(child_target_ip("", ""), "127.0.0.1");
  EXPECT_EQ(child_target_ip("", "0.0.0.0"), "127.0.0.1");
  EXPECT_EQ(child_target_ip("", "::ffff:0.0.0.0"), "127.0.0.1");
  EXPECT_EQ(child_target_ip("", "::1"), "::1");
  EXPECT_EQ(child_target_ip("", "127.0.0.2"), "127.0.0.2");
  EXPECT_EQ(child_target_ip("", "::ffff:127.0.0.2"), "127.0.0.2");
}

// Debian's rootlesskit 1.1.0 (Go) listens on 127.0.0.1 for tcp/udp on ::ffff:127.0.0.1, and
// says "no suitable address found" for tcp6.
TEST(ListenPort, Ipv4MappedListensOnIpv4) {
  for (const char* proto : {"tcp", "tcp4", "udp"}) {
    ListenResult r = listen_port(proto, "::ffff:127.0.0.1", 0);
    ASSERT_EQ(r.error, 0) << proto << ": " << r.error_text;
    EXPECT_EQ(bound_family(r.fd), AF_INET) << proto;
  }
  ListenResult r = listen_port("tcp6", "::ffff:127.0.0.1", 0);
  EXPECT_NE(r.error, 0);
  EXPECT_EQ(r.error_text, "listen tcp6: address ::ffff:127.0.0.1: no suitable address found");
}

// Small answers go out at once (Go sets TCP_NODELAY); accepted sockets inherit it.
TEST(ListenPort, TcpListenersHaveNoDelay) {
  ListenResult r = listen_port("tcp", "127.0.0.1", 0);
  ASSERT_EQ(r.error, 0) << r.error_text;
  int on = 0;
  socklen_t len = sizeof on;
  ASSERT_EQ(::getsockopt(r.fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, &len), 0);
  EXPECT_EQ(on, 1);
}

TEST(ListenPort, ErrorsShowTheParsedAddress) {
  ListenResult first = listen_port("tcp", "127.0.0.1", 0);
  ASSERT_EQ(first.error, 0) << first.error_text;
  sockaddr_storage storage{};
  socklen_t len = sizeof storage;
  ::getsockname(first.fd.get(), reinterpret_cast<sockaddr*>(&storage), &len);
  int port = SocketAddress::from_raw(storage, len).port();
  std::string in_use = "127.0.0.1:" + std::to_string(port) + ": bind: address already in use";
  EXPECT_EQ(listen_port("tcp", "::ffff:127.0.0.1", port).error_text, "listen tcp " + in_use);
  EXPECT_EQ(listen_port("tcp4", "127.0.0.1", port).error_text, "listen tcp4 " + in_use);
}

}  // namespace
}  // namespace rootlesskit::port::builtin

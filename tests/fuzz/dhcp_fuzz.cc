// libFuzzer target: DHCP replies as the lxc-user-nic driver reads them from a UDP socket
// (dhcp::decode, then lease_from_ack) and as the vpnkit driver finds them in ethernet frames
// (dhcp::server_payload). A decoded message must encode to bytes that decode and encode the same;
// a lease must be one the child can configure. Build and run: scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_common.h"
#include "network/dhcp/frame.h"
#include "network/dhcp/message.h"

namespace {

using namespace rootlesskit;
using namespace rootlesskit::network::dhcp;

void reply(const uint8_t* data, size_t size) {
  Message m;
  if (!fuzz::succeeds([&] { m = decode(data, size); })) {
    return;
  }
  std::vector<uint8_t> bytes = encode(m);
  FUZZ_CHECK(bytes.size() >= 300);
  std::vector<uint8_t> again = encode(decode(bytes.data(), bytes.size()));
  FUZZ_CHECK(again == bytes);
  if (auto type = m.type()) {
    FUZZ_CHECK(!to_string(*type).empty());
  }
  Lease lease;
  if (fuzz::succeeds([&] { lease = lease_from_ack(m); })) {
    FUZZ_CHECK(lease.ip != Ipv4Address{});
    FUZZ_CHECK(lease.prefix >= 0 && lease.prefix <= 32);
    FUZZ_CHECK(!lease.dns.empty());
  }
}

void frame(const uint8_t* data, size_t size) {
  auto payload = server_payload(data, size);
  if (!payload) {
    return;
  }
  FUZZ_CHECK(payload->size() <= size);
  reply(payload->data(), payload->size());
  // Our own frames are never taken for a server's (the ports are the other way round), and
  // their IPv4 header checksum verifies.
  std::vector<uint8_t> ours = client_frame(MacAddress{2, 0, 0, 0, 0, 1}, *payload);
  FUZZ_CHECK(!server_payload(ours.data(), ours.size()));
  FUZZ_CHECK(internet_checksum(ours.data() + 14, 20) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  reply(data, size);
  frame(data, size);
  return 0;
}

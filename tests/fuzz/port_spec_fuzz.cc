// libFuzzer target: port spec text (`-p`, `rootlessctl add-ports`, docker-proxy's flags) through
// port::parse_spec and port::validate_spec. A spec that parses must survive the REST API's JSON
// (to_json, port_spec_from_json) unchanged; one that also validates must read back the same from
// its own text form and conflict with itself. Build and run: scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/types.h"
#include "fuzz_common.h"
#include "port/spec.h"

namespace {

using namespace rootlesskit;
using rootlesskit::port::Spec;
using rootlesskit::port::Status;

// The canonical text form, IPv6 addresses in brackets.
std::string text_of(const Spec& spec) {
  auto host = [](const std::string& ip) { return ip.find(':') == std::string::npos ? ip : "[" + ip + "]"; };
  std::string text = host(spec.parent_ip) + ":" + std::to_string(spec.parent_port) + ":";
  if (!spec.child_ip.empty()) {
    text += host(spec.child_ip) + ":";
  }
  return text + std::to_string(spec.child_port) + "/" + spec.proto;
}

void check_validated(const Spec& spec) {
  FUZZ_CHECK(spec.parent_port >= 1 && spec.parent_port <= 65535);
  FUZZ_CHECK(spec.child_port >= 1 && spec.child_port <= 65535);
  FUZZ_CHECK(!port::describe(spec).empty());
  Spec again;
  FUZZ_CHECK(fuzz::succeeds([&] { again = port::parse_spec(text_of(spec)); }));
  FUZZ_CHECK(again == spec);
  Status status{7, spec};
  FUZZ_CHECK(api::port_status_from_json(api::to_json(status)) == status);
  try {
    port::validate_spec(spec, {status});
    FUZZ_CHECK(!"a spec must conflict with itself");
  } catch (const Error& e) {
    FUZZ_CHECK(std::string(e.what()) == "conflict with ID 7");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Spec spec;
  if (!fuzz::succeeds([&] { spec = port::parse_spec(fuzz::as_text(data, size)); })) {
    return 0;
  }
  FUZZ_CHECK(port::is_known_proto(spec.proto));
  FUZZ_CHECK(api::port_spec_from_json(api::to_json(spec)) == spec);
  if (fuzz::succeeds([&] { port::validate_spec(spec); })) {
    check_validated(spec);
  }
  return 0;
}

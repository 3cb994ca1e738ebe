// libFuzzer target: what the parent reads from slirp4netns: its API socket's replies to
// add_hostfwd and remove_hostfwd (port/slirp4netns: parse_add_hostfwd_reply,
// check_remove_hostfwd_reply, go_map_text for error texts) and its `--help` text (the feature
// probe, network/slirp4netns/features.h). Only rootlesskit::Error may escape, and an error reply
// is never taken for success. Build and run: scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_common.h"
#include "network/slirp4netns/features.h"
#include "port/slirp4netns/slirp4netns.h"

namespace {

using namespace rootlesskit;

void api_reply(const std::string& text) {
  nlohmann::json reply = nlohmann::json::parse(text, nullptr, false);
  bool object = !reply.is_discarded() && reply.is_object();
  bool refused = object && reply.contains("error") && !reply["error"].empty();
  if (object) {
    FUZZ_CHECK(port::slirp4netns::go_map_text(text).starts_with("map["));
  }
  bool added = fuzz::succeeds([&] { port::slirp4netns::parse_add_hostfwd_reply(text); });
  bool removed = fuzz::succeeds([&] { port::slirp4netns::check_remove_hostfwd_reply(text); });
  FUZZ_CHECK(!(added && !removed));  // an add reply that counts as success is a good remove reply too
  FUZZ_CHECK(removed == (object && !refused));
}

void help_text(const std::string& text) {
  network::slirp4netns::Features features;
  if (fuzz::succeeds([&] { features = network::slirp4netns::parse_features(text); })) {
    FUZZ_CHECK(text.find("--netns-type") != std::string::npos);
    FUZZ_CHECK(features.supports_api_socket == (text.find("--api-socket") != std::string::npos));
    FUZZ_CHECK(!network::slirp4netns::describe(features).empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(fuzz::as_text(data, size));
  api_reply(text);
  help_text(text);
  return 0;
}

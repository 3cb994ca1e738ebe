// libFuzzer target: arbitrary bytes, fed in arbitrary splits, go through the API server's request
// path (HTTP request parser -> Router -> JSON decoding and binding -> a PortManager held in memory
// -> response bytes). Nothing may crash, and every answer must be one the Go-style client reads
// back: error bodies decode to their message, success bodies re-encode to the same bytes. Each
// body also goes through the client's decoders, as if a server had answered it.
// Build and run: scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/go_json.h"
#include "api/http/request_parser.h"
#include "api/http/response.h"
#include "api/router.h"
#include "api/types.h"
#include "common/error.h"

namespace {

using namespace rootlesskit;
using namespace rootlesskit::api;

// Add, list and remove in memory, with errors that echo the request (so arbitrary bytes reach
// the error bodies) and a cap so that a long input cannot grow the table without bound.
class MemoryPorts : public PortManager {
 public:
  PortStatus add_port(const PortSpec& spec) override {
    if (spec.proto != "tcp" && spec.proto != "udp") {
      throw Error("unknown proto: " + spec.proto);
    }
    if (spec.parent_port <= 0 || spec.parent_port > 65535) {
      throw Error("invalid ParentPort: " + std::to_string(spec.parent_port));
    }
    if (m_ports.size() >= 16) {
      throw Error("too many ports for " + spec.parent_ip);
    }
    PortStatus status{m_next++, spec};
    m_ports[status.id] = status;
    return status;
  }
  std::vector<PortStatus> list_ports() override {
    std::vector<PortStatus> out;
    for (const auto& [id, status] : m_ports) {
      out.push_back(status);
    }
    return out;
  }
  void remove_port(int id) override {
    if (m_ports.erase(id) == 0) {
      throw Error("unknown id: " + std::to_string(id));
    }
  }

 private:
  std::map<int, PortStatus> m_ports;
  int m_next = 1;
};

Info fuzz_info() {
  Info info;
  info.version = "3.0.1";
  info.state_dir = "/tmp/rootlesskit-fuzz";
  info.child_pid = 42;
  info.port_driver = PortDriverInfo{"builtin", {"tcp", "udp"}, false};
  return info;
}

void check(bool ok) {
  if (!ok) {
    std::abort();
  }
}

// The client's view of an answer must agree with what the server meant to say.
void check_reply(const HttpReply& reply, std::string_view method, std::string_view path) {
  switch (reply.status) {
    case 200:
    case 201:
      if (method == "POST") {
        check(to_json(port_status_from_json(reply.body)) == reply.body);
      } else if (path == "/v1/ports") {
        check(to_json(port_statuses_from_json(reply.body)) == reply.body);
      } else if (path == "/v1/info") {
        check(to_json(info_from_json(reply.body)) == reply.body);
      } else {
        check(reply.body.empty());
      }
      break;
    case 400:
    case 500: check(reply.body.ends_with("\n") && error_message_from_json(reply.body).has_value()); break;
    case 404:
    case 405: break;
    default: check(false);
  }
  http::Response response{reply.status, {{"Content-Type", reply.content_type}}, reply.body};
  check(!http::serialize(response, 1, true, method == "HEAD").empty());
}

// A body the decoder accepts must survive encoding and decoding again; json.Unmarshal accepting
// it means json.Decoder does too.
void check_body(std::string_view body) {
  try {
    PortSpec spec = port_spec_from_json(body);
    check(port_spec_from_json(to_json(spec)) == spec);
  } catch (const Error&) {
  }
  try {
    api::gojson::unmarshal(body);
  } catch (const Error&) {
    return;
  }
  api::gojson::decode_first(body);  // throws (and so fails the run) if they disagree
}

// The client's decoders (rootlessctl, rootlesskit-docker-proxy) read what a server sends: the
// same bytes, taken as an answer. What they accept re-encodes to bytes they read back the same.
void check_answer_body(std::string_view body) {
  try {
    std::string info = to_json(info_from_json(body));
    check(to_json(info_from_json(info)) == info);
    check(!indent_json(info).empty());
  } catch (const Error&) {
  }
  try {
    std::vector<PortStatus> statuses = port_statuses_from_json(body);
    check(port_statuses_from_json(to_json(statuses)) == statuses);
  } catch (const Error&) {
  }
  if (auto message = error_message_from_json(body)) {
    check(error_message_from_json(error_body(*message)) == message);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  MemoryPorts ports;
  Router router(fuzz_info, &ports);
  http::RequestParser parser(http::Limits{2048, 8192});
  // The first byte picks the split size, so partial reads are exercised too.
  size_t step = 1 + data[0] % 64;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  for (size_t off = 0; off < input.size(); off += step) {
    auto state = parser.feed(input.substr(off, step));
    while (state == http::RequestParser::State::complete) {
      const http::Request& request = parser.request();
      check_body(request.body);
      check_answer_body(request.body);
      check_reply(router.handle(request.method, request.path, request.body), request.method, request.path);
      state = parser.reset_for_next();
    }
    if (state == http::RequestParser::State::failed) {
      break;
    }
  }
  return 0;
}

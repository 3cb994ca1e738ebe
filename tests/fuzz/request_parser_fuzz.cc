// libFuzzer target: arbitrary bytes, fed in arbitrary splits, must never crash the API server's
// HTTP parser or let it buffer more than its limits. Build: scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/http/request_parser.h"

using rootlesskit::api::http::RequestParser;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  RequestParser parser(rootlesskit::api::http::Limits{1024, 4096});
  // The first byte picks the split size, so partial reads are exercised too.
  size_t step = 1 + data[0] % 64;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  for (size_t off = 0; off < input.size(); off += step) {
    auto state = parser.feed(input.substr(off, step));
    while (state == RequestParser::State::complete) {
      if (parser.request().body.size() > 4096) {
        std::abort();
      }
      state = parser.reset_for_next();
    }
    if (state == RequestParser::State::failed) {
      break;
    }
  }
  return 0;
}

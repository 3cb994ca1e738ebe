// The REST API's routes and handlers, independent of the HTTP library: maps (method, path, body)
// to a reply with upstream's statuses and bodies (docs/api.md). Runs in the parent, on its
// event loop.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "api/types.h"

namespace rootlesskit::api {

struct HttpReply {
  int status = 200;
  std::string content_type;  // empty: no Content-Type header
  std::string body;
  bool nosniff = false;  // add `X-Content-Type-Options: nosniff` (Go's 404 page)
};

class Router {
 public:
  // Builds the /v1/info answer; throws on failure (-> 500 {"message"}).
  using InfoFunc = std::function<Info()>;

  // `ports` may be null (no port driver: port routes answer 400 "no PortDriver is available").
  // Both must outlive the Router.
  Router(InfoFunc info, PortManager* ports);

  // Thread-safe. Calls into `info` and `ports` are serialised, so drivers need no locking of
  // their own for API calls.
  HttpReply handle(std::string_view method, std::string_view path, std::string_view body);

 private:
  HttpReply get_info();
  HttpReply get_ports();
  HttpReply post_port(std::string_view body);
  HttpReply delete_port(std::string_view id_text);

  InfoFunc m_info;
  PortManager* m_ports;
  std::mutex m_mutex;
};

}  // namespace rootlesskit::api

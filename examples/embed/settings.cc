// Command line and environment -> Settings. Runs in every stage.
#include "settings.h"

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "rootlesskit/error.h"

namespace embed {
namespace {

const char* env(const char* key) {
  const char* value = std::getenv(key);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

bool parse_bool(const char* key, const char* value) {
  std::string v = value;
  if (v == "1" || v == "true") {
    return true;
  }
  if (v == "0" || v == "false") {
    return false;
  }
  throw rootlesskit::Error(std::string(key) + ": expected true or false, got \"" + v + "\"", 2);
}

void read_environment(Settings& s) {
  if (const char* mtu = env("EMBED_ROOTLESS_MTU")) {
    char* end = nullptr;
    long n = std::strtol(mtu, &end, 10);
    if (*end != '\0' || n < 0 || n > 65521) {
      throw rootlesskit::Error(std::string("EMBED_ROOTLESS_MTU: not an MTU: \"") + mtu + "\"", 2);
    }
    s.mtu = static_cast<int>(n);
  }
  if (const char* cidr = env("EMBED_ROOTLESS_CIDR")) {
    s.cidr = cidr;
  }
  if (const char* driver = env("EMBED_ROOTLESS_PORT_DRIVER")) {
    s.port_driver = driver;
    if (s.port_driver != "builtin" && s.port_driver != "slirp4netns") {
      throw rootlesskit::Error(
          "EMBED_ROOTLESS_PORT_DRIVER: expected builtin or slirp4netns, got \"" + s.port_driver + "\"", 2);
    }
  }
  if (const char* loopback = env("EMBED_ROOTLESS_DISABLE_HOST_LOOPBACK")) {
    s.disable_host_loopback = parse_bool("EMBED_ROOTLESS_DISABLE_HOST_LOOPBACK", loopback);
  }
  if (const char* dirs = env("EMBED_ROOTLESS_COPYUPDIRS")) {
    std::istringstream list(dirs);
    for (std::string dir; std::getline(list, dir, ',');) {
      if (!dir.empty()) {
        s.copy_up_dirs.push_back(dir);
      }
    }
  }
}

}  // namespace

Settings read_settings(int argc, char** argv) {
  Settings s;
  s.args.assign(argv + 1, argv + argc);
  std::string publish = "127.0.0.1:8080:80/tcp";
  for (const std::string& arg : s.args) {
    if (arg == "-h" || arg == "--help") {
      s.help = true;
    } else if (arg == "--debug") {
      s.debug = true;
    } else if (arg.rfind("--publish=", 0) == 0) {
      publish = arg.substr(10);
    } else if (arg.rfind("--evacuate-cgroup2=", 0) == 0) {
      s.evacuate_cgroup2 = arg.substr(19);
    } else if (arg.rfind("-", 0) != 0 && s.state_dir.empty()) {
      s.state_dir = std::filesystem::absolute(arg).lexically_normal().string();
    } else {
      throw rootlesskit::Error("unexpected argument \"" + arg + "\"\n" + usage, 2);
    }
  }
  if (s.state_dir.empty() && !s.help) {
    throw rootlesskit::Error(std::string("missing STATE_DIR\n") + usage, 2);
  }
  s.publish = rootlesskit::port::parse_spec(publish);
  rootlesskit::port::validate_spec(s.publish);
  if (s.publish.proto != "tcp" && s.publish.proto != "tcp4") {
    throw rootlesskit::Error("--publish: this example serves TCP only, got " + s.publish.proto, 2);
  }
  read_environment(s);
  return s;
}

}  // namespace embed

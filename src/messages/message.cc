// JSON encoding (nlohmann, field order as upstream emits it) and length-prefixed framing.
#include "messages/message.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/fd.h"

namespace rootlesskit::messages {

using ordered = nlohmann::ordered_json;

std::string encode_named(const std::string& name) {
  ordered j;
  j["Name"] = name;
  return j.dump();
}

std::string encode(const NetworkDriverCompleted& m) {
  ordered j;
  j["Name"] = "ParentInitNetworkDriverCompleted";
  j["Network"] = nullptr;
  j["Dev"] = m.dev;
  j["IP"] = m.ip;
  j["Netmask"] = m.netmask;
  j["Gateway"] = m.gateway;
  j["DNS"] = m.dns.empty() ? ordered(nullptr) : ordered(m.dns);
  j["MTU"] = m.mtu;
  j["NetworkDriverOpaque"] = m.opaque.empty() ? ordered(nullptr) : ordered(m.opaque);
  return j.dump();
}

std::string encode(const PortDriverCompleted& m) {
  ordered j;
  j["Name"] = "ParentInitPortDriverCompleted";
  j["PortDriverOpaque"] = m.opaque.empty() ? ordered(nullptr) : ordered(m.opaque);
  return j.dump();
}

namespace {

nlohmann::json parse_named(const std::string& body, const std::string& name) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    throw Error("failed to parse message " + body);
  }
  std::string got = j.value("Name", "");
  if (got.empty()) {
    throw Error("failed to parse message " + body);
  }
  if (got != name) {
    throw Error("expected \"" + name + "\", got " + body);
  }
  return j;
}

template <typename T>
T get_or(const nlohmann::json& j, const char* key, T fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    return fallback;
  }
  return it->get<T>();
}

}  // namespace

void expect_named(const std::string& body, const std::string& name) { parse_named(body, name); }

NetworkDriverCompleted decode_network(const std::string& body) {
  auto j = parse_named(body, "ParentInitNetworkDriverCompleted");
  NetworkDriverCompleted m;
  m.dev = get_or<std::string>(j, "Dev", "");
  m.ip = get_or<std::string>(j, "IP", "");
  m.netmask = get_or<int>(j, "Netmask", 0);
  m.gateway = get_or<std::string>(j, "Gateway", "");
  m.dns = get_or<std::vector<std::string>>(j, "DNS", {});
  m.mtu = get_or<int>(j, "MTU", 0);
  m.opaque = get_or<std::map<std::string, std::string>>(j, "NetworkDriverOpaque", {});
  return m;
}

PortDriverCompleted decode_port(const std::string& body) {
  auto j = parse_named(body, "ParentInitPortDriverCompleted");
  PortDriverCompleted m;
  m.opaque = get_or<std::map<std::string, std::string>>(j, "PortDriverOpaque", {});
  return m;
}

void write_frame(int fd, const std::string& body) {
  if (body.empty() || body.size() > max_message_size) {
    throw Error("bad message length: " + std::to_string(body.size()) + " (max: " +
                std::to_string(max_message_size) + ")");
  }
  std::string frame(4, '\0');
  auto len = static_cast<uint32_t>(body.size());
  for (int i = 0; i < 4; ++i) {
    frame[static_cast<size_t>(i)] = static_cast<char>((len >> (8 * i)) & 0xff);
  }
  frame += body;
  write_all(fd, frame.data(), frame.size());
}

bool read_frame(int fd, std::string* body) {
  unsigned char header[4];
  size_t n = read_full(fd, header, sizeof header);
  if (n == 0) {
    return false;
  }
  if (n != sizeof header) {
    throw Error("read " + std::to_string(n) + " bytes, expected 4 bytes");
  }
  uint32_t len = header[0] | (header[1] << 8) | (header[2] << 16) | (static_cast<uint32_t>(header[3]) << 24);
  if (len == 0 || len > max_message_size) {
    throw Error("bad message length: " + std::to_string(len) + " (max: " + std::to_string(max_message_size) + ")");
  }
  body->assign(len, '\0');
  n = read_full(fd, body->data(), len);
  if (n != len) {
    throw Error("read " + std::to_string(n) + " bytes, expected " + std::to_string(len) + " bytes");
  }
  return true;
}

}  // namespace rootlesskit::messages

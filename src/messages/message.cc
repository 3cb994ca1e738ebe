// JSON encoding (nlohmann, field order as upstream emits it) and length-prefixed framing.
#include "messages/message.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/fd.h"
#include "messages/channel.h"
#include "messages/json_codec.h"

namespace rootlesskit::messages {

using ordered = nlohmann::ordered_json;

std::string encode_named(const std::string& name) {
  ordered j;
  j["Name"] = name;
  return json_text(j);
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
  return json_text(j);
}

std::string encode(const PortDriverCompleted& m) {
  ordered j;
  j["Name"] = "ParentInitPortDriverCompleted";
  j["PortDriverOpaque"] = m.opaque.empty() ? ordered(nullptr) : ordered(m.opaque);
  return json_text(j);
}

namespace {

nlohmann::json parse_named(const std::string& body, const std::string& name) {
  auto j = json_parse<nlohmann::json>(body);
  if (j.is_discarded() || !j.is_object()) {
    throw Error("failed to parse message " + body);
  }
  std::string got = json_name(j);
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
  return json_field_or(j, key, std::move(fallback), "failed to parse message");
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

std::string encode_child_error(const std::string& message) {
  ordered j;
  j["Name"] = child_error_name;
  j["Message"] = message;
  return json_text(j);
}

std::optional<std::string> decode_child_error(const std::string& body) {
  auto j = json_parse<nlohmann::json>(body);
  if (!j.is_object() || json_name(j) != child_error_name) {
    return std::nullopt;
  }
  auto message = j.find("Message");
  return message != j.end() && message->is_string() ? message->get<std::string>() : body;
}

void send_message(int fd, const std::string& body) {
  if (body.empty() || body.size() > max_message_size) {
    throw Error("bad message length: " + std::to_string(body.size()) + " (max: " + std::to_string(max_message_size) +
                ")");
  }
  send_packet(fd, body);
}

bool receive_message(int fd, std::string* body) {
  Packet packet;
  if (receive_packet(fd, packet) != ReceiveStatus::packet) {
    return false;
  }
  if (packet.fds_lost) {  // the set-up messages carry no fds
    throw Error("received a truncated packet on the parent/child channel");
  }
  *body = std::move(packet.body);
  return true;
}

}  // namespace rootlesskit::messages

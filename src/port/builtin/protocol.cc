// JSON forms of the builtin driver's channel messages (nlohmann, like the other messages).
#include "port/builtin/protocol.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "messages/json_codec.h"

namespace rootlesskit::port::builtin {
namespace {

using json = nlohmann::ordered_json;

const char* type_name(SocketType t) { return t == SocketType::tcp ? "tcp" : "udp"; }

template <typename T>
T field(const json& j, const char* key, T fallback) {
  return messages::json_field_or(j, key, std::move(fallback), "malformed builtin port driver message");
}

SocketType parse_type(const json& j) {
  std::string t = field<std::string>(j, "Type", "");
  if (t == "tcp") {
    return SocketType::tcp;
  }
  if (t == "udp") {
    return SocketType::udp;
  }
  throw Error("unknown socket type " + t);
}

json parse(std::string_view body, const char* name) {
  auto j = messages::json_parse<json>(body);
  if (j.is_discarded() || !j.is_object() || messages::json_name(j) != name) {
    throw Error("malformed builtin port driver message: " + std::string(body));
  }
  return j;
}

}  // namespace

std::string encode(const SocketsMessage& m) {
  json j{{"Name", "BuiltinSockets"}, {"Family", m.family}, {"Type", type_name(m.type)}, {"Count", m.count}};
  if (!m.error.empty()) {
    j["Error"] = m.error;
  }
  return messages::json_text(j);
}

std::string encode(const DialMessage& m) {
  json j{{"Name", "BuiltinDial"}, {"Id", m.id}, {"Type", type_name(m.type)}};
  if (!m.ip.empty()) {
    j["IP"] = m.ip;
    j["Port"] = m.port;
  }
  if (!m.error.empty()) {
    j["Error"] = m.error;
  }
  return messages::json_text(j);
}

std::string encode(const TransparentMessage& m) {
  return messages::json_text(json{{"Name", "BuiltinTransparent"}, {"Ready", m.ready}});
}

std::string encode(const ChannelMessage&) { return messages::json_text(json{{"Name", "BuiltinChannel"}}); }

MessageKind kind_of(std::string_view body) {
  auto j = messages::json_parse<json>(body);
  std::string name = messages::json_name(j);
  if (name == "BuiltinSockets") {
    return MessageKind::sockets;
  }
  if (name == "BuiltinDial") {
    return MessageKind::dial;
  }
  if (name == "BuiltinTransparent") {
    return MessageKind::transparent;
  }
  if (name == "BuiltinChannel") {
    return MessageKind::channel;
  }
  return MessageKind::unknown;
}

SocketsMessage decode_sockets(std::string_view body) {
  json j = parse(body, "BuiltinSockets");
  SocketsMessage m;
  m.family = field(j, "Family", 0);
  if (m.family != 4 && m.family != 6) {
    throw Error("malformed builtin port driver message: bad Family");
  }
  m.type = parse_type(j);
  m.count = field(j, "Count", 0);
  m.error = field<std::string>(j, "Error", "");
  return m;
}

DialMessage decode_dial(std::string_view body) {
  json j = parse(body, "BuiltinDial");
  DialMessage m;
  m.id = field(j, "Id", 0LL);
  m.type = parse_type(j);
  m.ip = field<std::string>(j, "IP", "");
  m.port = field(j, "Port", 0);
  m.error = field<std::string>(j, "Error", "");
  return m;
}

TransparentMessage decode_transparent(std::string_view body) {
  json j = parse(body, "BuiltinTransparent");
  return TransparentMessage{field(j, "Ready", false)};
}

}  // namespace rootlesskit::port::builtin

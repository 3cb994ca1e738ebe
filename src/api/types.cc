// JSON encoding of the API types with Go's exact bytes (json.Marshal field order, omitempty,
// HTML-safe escaping). Runs in the parent (API server) and in clients (rootlessctl).
#include "api/types.h"

#include "api/go_json.h"

namespace rootlesskit::api {
namespace {

// Builds one JSON object in field order; the *_omitempty forms skip Go's zero values.
class ObjectWriter {
 public:
  ObjectWriter& raw(std::string_view key, std::string_view json) {
    m_out += m_first ? "" : ",";
    m_first = false;
    m_out += gojson::quote(key);
    m_out += ':';
    m_out += json;
    return *this;
  }
  ObjectWriter& str(std::string_view key, std::string_view value) { return raw(key, gojson::quote(value)); }
  ObjectWriter& str_omitempty(std::string_view key, std::string_view value) {
    return value.empty() ? *this : str(key, value);
  }
  ObjectWriter& num(std::string_view key, long long value) { return raw(key, std::to_string(value)); }
  ObjectWriter& num_omitempty(std::string_view key, long long value) { return value == 0 ? *this : num(key, value); }
  ObjectWriter& true_omitempty(std::string_view key, bool value) { return value ? raw(key, "true") : *this; }
  std::string done() { return m_out + "}"; }

 private:
  std::string m_out = "{";
  bool m_first = true;
};

// A Go []string: nil (empty here) is `null`.
std::string string_array(const std::vector<std::string>& items) {
  if (items.empty()) {
    return "null";
  }
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    out += i > 0 ? "," : "";
    out += gojson::quote(items[i]);
  }
  out += ']';
  return out;
}

}  // namespace

std::string to_json(const NetworkDriverInfo& info) {
  ObjectWriter w;
  w.str("driver", info.driver);
  if (!info.dns.empty()) {
    w.raw("dns", string_array(info.dns));
  }
  return w.str_omitempty("childIP", info.child_ip).true_omitempty("dynamicChildIP", info.dynamic_child_ip).done();
}

std::string to_json(const PortDriverInfo& info) {
  return ObjectWriter()
      .str("driver", info.driver)
      .raw("protos", string_array(info.protos))
      .true_omitempty("disallowLoopbackChildIP", info.disallow_loopback_child_ip)
      .done();
}

std::string to_json(const Info& info) {
  ObjectWriter w;
  w.str("apiVersion", info.api_version)
      .str("version", info.version)
      .str("stateDir", info.state_dir)
      .num("childPID", info.child_pid);
  if (info.network_driver) {
    w.raw("networkDriver", to_json(*info.network_driver));
  }
  if (info.port_driver) {
    w.raw("portDriver", to_json(*info.port_driver));
  }
  return w.done();
}

std::string to_json(const PortSpec& spec) {
  return ObjectWriter()
      .str_omitempty("proto", spec.proto)
      .str_omitempty("parentIP", spec.parent_ip)
      .num_omitempty("parentPort", spec.parent_port)
      .num_omitempty("childPort", spec.child_port)
      .str_omitempty("childIP", spec.child_ip)
      .done();
}

std::string to_json(const PortStatus& status) {
  return ObjectWriter().num("id", status.id).raw("spec", to_json(status.spec)).done();
}

std::string to_json(const std::vector<PortStatus>& statuses) {
  if (statuses.empty()) {
    return "null";
  }
  std::string out = "[";
  for (size_t i = 0; i < statuses.size(); ++i) {
    out += i > 0 ? "," : "";
    out += to_json(statuses[i]);
  }
  out += ']';
  return out;
}

std::string error_body(std::string_view message) { return ObjectWriter().str("message", message).done() + "\n"; }

std::string indent_json(std::string_view compact) { return gojson::indent(compact, "    "); }

}  // namespace rootlesskit::api

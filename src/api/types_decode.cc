// JSON decoding of the API types with Go's encoding/json rules and error texts
// (`json: cannot unmarshal string into Go struct field Spec.parentPort of type int`).
// Runs in the parent (POST /v1/ports bodies) and in clients (server answers).
#include "api/types.h"

#include <cctype>
#include <initializer_list>
#include <limits>
#include <utility>

#include "api/go_json.h"
#include "common/error.h"
#include "common/strings.h"

namespace rootlesskit::api {
namespace {

using gojson::Value;
using Kind = Value::Kind;

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::null: return "null";
    case Kind::boolean: return "bool";
    case Kind::number: return "number";
    case Kind::string: return "string";
    case Kind::array: return "array";
    case Kind::object: return "object";
  }
  return "value";
}

bool fold_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (x != y && !(std::isalpha(x) && std::tolower(x) == std::tolower(y))) {
      return false;
    }
  }
  return true;
}

// Stores values into C++ fields with Go's encoding/json rules: null leaves the zero value, the
// first type error is kept while decoding goes on, and errors name "<Struct>.<json path>".
class Binder {
 public:
  void type_error(const std::string& what, std::string_view go_type) {
    if (!m_error.empty()) {
      return;
    }
    m_error = "json: cannot unmarshal " + what + " into Go ";
    if (m_path.empty()) {
      m_error += "value";
    } else {
      m_error += "struct field " + m_struct + "." + join(m_path, ".");
    }
    m_error += " of type " + std::string(go_type);
  }

  void str(const Value& v, std::string& out, std::string_view go_type = "string") {
    if (v.kind == Kind::string) {
      out = v.text;
    } else if (v.kind != Kind::null) {
      type_error(kind_name(v.kind), go_type);
    }
  }

  void integer(const Value& v, int& out) {
    if (v.kind == Kind::number) {
      // Go: strconv.ParseInt(literal, 10, 64), so "1.5" and "1e2" are refused. Go's int is
      // 64-bit; ours is int, so larger values are refused with the same message.
      std::optional<long long> n = go_parse_int(v.text, 10);
      if (n && *n >= std::numeric_limits<int>::min() && *n <= std::numeric_limits<int>::max()) {
        out = static_cast<int>(*n);
      } else {
        type_error("number " + v.text, "int");
      }
    } else if (v.kind != Kind::null) {
      type_error(kind_name(v.kind), "int");
    }
  }

  void boolean(const Value& v, bool& out) {
    if (v.kind == Kind::boolean) {
      out = v.boolean;
    } else if (v.kind != Kind::null) {
      type_error(kind_name(v.kind), "bool");
    }
  }

  void strings(const Value& v, std::vector<std::string>& out, std::string_view go_type, std::string_view elem_type) {
    if (v.kind == Kind::array) {
      out.assign(v.items.size(), std::string());
      for (size_t i = 0; i < v.items.size(); ++i) {
        str(v.items[i], out[i], elem_type);
      }
    } else if (v.kind == Kind::null) {
      out.clear();
    } else {
      type_error(kind_name(v.kind), go_type);
    }
  }

  // Decodes a JSON object into a Go struct: calls on_field(index into `names`, value) for every
  // member whose key matches a field name exactly or, failing that, case-insensitively.
  template <typename F>
  void object(const Value& v, std::string_view struct_name, std::string_view go_type,
              std::initializer_list<std::string_view> names, F&& on_field) {
    if (v.kind == Kind::null) {
      return;
    }
    if (v.kind != Kind::object) {
      type_error(kind_name(v.kind), go_type);
      return;
    }
    for (const auto& [key, value] : v.members) {
      int index = find_field(names, key);
      if (index < 0) {
        continue;
      }
      std::string saved_struct = std::exchange(m_struct, std::string(struct_name));
      m_path.emplace_back(names.begin()[index]);
      on_field(index, value);
      m_path.pop_back();
      m_struct = std::move(saved_struct);
    }
  }

  // Throws the first type error, if any.
  void check() const {
    if (!m_error.empty()) {
      throw Error(m_error);
    }
  }

 private:
  static int find_field(std::initializer_list<std::string_view> names, std::string_view key) {
    int i = 0;
    for (auto name : names) {
      if (name == key) {
        return i;
      }
      ++i;
    }
    i = 0;
    for (auto name : names) {
      if (fold_equal(name, key)) {
        return i;
      }
      ++i;
    }
    return -1;
  }

  std::string m_error;
  std::string m_struct;
  std::vector<std::string> m_path;
};

void bind_spec(Binder& b, const Value& v, PortSpec& spec) {
  b.object(v, "Spec", "port.Spec", {"proto", "parentIP", "parentPort", "childPort", "childIP"},
           [&](int i, const Value& f) {
             switch (i) {
               case 0: b.str(f, spec.proto); break;
               case 1: b.str(f, spec.parent_ip); break;
               case 2: b.integer(f, spec.parent_port); break;
               case 3: b.integer(f, spec.child_port); break;
               default: b.str(f, spec.child_ip); break;
             }
           });
}

void bind_status(Binder& b, const Value& v, PortStatus& status) {
  b.object(v, "Status", "port.Status", {"id", "spec"}, [&](int i, const Value& f) {
    if (i == 0) {
      b.integer(f, status.id);
    } else {
      bind_spec(b, f, status.spec);
    }
  });
}

void bind_network_driver(Binder& b, const Value& v, NetworkDriverInfo& info) {
  b.object(v, "NetworkDriverInfo", "api.NetworkDriverInfo", {"driver", "dns", "childIP", "dynamicChildIP"},
           [&](int i, const Value& f) {
             switch (i) {
               case 0: b.str(f, info.driver); break;
               case 1: b.strings(f, info.dns, "[]net.IP", "net.IP"); break;
               case 2: b.str(f, info.child_ip, "net.IP"); break;
               default: b.boolean(f, info.dynamic_child_ip); break;
             }
           });
}

void bind_port_driver(Binder& b, const Value& v, PortDriverInfo& info) {
  b.object(v, "PortDriverInfo", "api.PortDriverInfo", {"driver", "protos", "disallowLoopbackChildIP"},
           [&](int i, const Value& f) {
             switch (i) {
               case 0: b.str(f, info.driver); break;
               case 1: b.strings(f, info.protos, "[]string", "string"); break;
               default: b.boolean(f, info.disallow_loopback_child_ip); break;
             }
           });
}

// A Go pointer field: null leaves it nil, anything else allocates and decodes.
template <typename T, typename F>
void bind_optional(const Value& v, std::optional<T>& out, F&& bind) {
  if (v.kind == Kind::null) {
    return;
  }
  if (!out) {
    out.emplace();
  }
  bind(v, *out);
}

}  // namespace

PortSpec port_spec_from_json(std::string_view json) {
  Value v = gojson::decode_first(json);
  Binder b;
  PortSpec spec;
  bind_spec(b, v, spec);
  b.check();
  return spec;
}

PortStatus port_status_from_json(std::string_view json) {
  Value v = gojson::decode_first(json);
  Binder b;
  PortStatus status;
  bind_status(b, v, status);
  b.check();
  return status;
}

std::vector<PortStatus> port_statuses_from_json(std::string_view json) {
  Value v = gojson::decode_first(json);
  Binder b;
  std::vector<PortStatus> out;
  if (v.kind == Kind::array) {
    out.resize(v.items.size());
    for (size_t i = 0; i < v.items.size(); ++i) {
      bind_status(b, v.items[i], out[i]);
    }
  } else if (v.kind != Kind::null) {
    b.type_error(kind_name(v.kind), "[]port.Status");
  }
  b.check();
  return out;
}

Info info_from_json(std::string_view json) {
  Value v = gojson::decode_first(json);
  Binder b;
  Info info;
  info.api_version.clear();
  b.object(v, "Info", "api.Info", {"apiVersion", "version", "stateDir", "childPID", "networkDriver", "portDriver"},
           [&](int i, const Value& f) {
             switch (i) {
               case 0: b.str(f, info.api_version); break;
               case 1: b.str(f, info.version); break;
               case 2: b.str(f, info.state_dir); break;
               case 3: b.integer(f, info.child_pid); break;
               case 4:
                 bind_optional(f, info.network_driver, [&](const Value& x, auto& o) { bind_network_driver(b, x, o); });
                 break;
               default:
                 bind_optional(f, info.port_driver, [&](const Value& x, auto& o) { bind_port_driver(b, x, o); });
                 break;
             }
           });
  b.check();
  return info;
}

std::optional<std::string> error_message_from_json(std::string_view body) {
  try {
    Value v = gojson::unmarshal(body);
    Binder b;
    std::string message;
    b.object(v, "ErrorJSON", "httputil.ErrorJSON", {"message"}, [&](int, const Value& f) { b.str(f, message); });
    b.check();
    return message;
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace rootlesskit::api

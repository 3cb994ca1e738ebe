// rootlessctl's actions and output formats, byte-compatible with upstream's Go rootlessctl.
// Runs in the rootlessctl process.
#include "api/rootlessctl_commands.h"

#include <cstdlib>
#include <limits>

#include "api/client.h"
#include "common/error.h"
#include "common/strings.h"
#include "common/tabwriter.h"
#include "port/spec.h"

namespace rootlesskit::api {
namespace {

Client connect(const std::string& socket_flag) { return Client::open(resolve_socket_path(socket_flag)); }

void print_line(std::ostream& out, const std::string& line) { out << line << '\n' << std::flush; }

void info_command(const std::string& socket_flag, bool json, std::ostream& out) {
  Client client = connect(socket_flag);
  Info info = client.info();
  out << (json ? format_info_json(info) : format_info_text(info)) << std::flush;
}

void list_ports_command(const std::string& socket_flag, bool json, std::ostream& out) {
  Client client = connect(socket_flag);
  std::vector<PortStatus> ports = client.list_ports();
  if (!json) {
    out << format_ports_table(ports) << std::flush;
    return;
  }
  // One object per line, like add-ports --json; an empty list prints nothing.
  for (const auto& port : ports) {
    print_line(out, to_json(port));
  }
}

void add_ports_command(const std::vector<std::string>& args, bool json, const std::string& socket_flag,
                       std::ostream& out) {
  if (args.empty()) {
    throw Error("no port specified");
  }
  std::vector<PortSpec> specs;
  for (const auto& arg : args) {
    specs.push_back(port::parse_spec(arg));
  }
  Client client = connect(socket_flag);
  for (const auto& spec : specs) {
    PortStatus status = client.add_port(spec);
    print_line(out, json ? to_json(status) : std::to_string(status.id));
  }
}

void remove_ports_command(const std::vector<std::string>& args, const std::string& socket_flag, std::ostream& out) {
  if (args.empty()) {
    throw Error("no ID specified");
  }
  std::vector<int> ids;
  for (const auto& arg : args) {
    long long id = go_atoi(arg);
    // Go's int is 64-bit; ids beyond our int cannot exist, so say so the way Atoi would.
    if (id < std::numeric_limits<int>::min() || id > std::numeric_limits<int>::max()) {
      throw Error("strconv.Atoi: parsing " + go_quote(arg) + ": value out of range");
    }
    ids.push_back(static_cast<int>(id));
  }
  Client client = connect(socket_flag);
  for (int id : ids) {
    client.remove_port(id);
    print_line(out, std::to_string(id));
  }
}

}  // namespace

std::string resolve_socket_path(const std::string& socket_flag) {
  if (!socket_flag.empty()) {
    return socket_flag;
  }
  const char* state_dir = std::getenv("ROOTLESSKIT_STATE_DIR");
  if (state_dir == nullptr || *state_dir == '\0') {
    throw Error("please specify --socket or set $ROOTLESSKIT_STATE_DIR");
  }
  return clean_path(std::string(state_dir) + "/api.sock");  // Go's filepath.Join
}

void run_rootlessctl_command(const std::string& subcommand, const std::vector<std::string>& args, bool json,
                             const std::string& socket_flag, std::ostream& out) {
  if (subcommand == "info") {
    info_command(socket_flag, json, out);
  } else if (subcommand == "list-ports") {
    list_ports_command(socket_flag, json, out);
  } else if (subcommand == "add-ports") {
    add_ports_command(args, json, socket_flag, out);
  } else if (subcommand == "remove-ports") {
    remove_ports_command(args, socket_flag, out);
  } else {
    throw Error("unknown subcommand: " + subcommand);
  }
}

std::string format_info_text(const Info& info) {
  std::string s;
  s += "- REST API version: " + info.api_version + "\n";
  s += "- Implementation version: " + info.version + "\n";
  s += "- State Directory: " + info.state_dir + "\n";
  s += "- Child PID: " + std::to_string(info.child_pid) + "\n";
  if (info.network_driver) {
    s += "- Network Driver: " + info.network_driver->driver + "\n";
    s += "  - DNS: " + go_slice(info.network_driver->dns) + "\n";
    if (!info.network_driver->child_ip.empty()) {
      s += "  - IP: " + info.network_driver->child_ip + "\n";
    }
  }
  if (info.port_driver) {
    s += "- Port Driver: " + info.port_driver->driver + "\n";
    s += "  - Supported protocols: " + go_slice(info.port_driver->protos) + "\n";
  }
  return s;
}

std::string format_info_json(const Info& info) { return indent_json(to_json(info)) + "\n"; }

std::string format_ports_table(const std::vector<PortStatus>& ports) {
  // Every line ends with a tab, so the last column is padded too (trailing spaces), as upstream.
  std::string text = "ID\tPROTO\tPARENTIP\tPARENTPORT\tCHILDIP\tCHILDPORT\t\n";
  for (const auto& p : ports) {
    text += std::to_string(p.id) + "\t" + p.spec.proto + "\t" + p.spec.parent_ip + "\t" +
            std::to_string(p.spec.parent_port) + "\t" + p.spec.child_ip + "\t" + std::to_string(p.spec.child_port) +
            "\t\n";
  }
  return tabwrite(text, 4, 8, 4, ' ');
}

}  // namespace rootlesskit::api

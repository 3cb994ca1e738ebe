// lxc-user-nic option resolution (parent, before anything is created), argv, and failure advice.
#include "network/lxc_user_nic/options.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common/error.h"
#include "common/process.h"
#include "common/strings.h"

namespace rootlesskit::network::lxc_user_nic {
namespace {

std::string usernet_line(const Requester& who, const std::string& bridge) {
  return go_quote(who.user + " veth " + bridge + " 10");
}

bool contains(const std::string& haystack, const char* needle) { return haystack.find(needle) != std::string::npos; }

// Go's strings.Fields: the words between runs of blanks.
std::vector<std::string> fields(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '\r') {
      if (!word.empty()) {
        words.push_back(std::move(word));
        word.clear();
      }
    } else {
      word += c;
    }
  }
  if (!word.empty()) {
    words.push_back(std::move(word));
  }
  return words;
}

}  // namespace

std::string default_binary() {
  struct utsname uts {};
  std::string machine = ::uname(&uts) == 0 ? uts.machine : "";
  for (const std::string& path :
       {std::string("/usr/libexec/lxc/lxc-user-nic"), "/usr/lib/" + machine + "-linux-gnu/lxc/lxc-user-nic",
        std::string("/usr/lib/lxc/lxc-user-nic")}) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
      return path;
    }
  }
  return {};
}

Options resolve(Options o) {
  try {
    o.binary = look_path(o.binary);
  } catch (const Error& e) {
    throw Error("lxc-user-nic binary " + go_quote(o.binary) + " is not installed: " + e.what() +
                " (install the liblxc-common package, e.g. `apt-get install liblxc-common`, which puts the"
                " setuid helper at /usr/libexec/lxc/lxc-user-nic, or pass --lxc-user-nic-binary=PATH)");
  }
  return o;
}

std::vector<std::string> build_argv(const Options& o, pid_t netns_pid) {
  return {o.binary, "create", "/dev/null", "dummy", std::to_string(netns_pid), "veth", o.bridge, o.ifname};
}

Requester current_requester() {
  Requester who;
  uid_t uid = ::getuid();
  if (passwd* pw = ::getpwuid(uid); pw != nullptr) {
    who.user = pw->pw_name;
  } else {
    who.user = std::to_string(uid);
  }
  int n = ::getgroups(0, nullptr);
  std::vector<gid_t> gids(n > 0 ? static_cast<size_t>(n) : 0);
  n = ::getgroups(static_cast<int>(gids.size()), gids.data());
  gids.resize(n > 0 ? static_cast<size_t>(n) : 0);
  gids.push_back(::getgid());
  for (gid_t gid : gids) {
    if (group* gr = ::getgrgid(gid); gr != nullptr) {
      who.groups.emplace_back(gr->gr_name);
    }
  }
  return who;
}

int allowed_nics(const std::string& usernet, const Requester& who, const std::string& bridge) {
  int total = 0;
  for (const std::string& raw : split(usernet, '\n')) {
    std::string_view line = trim_space(raw);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    std::vector<std::string> f = fields(line);
    if (f.size() != 4 || f[1] != "veth" || f[2] != bridge) {
      continue;
    }
    bool match = f[0] == who.user;
    for (const std::string& g : who.groups) {
      match = match || f[0] == "@" + g;
    }
    auto count = parse_int(f[3]);
    if (match && count && *count > 0) {
      total += static_cast<int>(*count);
    }
  }
  return total;
}

std::string failure_advice(const std::string& output, const std::optional<std::string>& usernet, const Requester& who,
                           const std::string& bridge) {
  const std::string add_line = "as root, add the line " + usernet_line(who, bridge) + " to " + usernet_path;
  if (contains(output, "Error attaching") || contains(output, "Could not get MTU for netdev")) {
    return "bridge " + go_quote(bridge) + " does not exist or cannot take a veth: create it, with a DHCP server" +
           " on it (e.g. lxc-net's lxcbr0), or pass --lxc-user-nic-bridge=NAME";
  }
  if (!usernet) {
    return std::string(usernet_path) + " does not exist: " + add_line;
  }
  if (allowed_nics(*usernet, who, bridge) == 0) {
    return std::string(usernet_path) + " allows " + who.user + " no veth on bridge " + bridge + ": " + add_line;
  }
  if (contains(output, "Quota reached")) {
    return "every veth " + std::string(usernet_path) + " allows " + who.user + " on bridge " + bridge +
           " is in use (see /run/lxc/nics): raise the count on its line";
  }
  if (contains(output, "ermission denied") || contains(output, "Operation not permitted")) {
    return "lxc-user-nic must be setuid root (as Debian's liblxc-common installs it)";
  }
  return "";
}

}  // namespace rootlesskit::network::lxc_user_nic

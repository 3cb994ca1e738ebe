// /etc/hosts and /etc/resolv.conf for a non-host network (upstream v3 pkg/child/child.go;
// docs/network.md): written to the state dir, then bind-mounted over /etc's (replacing the
// copied-up symlinks by empty files first when /etc was copied up). Runs in the child, in its
// mount namespace.
#pragma once

#include <string>
#include <vector>

namespace rootlesskit::child {

// STATE/hosts: the current /etc/hosts bytes + "\n127.0.0.1 <hostname>\n::1 <hostname>\n".
std::string hosts_content(const std::string& etc_hosts, const std::string& hostname);
// STATE/resolv.conf: one "nameserver <ip>\n" per server, nothing else.
std::string resolv_conf_content(const std::vector<std::string>& dns);

struct EtcFiles {
  std::string state_dir;
  std::vector<std::string> dns;
  bool etc_copied_up = false;  // "/etc" was among the --copy-up dirs
  bool detached = false;       // --detach-netns: COMMAND keeps the host's /etc
};

// Writes STATE/hosts and STATE/resolv.conf (0644); unless detached, puts them over /etc/hosts and
// /etc/resolv.conf. Without a copied-up /etc, warns that the bind mount lands on the host's file
// (upstream's text). Throws Error "failed to create bind mount /etc/resolv.conf for <src>: ...".
void setup_etc_files(const EtcFiles& request);

}  // namespace rootlesskit::child

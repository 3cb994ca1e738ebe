// The socat port driver's parent half: the port table (upstream's ids and messages) and one
// Supervisor per port. Runs on the parent's event loop.
#include "port/socat/socat.h"

#include <fcntl.h>

#include "common/error.h"
#include "common/fd.h"
#include "common/log.h"
#include "port/privileged.h"
#include "port/socat/supervisor.h"
#include "port/spec.h"

namespace rootlesskit::port::socat {
namespace {

// socat binds as this user, so below net.ipv4.ip_unprivileged_port_start only the sysctl helps
// (a capability on rootlesskit does not reach socat): upstream's builtin hint without that clause.
std::string explain_start_error(const Spec& spec, const std::string& error) {
  int start = unprivileged_port_start();
  if (error.find("Permission denied") == std::string::npos || start < 0 || spec.parent_port >= start) {
    return error;
  }
  return "cannot expose privileged port " + std::to_string(spec.parent_port) +
         ", you can add 'net.ipv4.ip_unprivileged_port_start=" + std::to_string(spec.parent_port) +
         "' to /etc/sysctl.conf (currently " + std::to_string(start) +
         "), or choose a larger port number (>= " + std::to_string(start) + "): " + error;
}

}  // namespace

struct ParentDriver::Published {
  Spec spec;
  std::unique_ptr<Supervisor> supervisor;
};

ParentDriver::ParentDriver(Options options) : m_options(std::move(options)) {}

ParentDriver::~ParentDriver() { stop(); }

// The released versions (v0.3 to v0.13) accept tcp and udp only and have no Info; these are the
// protos of upstream's first Info for the driver, written shortly before its removal.
DriverInfo ParentDriver::info() const { return DriverInfo{"socat", {"tcp", "udp"}, false}; }

void ParentDriver::start(EventLoop& loop, const ChildContext& child) {
  if (child.child_pid <= 0) {
    throw Error("child PID not set");
  }
  const std::string& netns = child.detached_netns_path;
  if (!netns.empty()) {
    // nsenter runs as this user and opens the file by this path: check now that it can.
    Fd probe(::open(netns.c_str(), O_RDONLY | O_CLOEXEC));
    if (!probe) {
      throw errno_error("cannot open the detached network namespace " + netns);
    }
    if (!exec_safe(netns)) {
      throw Error("port driver \"socat\" cannot use the network namespace " + netns +
                  ": socat's EXEC address would split the path (choose a --state-dir without spaces, quotes, "
                  "backslashes or '!')");
    }
  }
  m_loop = &loop;
  m_target = Target{child.child_pid, netns};
}

void ParentDriver::stop() {
  for (auto& [id, published] : m_ports) {
    published->supervisor->stop();
    // A handler of this dispatch round may still hold the supervisor's watchers.
    m_loop->retire(std::move(published->supervisor));
  }
  m_ports.clear();
}

Status ParentDriver::add_port(const Spec& spec) {
  if (m_loop == nullptr) {
    throw Error("child PID not set");
  }
  validate_spec(spec, list_ports());
  Supervisor::Settings settings{build_argv(m_options, m_target, spec), spec.proto, m_options.ready_timeout};
  auto supervisor = std::make_unique<Supervisor>(*m_loop, std::move(settings));
  try {
    supervisor->start();
  } catch (const Error& e) {
    throw Error(explain_start_error(spec, e.what()));
  }
  int id = m_next_id++;
  m_ports.emplace(id, std::make_unique<Published>(Published{spec, std::move(supervisor)}));
  log::debug("port/socat: published port &{{{} {}}}", id, describe(spec));
  return Status{id, spec};
}

std::vector<Status> ParentDriver::list_ports() {
  std::vector<Status> out;
  for (const auto& [id, published] : m_ports) {
    out.push_back(Status{id, published->spec});
  }
  return out;
}

void ParentDriver::remove_port(int id) {
  auto it = m_ports.find(id);
  if (it == m_ports.end()) {
    throw Error("unknown port id: " + std::to_string(id));
  }
  it->second->supervisor->stop();
  m_loop->retire(std::move(it->second->supervisor));
  m_ports.erase(it);
}

}  // namespace rootlesskit::port::socat

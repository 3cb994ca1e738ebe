// The setup steps the new process runs between fork and exec: raw system calls on the Plan the
// parent laid out before the fork, and a fixed-size record on the report pipe when one fails.
// Also the parent's wording of that record.
#include "common/spawn_setup.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "common/error.h"

namespace rootlesskit {
namespace spawn_detail {
namespace {

[[noreturn]] void fail(int report, Step step, size_t index, int err) noexcept {
  SetupRecord r{tag_setup, static_cast<uint8_t>(step), static_cast<uint16_t>(index), err};
  (void)!::write(report, &r, sizeof r);
  ::_exit(127);
}

bool is_target(const Plan& p, int fd) noexcept {
  for (size_t i = 0; i < p.fd_count; ++i) {
    if (p.fds[i].target == fd) {
      return true;
    }
  }
  return false;
}

// Installs the fd plan; returns the report fd to use from now on.
int install_plan(const Plan& p, int report) noexcept {
  if (!p.worker && p.setup->other_fds == OtherFds::cloexec && ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    fail(report, Step::close_fds, 0, errno);
  }
  // The report pipe first: a target may carry its number.
  int high_report = ::fcntl(report, F_DUPFD_CLOEXEC, p.min_free);
  if (high_report < 0) {
    fail(report, Step::move_report, 0, errno);
  }
  report = high_report;
  size_t failed = 0;
  if (int err = install_fds(p.fds, p.fd_count, p.moved, &failed); err != 0) {
    fail(report, Step::pass_fd, failed, err);
  }
  if (!p.worker) {
    return report;
  }
  // A worker never execs, so CLOEXEC would not help: whatever is not in its plan is closed.
  for (int fd = 3; fd < p.min_free; ++fd) {
    if (!is_target(p, fd)) {
      ::close(fd);
    }
  }
  if (::close_range(static_cast<unsigned>(p.min_free), ~0U, 0) != 0) {
    fail(worker_report_fd, Step::close_fds, 0, errno);
  }
  return worker_report_fd;
}

}  // namespace

int run_setup(const Plan& p) noexcept {
  const ProcessSetup& s = *p.setup;
  int report = p.report;
  if (s.pdeathsig != 0) {
    if (::prctl(PR_SET_PDEATHSIG, s.pdeathsig) != 0) {
      fail(report, Step::pdeathsig, 0, errno);
    }
    if (::getppid() != p.parent) {
      ::_exit(127);  // the parent died before the signal was armed: nobody wants us any more
    }
  }
  if (p.new_process_group && ::setpgid(0, 0) != 0) {
    fail(report, Step::setpgid, 0, errno);
  }
  for (size_t i = 0; i < s.namespaces.size(); ++i) {
    if (::setns(s.namespaces[i].fd, s.namespaces[i].nstype) != 0) {
      fail(report, Step::join, i, errno);
    }
  }
  report = install_plan(p, report);
  if (!p.worker) {
    // We ignore SIGPIPE, and an ignored disposition would survive exec.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(SIGPIPE, &dfl, nullptr);
  }
  if (::sigprocmask(SIG_SETMASK, &p.mask, nullptr) != 0) {
    fail(report, Step::signal_mask, 0, errno);
  }
  return report;
}

namespace {

void write_decimal(char* out, long value) noexcept {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  for (int i = 0; i < n; ++i) {
    out[i] = digits[n - 1 - i];
  }
  out[n] = '\0';
}

}  // namespace

[[noreturn]] void exec_program(const Plan& p) noexcept {
  int report = run_setup(p);
  if (p.pid_slot != nullptr) {
    write_decimal(p.pid_slot, ::getpid());
  }
  ::execve(p.path, p.argv, p.envp);
  fail(report, Step::exec, 0, errno);
}

void fill_fd_plan(Plan& plan, const std::vector<FdMapping>& fds, std::vector<int>& moved) {
  moved.assign(fds.size(), -1);
  plan.fds = fds.data();
  plan.fd_count = fds.size();
  plan.moved = moved.data();
  plan.min_free = 3;
  for (const auto& m : fds) {
    plan.min_free = std::max(plan.min_free, m.target + 1);
  }
}

sigset_t initial_mask(const ProcessSetup& setup) {
  if (setup.signal_mask) {
    return *setup.signal_mask;
  }
  sigset_t none;
  sigemptyset(&none);
  return none;
}

// "<step>: <errno text>", worded here in the parent from the new process's record.
std::string describe_failure(const SetupRecord& r, const std::vector<FdMapping>& fds, const ProcessSetup& setup,
                             const std::string& path) {
  std::string step;
  switch (static_cast<Step>(r.step)) {
    case Step::pdeathsig: step = "prctl(PR_SET_PDEATHSIG)"; break;
    case Step::setpgid: step = "setpgid"; break;
    case Step::join:
      step = "failed to join " +
             (r.index < setup.namespaces.size() ? setup.namespaces[r.index].description : std::string("a namespace"));
      break;
    case Step::move_report: step = "failed to move the report pipe"; break;
    case Step::pass_fd:
      step = "failed to pass fd " + (r.index < fds.size() ? std::to_string(fds[r.index].target) : std::string("?"));
      break;
    case Step::close_fds: step = "close_range"; break;
    case Step::signal_mask: step = "sigprocmask"; break;
    case Step::exec: step = "fork/exec " + path; break;
    default: step = "setup step " + std::to_string(r.step); break;
  }
  return step + ": " + errno_text(r.err);
}

}  // namespace spawn_detail

int install_fds(const FdMapping* fds, size_t count, int* scratch, size_t* failed) noexcept {
  int min_free = 3;
  for (size_t i = 0; i < count; ++i) {
    min_free = std::max(min_free, fds[i].target + 1);
  }
  for (size_t i = 0; i < count; ++i) {
    scratch[i] = ::fcntl(fds[i].source, F_DUPFD_CLOEXEC, min_free);
    if (scratch[i] < 0) {
      *failed = i;
      return errno;
    }
  }
  for (size_t i = 0; i < count; ++i) {
    if (::dup2(scratch[i], fds[i].target) < 0) {  // dup2 clears FD_CLOEXEC on the target
      *failed = i;
      return errno;
    }
  }
  return 0;
}

}  // namespace rootlesskit

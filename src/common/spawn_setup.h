// Internal to common/spawn.cc: what the new process does between fork and exec (or its worker
// body), laid out in a Plan before the fork, and the record it reports a failed step with.
// Everything here that runs in the new process is async-signal-safe.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/spawn.h"

namespace rootlesskit::spawn_detail {

// The setup steps, in the order they run. `done` ends a worker's setup.
enum class Step : uint8_t { done, pdeathsig, setpgid, join, move_report, pass_fd, close_fds, signal_mask, exec };

// What the new process writes on its report pipe when a step fails (or a worker's setup is done).
// One write(2) of 8 bytes: atomic on a pipe.
struct SetupRecord {
  char tag;
  uint8_t step;
  uint16_t index;  // which namespace or fd mapping
  int32_t err;
};
static_assert(sizeof(SetupRecord) == 8);

// The first byte of what comes through a report pipe.
constexpr char tag_setup = 'S';  // a SetupRecord
constexpr char tag_ready = 'K';  // report_ready(body)
constexpr char tag_error = 'E';  // the text of what a worker's body threw

// Everything the new process reads between fork and exec, prepared before the fork.
struct Plan {
  pid_t parent = 0;
  const ProcessSetup* setup = nullptr;
  bool new_process_group = false;
  const FdMapping* fds = nullptr;  // the effective plan (a worker's adds stdio and its report pipe)
  size_t fd_count = 0;
  int* moved = nullptr;  // fd_count slots for the sources' temporary copies
  int min_free = 3;      // above every target: where sources are moved before installing
  int report = -1;       // write end of the report pipe
  bool worker = false;
  sigset_t mask{};
  // Programs only.
  const char* path = nullptr;
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  char* pid_slot = nullptr;  // where the digits of our pid go (NUL-terminated), or nullptr
};

// In the new process: the setup steps. Returns the report fd to use from now on; on a failure,
// writes the record and exits 127.
int run_setup(const Plan& p) noexcept;

// In the new process: run_setup(), the pid variable, execve. Never returns.
[[noreturn]] void exec_program(const Plan& p) noexcept;

// In the parent: points `plan` at `fds` (and `moved`, resized for them) and computes min_free.
void fill_fd_plan(Plan& plan, const std::vector<FdMapping>& fds, std::vector<int>& moved);

// In the parent: the mask the new process starts with (nothing blocked unless the setup says).
sigset_t initial_mask(const ProcessSetup& setup);

// In the parent: "<step>: <errno text>", from the record of the new process that failed.
std::string describe_failure(const SetupRecord& r, const std::vector<FdMapping>& fds, const ProcessSetup& setup,
                             const std::string& path);

}  // namespace rootlesskit::spawn_detail

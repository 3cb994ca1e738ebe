// The physical limit of `rootlesskit true` (bench/startup.sh compares against it): the least a
// rootless launcher must do. clone(2) a child into new user+mount namespaces, where it waits on a
// pipe; map its IDs with newuidmap/newgidmap (same argv shape as src/subid/idmap_writer.cc, from
// the running user's first /etc/subuid and /etc/subgid range); release it to exec COMMAND; wait.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

struct Range {
  char start[24];
  char count[24];
};

struct ChildArgs {
  int go_read;
  int go_write;
  char** argv;
};

static char child_stack[64 * 1024] __attribute__((aligned(16)));

static void die(const char* what) {
  perror(what);
  exit(1);
}

// The first "NAME:START:COUNT" (or "UID:START:COUNT") line of FILE for the running user.
static struct Range first_range(const char* file, const char* name, uid_t uid) {
  FILE* f = fopen(file, "re");
  if (f == NULL) {
    die(file);
  }
  char line[256];
  char uid_text[24];
  snprintf(uid_text, sizeof uid_text, "%u", (unsigned)uid);
  struct Range r;
  while (fgets(line, sizeof line, f) != NULL) {
    char* owner = strtok(line, ":\n");
    char* start = strtok(NULL, ":\n");
    char* count = strtok(NULL, ":\n");
    if (owner != NULL && count != NULL && (strcmp(owner, name) == 0 || strcmp(owner, uid_text) == 0)) {
      snprintf(r.start, sizeof r.start, "%s", start);
      snprintf(r.count, sizeof r.count, "%s", count);
      fclose(f);
      return r;
    }
  }
  fprintf(stderr, "no range for %s in %s\n", name, file);
  exit(1);
}

// Starts `TOOL PID 0 OWN_ID 1 1 START COUNT` (newuidmap and newgidmap run side by side).
static pid_t start_map_tool(const char* tool, pid_t child, unsigned own_id, const struct Range* r) {
  char pid_text[24];
  char id_text[24];
  snprintf(pid_text, sizeof pid_text, "%d", (int)child);
  snprintf(id_text, sizeof id_text, "%u", own_id);
  char* argv[] = {(char*)tool, pid_text, "0", id_text, "1", "1", (char*)r->start, (char*)r->count, NULL};
  pid_t pid;
  int err = posix_spawnp(&pid, tool, NULL, NULL, argv, environ);
  if (err != 0) {
    errno = err;
    die(tool);
  }
  return pid;
}

static int wait_status(pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      die("waitpid");
    }
  }
  return status;
}

static int child_main(void* arg) {
  const struct ChildArgs* a = arg;
  close(a->go_write);  // so that the parent's death reads as EOF
  char go;
  if (read(a->go_read, &go, 1) != 1) {
    _exit(1);  // the parent failed to map our IDs
  }
  execvp(a->argv[0], a->argv);
  perror(a->argv[0]);
  _exit(127);
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s COMMAND [ARG...]\n", argv[0]);
    return 2;
  }
  uid_t uid = getuid();
  gid_t gid = getgid();
  struct passwd* pw = getpwuid(uid);
  if (pw == NULL) {
    die("getpwuid");
  }
  struct Range uids = first_range("/etc/subuid", pw->pw_name, uid);
  struct Range gids = first_range("/etc/subgid", pw->pw_name, uid);

  int go[2];
  if (pipe2(go, O_CLOEXEC) != 0) {
    die("pipe2");
  }
  struct ChildArgs args = {go[0], go[1], argv + 1};
  pid_t child = clone(child_main, child_stack + sizeof child_stack, CLONE_NEWUSER | CLONE_NEWNS | SIGCHLD, &args);
  if (child < 0) {
    die("clone");
  }
  pid_t uid_tool = start_map_tool("newuidmap", child, uid, &uids);
  pid_t gid_tool = start_map_tool("newgidmap", child, gid, &gids);
  int uid_status = wait_status(uid_tool);
  int gid_status = wait_status(gid_tool);
  if (uid_status != 0 || gid_status != 0) {
    fprintf(stderr, "newuidmap/newgidmap failed\n");
    kill(child, SIGKILL);
    return 1;
  }
  if (write(go[1], "1", 1) != 1) {
    die("write");
  }
  int status = wait_status(child);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

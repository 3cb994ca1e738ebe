// The physical limit of any TCP port forwarder (bench/port.sh compares the builtin port driver
// with it): accept on one host-loopback port, connect to the target, and move both directions
// with splice(2) through a pipe, one blocking thread per direction, no user-space copy.
// Runs on the host; threads, not processes, so a new connection costs no fork.
// Usage: splice_relay LISTEN_ADDR LISTEN_PORT TARGET_ADDR TARGET_PORT
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

enum { PIPE_SIZE = 1 << 20, CHUNK = 1 << 20 };

struct Flow {
  int from;
  int to;
};

struct Pair {
  int client;
  int target;
};

static struct sockaddr_in g_target;

static void die(const char* what) {
  perror(what);
  exit(1);
}

static struct sockaddr_in parse_addr(const char* addr, const char* port) {
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port))};
  if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
    fprintf(stderr, "splice_relay: bad IPv4 address %s\n", addr);
    exit(2);
  }
  return sa;
}

// Moves everything from flow->from to flow->to. On EOF the write side is shut down (half close,
// as iperf3 and HTTP expect); on an error both sockets are shut down so the other direction's
// blocking splice returns too.
static void* pump(void* arg) {
  const struct Flow* flow = arg;
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0) {
    die("pipe2");
  }
  (void)fcntl(p[1], F_SETPIPE_SZ, PIPE_SIZE);  // best effort: fs.pipe-max-size may be lower
  for (;;) {
    ssize_t in = splice(flow->from, NULL, p[1], NULL, CHUNK, SPLICE_F_MOVE | SPLICE_F_MORE);
    if (in < 0 && errno == EINTR) {
      continue;
    }
    if (in <= 0) {
      shutdown(flow->to, in == 0 ? SHUT_WR : SHUT_RDWR);
      if (in < 0) {
        shutdown(flow->from, SHUT_RDWR);
      }
      break;
    }
    while (in > 0) {
      ssize_t out = splice(p[0], NULL, flow->to, NULL, (size_t)in, SPLICE_F_MOVE | SPLICE_F_MORE);
      if (out < 0 && errno == EINTR) {
        continue;
      }
      if (out <= 0) {
        shutdown(flow->from, SHUT_RDWR);
        shutdown(flow->to, SHUT_RDWR);
        goto done;
      }
      in -= out;
    }
  }
done:
  close(p[0]);
  close(p[1]);
  return NULL;
}

// One accepted connection: connect to the target, pump target->client on a second thread and
// client->target on this one, then close both once both directions are done.
static void* relay(void* arg) {
  struct Pair pair = *(struct Pair*)arg;
  free(arg);
  pair.target = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (pair.target < 0 || connect(pair.target, (struct sockaddr*)&g_target, sizeof g_target) < 0) {
    perror("connect to target");
    close(pair.client);
    if (pair.target >= 0) {
      close(pair.target);
    }
    return NULL;
  }
  int one = 1;
  setsockopt(pair.target, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(pair.client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct Flow up = {pair.client, pair.target};
  struct Flow down = {pair.target, pair.client};
  pthread_t back;
  if (pthread_create(&back, NULL, pump, &down) != 0) {
    die("pthread_create");
  }
  pump(&up);
  pthread_join(back, NULL);
  close(pair.client);
  close(pair.target);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: splice_relay LISTEN_ADDR LISTEN_PORT TARGET_ADDR TARGET_PORT\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);  // a peer that went away is an EPIPE to handle, not a reason to die
  struct sockaddr_in local = parse_addr(argv[1], argv[2]);
  g_target = parse_addr(argv[3], argv[4]);
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) {
    die("socket");
  }
  if (bind(lfd, (struct sockaddr*)&local, sizeof local) < 0 || listen(lfd, 1024) < 0) {
    die("bind/listen");
  }
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  for (;;) {
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno != EINTR && errno != ECONNABORTED) {
        perror("accept4");
      }
      continue;
    }
    struct Pair* pair = malloc(sizeof *pair);
    if (pair == NULL) {
      die("malloc");
    }
    pair->client = fd;
    pthread_t t;
    if (pthread_create(&t, &attr, relay, pair) != 0) {
      die("pthread_create");
    }
  }
}

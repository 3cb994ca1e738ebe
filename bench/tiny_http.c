// The HTTP server bench/port.sh measures connections per second against: one thread, one epoll
// loop, no fork per connection. Each connection gets a fixed 200 answer once its request head has
// arrived and is then closed, so every request of a `Connection: close` client is a new connection.
// Runs inside the rootlesskit namespace (the forwarded case) and on the host (the limit).
// Usage: tiny_http ADDR PORT [COUNTER_FILE]  (COUNTER_FILE: 8 bytes, accepts so far, host-endian)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

enum { HEAD_MAX = 4096, EVENTS = 64 };

static const char k_answer[] =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
    "Connection: close\r\n\r\nok\n";

struct Conn {
  int fd;
  size_t len;
  char head[HEAD_MAX];
};

static void die(const char* what) {
  perror(what);
  exit(1);
}

static int listen_on(const char* addr, const char* port) {
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port))};
  if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
    fprintf(stderr, "tiny_http: bad IPv4 address %s\n", addr);
    exit(2);
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) {
    die("socket");
  }
  if (bind(fd, (struct sockaddr*)&sa, sizeof sa) < 0 || listen(fd, 4096) < 0) {
    die("bind/listen");
  }
  return fd;
}

// The counter lives in a shared file mapping, so the benchmark reads the number of accepts
// without a syscall per connection here and without signalling a process in another namespace.
static volatile uint64_t* map_counter(const char* path) {
  static uint64_t unused;
  if (path == NULL) {
    return &unused;
  }
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0 || ftruncate(fd, sizeof(uint64_t)) < 0) {
    die(path);
  }
  void* p = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) {
    die("mmap");
  }
  close(fd);
  return p;
}

static void accept_all(int ep, int lfd, volatile uint64_t* accepted) {
  for (;;) {
    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno != EAGAIN && errno != ECONNABORTED && errno != EINTR) {
        perror("accept4");
      }
      return;
    }
    *accepted += 1;
    struct Conn* c = malloc(sizeof *c);
    if (c == NULL) {
      die("malloc");
    }
    c->fd = fd;
    c->len = 0;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
      die("epoll_ctl");
    }
  }
}

static void finish(struct Conn* c) {
  close(c->fd);  // also removes it from the epoll set
  free(c);
}

// Reads what has arrived; answers and closes once the head ("\r\n\r\n") is complete.
static void serve(struct Conn* c) {
  for (;;) {
    ssize_t n = read(c->fd, c->head + c->len, HEAD_MAX - 1 - c->len);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && errno == EAGAIN) {
      return;  // more of the head to come
    }
    if (n <= 0) {
      finish(c);  // peer gone before a full head, or an error
      return;
    }
    c->len += (size_t)n;
    c->head[c->len] = '\0';
    if (strstr(c->head, "\r\n\r\n") != NULL) {
      // The answer fits an empty send buffer: one write, no need to wait for EPOLLOUT.
      if (write(c->fd, k_answer, sizeof k_answer - 1) < 0 && errno != EPIPE && errno != ECONNRESET) {
        perror("write");
      }
      finish(c);
      return;
    }
    if (c->len == HEAD_MAX - 1) {
      finish(c);  // head too large for this benchmark server
      return;
    }
  }
}

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: tiny_http ADDR PORT [COUNTER_FILE]\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);  // a peer that went away is an EPIPE to handle, not a reason to die
  volatile uint64_t* accepted = map_counter(argc == 4 ? argv[3] : NULL);
  int lfd = listen_on(argv[1], argv[2]);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
  if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0) {
    die("epoll");
  }
  for (;;) {
    struct epoll_event events[EVENTS];
    int n = epoll_wait(ep, events, EVENTS, -1);
    if (n < 0 && errno != EINTR) {
      die("epoll_wait");
    }
    for (int i = 0; i < n; ++i) {
      if (events[i].data.ptr == NULL) {
        accept_all(ep, lfd, accepted);
      } else {
        serve(events[i].data.ptr);
      }
    }
  }
}

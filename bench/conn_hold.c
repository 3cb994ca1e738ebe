// Holds many idle forwarded connections open, so bench/port.sh can read the port driver's memory
// while it relays them. `serve` runs inside the namespace: an epoll echo server that keeps every
// connection until its peer closes. `connect` runs on the host: opens N connections to the
// published port, proves each reaches the server (one byte echoed), prints "held N", then sleeps
// until killed.
// Usage: conn_hold serve ADDR PORT | conn_hold connect ADDR PORT N
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { ECHO_TIMEOUT_MS = 10000, EVENTS = 64 };

static void die(const char* what) {
  perror(what);
  exit(1);
}

static struct sockaddr_in parse_addr(const char* addr, const char* port) {
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port))};
  if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
    fprintf(stderr, "conn_hold: bad IPv4 address %s\n", addr);
    exit(2);
  }
  return sa;
}

static void echo_or_close(int ep, int fd) {
  char buf[512];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
    return;
  }
  if (n <= 0 || write(fd, buf, (size_t)n) != n) {
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
  }
}

_Noreturn static void serve(struct sockaddr_in sa) {
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) {
    die("socket");
  }
  if (bind(lfd, (struct sockaddr*)&sa, sizeof sa) < 0 || listen(lfd, 1024) < 0) {
    die("bind/listen");
  }
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfd};
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
      if (events[i].data.fd != lfd) {
        echo_or_close(ep, events[i].data.fd);
        continue;
      }
      int fd;
      while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
        struct epoll_event cev = {.events = EPOLLIN, .data.fd = fd};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev) < 0) {
          die("epoll_ctl");
        }
      }
    }
  }
}

// A forwarder may accept on the host before it reaches the server, so a connection only counts
// once its byte came back.
static void check_echo(int fd, int index) {
  struct pollfd p = {.fd = fd, .events = POLLIN};
  char c = 0;
  if (poll(&p, 1, ECHO_TIMEOUT_MS) != 1 || read(fd, &c, 1) != 1 || c != 'x') {
    fprintf(stderr, "conn_hold: connection %d was not echoed\n", index);
    exit(1);
  }
}

_Noreturn static void hold(struct sockaddr_in sa, int count) {
  int* fds = calloc((size_t)count, sizeof *fds);
  if (fds == NULL) {
    die("calloc");
  }
  for (int i = 0; i < count; ++i) {
    fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fds[i] < 0 || connect(fds[i], (struct sockaddr*)&sa, sizeof sa) < 0) {
      die("connect");
    }
    if (write(fds[i], "x", 1) != 1) {
      die("write");
    }
  }
  for (int i = 0; i < count; ++i) {
    check_echo(fds[i], i);
  }
  printf("held %d\n", count);
  fflush(stdout);
  for (;;) {
    pause();  // the connections stay open until the benchmark kills this process
  }
}

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);  // a peer that went away is an EPIPE to handle, not a reason to die
  if (argc == 4 && strcmp(argv[1], "serve") == 0) {
    serve(parse_addr(argv[2], argv[3]));
  }
  if (argc == 5 && strcmp(argv[1], "connect") == 0) {
    hold(parse_addr(argv[2], argv[3]), atoi(argv[4]));
  }
  fprintf(stderr, "usage: conn_hold serve ADDR PORT | conn_hold connect ADDR PORT N\n");
  return 2;
}

#!/usr/bin/env python3
"""Clients for the port-forwarding integration tests (the other end of port_server.py).

    port_client.py tcp HOST PORT LINE [SOURCE_IP]  one request: prints the answer line
    port_client.py udp HOST PORT DATA              one datagram: prints the answer
    port_client.py probe HOST PORT                 prints "accepted" or the connect error name
    port_client.py many HOST PORT COUNT            COUNT short connections, one after another
    port_client.py latency HOST PORT COUNT         the same, printing "ok COUNT" and the 50th
                                                   and 99th percentile of their durations
    port_client.py hold HOST PORT COUNT READY      COUNT echo connections open at once; each one
                                                   echoed a byte; READY written then, all closed
                                                   when READY.stop appears; fails as soon as the
                                                   other side closes one
    port_client.py burst HOST PORT COUNT           COUNT echo connections started at once (faster
                                                   than one event loop accepts them), each echoing
                                                   a byte: prints "echoed COUNT"
    port_client.py upload HOST PORT READY          streams zeros to an echo listener forever,
                                                   reading the echo back; READY after 1 MiB
    port_client.py download HOST PORT READY        reads from a zero listener forever, slowly

Failures print "error: <errno name or what went wrong>" and exit 1, so that a test can compare
"error: ECONNREFUSED" (nothing listens) with "error: ECONNRESET" (accepted, then reset).
"""
import errno
import os
import select
import socket
import sys
import time

TIMEOUT = 5


def connect(host, port, source=None):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    if source:
        s.bind((source, 0))
    s.connect((host, int(port)))
    return s


def request(host, port, line, source=None):
    with connect(host, port, source) as s:
        s.sendall(line.encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(4096)
            if not chunk:
                raise ConnectionError(errno.ECONNABORTED, "EOF before an answer")
            data += chunk
        return data.decode().rstrip("\n")


def udp(host, port, data):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.settimeout(1)
        for _ in range(5):  # a flow's first datagram may wait for its socket in the child
            s.sendto(data.encode(), (host, int(port)))
            try:
                return s.recv(65535).decode()
            except socket.timeout:
                continue
    raise TimeoutError(errno.ETIMEDOUT, "no answer")


def probe(host, port):
    with connect(host, port):
        return "accepted"


def many(host, port, count):
    for i in range(int(count)):
        answer = request(host, port, f"n{i}")
        if not answer.endswith(f" n{i}"):
            raise ValueError(f"connection {i}: unexpected answer {answer!r}")
    return f"ok {count}"


def latency(host, port, count):
    durations = []
    for i in range(int(count)):
        start = time.perf_counter()
        answer = request(host, port, f"n{i}")
        durations.append(time.perf_counter() - start)
        if not answer.endswith(f" n{i}"):
            raise ValueError(f"connection {i}: unexpected answer {answer!r}")
    durations.sort()

    def percentile(p):
        return f"{durations[min(len(durations) - 1, len(durations) * p // 100)] * 1000:.2f} ms"

    return f"ok {count}\np50 {percentile(50)}, p99 {percentile(99)}"


def hold(host, port, count, ready):
    conns = [connect(host, port) for _ in range(int(count))]
    for c in conns:
        c.sendall(b"x")
    for c in conns:
        if c.recv(1) != b"x":
            raise ValueError("no echo on a held connection")
    open(ready, "w").close()
    poller = select.poll()  # not select(): fds above 1023 when a thousand are held
    by_fd = {c.fileno(): c for c in conns}
    for fd in by_fd:
        poller.register(fd, select.POLLIN)
    while not os.path.exists(ready + ".stop"):
        for fd, _ in poller.poll(20):
            if not by_fd[fd].recv(1):  # raises on a reset
                raise ConnectionError(errno.ECONNABORTED, "a held connection was closed")
    for c in conns:
        c.close()
    return f"held {count}"


def burst(host, port, count):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    conns = []
    try:
        for _ in range(int(count)):  # connects started without waiting: they arrive together
            s = socket.socket(family, socket.SOCK_STREAM)
            conns.append(s)
            s.setblocking(False)
            s.connect_ex((host, int(port)))
        for s in conns:
            s.settimeout(TIMEOUT)
            s.sendall(b"x")  # waits for the connect to finish
        for s in conns:
            if s.recv(1) != b"x":
                raise ValueError("no echo on a connection of the burst")
    finally:
        for s in conns:
            s.close()
    return f"echoed {count}"


def upload(host, port, ready):
    s = connect(host, port)
    s.setblocking(False)
    block, sent = bytes(65536), 0
    while True:  # until killed
        try:
            sent += s.send(block)
            s.recv(65536)
        except BlockingIOError:
            time.sleep(0.001)
        if sent >= 1 << 20 and not os.path.exists(ready):
            open(ready, "w").close()


def download(host, port, ready):
    s = connect(host, port)
    received = 0
    while True:  # until killed
        chunk = s.recv(4096)
        if not chunk:
            raise ConnectionError(errno.ECONNABORTED, "EOF")
        received += len(chunk)
        if received >= 1 << 20 and not os.path.exists(ready):
            open(ready, "w").close()
        time.sleep(0.001)


def main():
    command, args = sys.argv[1], sys.argv[2:]
    actions = {"tcp": request, "udp": udp, "probe": probe, "many": many, "latency": latency, "hold": hold,
               "burst": burst, "upload": upload, "download": download}
    try:
        print(actions[command](*args))
    except OSError as e:
        name = errno.errorcode.get(e.errno, str(e)) if e.errno else type(e).__name__
        print(f"error: {name}")
        sys.exit(1)
    except ValueError as e:
        print(f"error: {e}")
        sys.exit(1)


if __name__ == "__main__":
    main()

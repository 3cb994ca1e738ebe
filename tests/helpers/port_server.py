#!/usr/bin/env python3
"""Servers for the port-forwarding integration tests, run as COMMAND inside the namespaces.

    port_server.py READY_FILE SPEC...

Each SPEC is PROTO:ADDRESS:PORT with PROTO tcp (answers one line "<tag> <peer ip> <line>" per
connection, then closes) or udp (answers each datagram with "<tag> <peer ip> <datagram>"), where
<tag> is PROTO:ADDRESS:PORT so that a test sees which listener answered. Writes READY_FILE once
every listener is up, then serves until STOP_FILE (READY_FILE + ".stop") appears. No forking: the
tests run thousands of connections.
"""
import os
import selectors
import socket
import sys


def listen(spec):
    proto, rest = spec.split(":", 1)
    address, port = rest.rsplit(":", 1)
    address = address.strip("[]")
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(family, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((address, int(port)))
    if kind == socket.SOCK_STREAM:
        s.listen(512)
    s.setblocking(False)
    return s, spec


def serve_tcp(sel, listener, tag):
    try:
        conn, peer = listener.accept()
    except BlockingIOError:
        return
    conn.setblocking(True)
    conn.settimeout(5)
    data = b""
    try:
        while b"\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
        line = data.split(b"\n", 1)[0].decode(errors="replace")
        conn.sendall(f"{tag} {peer[0]} {line}\n".encode())
    except OSError:
        pass
    finally:
        conn.close()


def serve_udp(sock, tag):
    try:
        data, peer = sock.recvfrom(65535)
    except BlockingIOError:
        return
    sock.sendto(f"{tag} {peer[0]} ".encode() + data, peer)


def main():
    ready, specs = sys.argv[1], sys.argv[2:]
    sel = selectors.DefaultSelector()
    for spec in specs:
        s, tag = listen(spec)
        sel.register(s, selectors.EVENT_READ, tag)
    with open(ready, "w") as f:
        f.write("ready\n")
    stop = ready + ".stop"
    while not os.path.exists(stop):
        for key, _ in sel.select(timeout=0.05):
            if key.fileobj.type == socket.SOCK_STREAM:
                serve_tcp(sel, key.fileobj, key.data)
            else:
                serve_udp(key.fileobj, key.data)


if __name__ == "__main__":
    main()

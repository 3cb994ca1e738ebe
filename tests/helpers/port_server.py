#!/usr/bin/env python3
"""Servers for the port-forwarding integration tests, run as COMMAND inside the namespaces.

    port_server.py READY_FILE SPEC...

Each SPEC is PROTO:ADDRESS:PORT with PROTO tcp (answers one line "<tag> <peer ip> <line>" per
connection, then closes) or udp (answers each datagram with "<tag> <peer ip> <datagram>"), where
<tag> is PROTO:ADDRESS:PORT so that a test sees which listener answered. Two TCP kinds keep
connections open, for the long-connection tests: echo (sends back what it reads, until EOF) and
zero (writes zeros until the peer goes); reset closes each connection with a reset (RST) once
it has read something. Writes READY_FILE once every listener is up, then serves
until STOP_FILE (READY_FILE + ".stop") appears. No forking: the tests run thousands of
connections; echo and zero connections are served without blocking.
"""
import os
import selectors
import socket
import struct
import sys


def listen(spec):
    proto, rest = spec.split(":", 1)
    address, port = rest.rsplit(":", 1)
    address = address.strip("[]")
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    kind = socket.SOCK_DGRAM if proto == "udp" else socket.SOCK_STREAM
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


class Stream:
    """An echo or zero connection, served as the selector says it is ready."""

    ZEROS = bytes(65536)

    def __init__(self, sel, conn, kind):
        self.sel, self.conn, self.kind, self.out, self.eof = sel, conn, kind, b"", False
        conn.setblocking(False)
        sel.register(conn, self.events(), self)

    def events(self):
        if self.kind == "zero":
            return selectors.EVENT_READ | selectors.EVENT_WRITE
        # echo: stop reading at EOF or while 1 MiB waits to go out (the peer may not read)
        reading = not self.eof and len(self.out) < 1 << 20
        return (selectors.EVENT_READ if reading else 0) | (selectors.EVENT_WRITE if self.out else 0)

    def on_ready(self, mask):
        try:
            if mask & selectors.EVENT_READ:
                data = self.conn.recv(65536)
                if not data and (self.kind == "zero" or not self.out):
                    return self.close()
                self.eof = not data
                if self.kind == "echo":
                    self.out += data
            if mask & selectors.EVENT_WRITE:
                if self.kind == "zero":
                    self.conn.send(self.ZEROS)
                elif self.out:
                    self.out = self.out[self.conn.send(self.out):]
                    if self.eof and not self.out:
                        return self.close()  # everything echoed: pass the EOF on
        except BlockingIOError:
            pass
        except OSError:
            return self.close()
        self.sel.modify(self.conn, self.events(), self)  # never empty: READ, WRITE or both

    def close(self):
        self.sel.unregister(self.conn)
        self.conn.close()


def accept_stream(sel, listener, kind):
    try:
        conn, _ = listener.accept()
    except BlockingIOError:
        return
    if kind == "reset":
        conn.settimeout(5)
        try:
            conn.recv(1)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        conn.close()
        return
    Stream(sel, conn, kind)


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
        for key, mask in sel.select(timeout=0.05):
            if isinstance(key.data, Stream):
                key.data.on_ready(mask)
            elif key.data.startswith(("echo:", "zero:", "reset:")):
                accept_stream(sel, key.fileobj, key.data.split(":", 1)[0])
            elif key.fileobj.type == socket.SOCK_STREAM:
                serve_tcp(sel, key.fileobj, key.data)
            else:
                serve_udp(key.fileobj, key.data)


if __name__ == "__main__":
    main()

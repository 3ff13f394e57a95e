"""A bounded slowloris-style client, for benchmarks/bench_stack.py: loopback only.

Opens N connections to 127.0.0.1:PORT, sends the start of a request, then one more header
line every INTERVAL seconds, for SECONDS; a connection the server closes is opened again.
Prints how many connections were open at the end and how many the server closed.

Usage: ``python benchmarks/slow_clients.py PORT [--connections 300] [--interval 5]
[--seconds 45]``. It refuses any host but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import selectors
import socket
import time

HOST = "127.0.0.1"  # never anything else


def _open(port: int) -> socket.socket | None:
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect_ex((HOST, port))
    except OSError:
        s.close()
        return None
    return s


def run(port: int, connections: int, interval: float, seconds: float) -> dict[str, int]:
    """Hold ``connections`` slow requests for ``seconds``; return counts."""
    connections = min(connections, 1000)  # bounded, whatever is asked
    seconds = min(seconds, 300)
    sel = selectors.DefaultSelector()
    socks: dict[socket.socket, int] = {}  # socket → lines sent
    closed = opened = 0
    end = time.monotonic() + seconds
    next_tick = 0.0
    while time.monotonic() < end:
        while len(socks) < connections:
            s = _open(port)
            if s is None:
                break
            socks[s] = 0
            sel.register(s, selectors.EVENT_READ)
            opened += 1
        now = time.monotonic()
        if now >= next_tick:
            next_tick = now + interval
            for s in list(socks):
                line = (
                    f"GET /?n={id(s)} HTTP/1.1\r\nHost: {HOST}\r\n"
                    if socks[s] == 0
                    else f"X-Slow-{socks[s]}: {'a' * 10}\r\n"
                )
                try:
                    s.send(line.encode())
                    socks[s] += 1
                except OSError:
                    sel.unregister(s)
                    s.close()
                    del socks[s]
                    closed += 1
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj  # the server answered (408) or closed: drop it, open another
            assert isinstance(s, socket.socket)
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data or data.startswith(b"HTTP/"):
                sel.unregister(s)
                s.close()
                socks.pop(s, None)
                closed += 1
    open_at_end = len(socks)
    for s in socks:
        s.close()
    return {"opened": opened, "closed_by_server": closed, "open_at_end": open_at_end}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("port", type=int)
    parser.add_argument("--connections", type=int, default=300)
    parser.add_argument("--interval", type=float, default=5)
    parser.add_argument("--seconds", type=float, default=45)
    args = parser.parse_args()
    print(json.dumps(run(args.port, args.connections, args.interval, args.seconds)))


if __name__ == "__main__":
    main()

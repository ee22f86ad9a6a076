#!/usr/bin/env python3
"""A loopback TCP proxy that forwards server->client bytes at a limited rate.

Used by test_s3.py to make a download last long enough that "kill the server mid-read" and
"interrupt the query mid-read" happen while bytes are still flowing, whatever the machine's
speed. Run as its own process so the test can SIGKILL it like a crashed server.

Usage: slow_proxy.py LISTEN_PORT TARGET_PORT BYTES_PER_SECOND
"""

import socket
import sys
import threading
import time


def pump(src: socket.socket, dst: socket.socket, rate: float | None) -> None:
    try:
        while True:
            data = src.recv(16384)
            if not data:
                break
            dst.sendall(data)
            if rate:
                time.sleep(len(data) / rate)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def main() -> None:
    listen, target, rate = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", listen))
    srv.listen(64)
    while True:
        client, _ = srv.accept()
        upstream = socket.create_connection(("127.0.0.1", target))
        threading.Thread(target=pump, args=(client, upstream, None), daemon=True).start()
        threading.Thread(target=pump, args=(upstream, client, rate), daemon=True).start()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A loopback TCP proxy that forwards server->client bytes at a limited rate.

Used by test_s3.py to make a download last long enough that "kill the server mid-read" and
"interrupt the query mid-read" happen while bytes are still flowing, whatever the machine's
speed. Run as its own process so the test can SIGKILL it like a crashed server.

With FAIL_FIRST > 0 the first FAIL_FIRST connections get "503 Slow Down" (S3 throttling)
instead, to test that the client retries, and gives up after a bounded number of attempts.

Usage: slow_proxy.py LISTEN_PORT TARGET_PORT BYTES_PER_SECOND [FAIL_FIRST]
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


def throttle(client: socket.socket) -> None:
    """Reads the request head, answers S3's throttling error, closes."""
    try:
        client.settimeout(5)
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = client.recv(65536)
            if not chunk:
                break
            buf += chunk
        body = b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
        client.sendall(
            b"HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nConnection: close\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
    except OSError:
        pass
    finally:
        client.close()


def main() -> None:
    listen, target, rate = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    fail_first = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", listen))
    srv.listen(64)
    while True:
        client, _ = srv.accept()
        if fail_first > 0:
            fail_first -= 1
            threading.Thread(target=throttle, args=(client,), daemon=True).start()
            continue
        upstream = socket.create_connection(("127.0.0.1", target))
        threading.Thread(target=pump, args=(client, upstream, None), daemon=True).start()
        threading.Thread(target=pump, args=(upstream, client, rate), daemon=True).start()


if __name__ == "__main__":
    main()

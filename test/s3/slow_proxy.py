#!/usr/bin/env python3
"""A loopback TCP proxy that forwards server->client bytes at a limited rate.

Used by test_s3.py to make a download last long enough that "kill the server mid-read" and
"interrupt the query mid-read" happen while bytes are still flowing, whatever the machine's
speed. Run as its own process so the test can SIGKILL it like a crashed server.

With FAIL_FIRST > 0 the first FAIL_FIRST connections get "503 Slow Down" (S3 throttling)
instead, to test that the client retries, and gives up after a bounded number of attempts.
With ANSWER=redirect they get what S3 answers a request sent to the wrong region instead:
"301 PermanentRedirect" with the bucket's region in x-amz-bucket-region (here eu-west-1).

Usage: slow_proxy.py LISTEN_PORT TARGET_PORT BYTES_PER_SECOND [FAIL_FIRST [ANSWER]]
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


ANSWERS = {
    "throttle": (
        b"503 Slow Down",
        b"",
        b"<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
    ),
    "redirect": (
        b"301 Moved Permanently",
        b"x-amz-bucket-region: eu-west-1\r\n",
        b"<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be "
        b"addressed using the specified endpoint. Please send all future requests to this endpoint."
        b"</Message><Endpoint>billing.s3.eu-west-1.amazonaws.com</Endpoint></Error>",
    ),
}


def refuse(client: socket.socket, answer: str) -> None:
    """Reads the request head, answers with the canned S3 error, closes."""
    try:
        client.settimeout(5)
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = client.recv(65536)
            if not chunk:
                break
            buf += chunk
        status, headers, body = ANSWERS[answer]
        # A HEAD answer has no body, as S3's.
        head_only = buf.startswith(b"HEAD ")
        client.sendall(
            b"HTTP/1.1 " + status + b"\r\nContent-Type: application/xml\r\nConnection: close\r\n"
            + headers
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + (b"" if head_only else body)
        )
    except OSError:
        pass
    finally:
        client.close()


def main() -> None:
    listen, target, rate = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    fail_first = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    answer = sys.argv[5] if len(sys.argv) > 5 else "throttle"
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", listen))
    srv.listen(64)
    while True:
        client, _ = srv.accept()
        if fail_first > 0:
            fail_first -= 1
            threading.Thread(target=refuse, args=(client, answer), daemon=True).start()
            continue
        upstream = socket.create_connection(("127.0.0.1", target))
        threading.Thread(target=pump, args=(client, upstream, None), daemon=True).start()
        threading.Thread(target=pump, args=(upstream, client, rate), daemon=True).start()


if __name__ == "__main__":
    main()

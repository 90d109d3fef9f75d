#!/usr/bin/env python3
"""A minimal keep-alive HTTP/1.1 server for bench/http_steps.sh: every request gets a small JSON body.

    http_bench_server.py     listens on 127.0.0.1 (a free port), prints the port, exits when stdin closes

asyncio with a hand-written parser, so the server is not the bottleneck of the benchmark.
"""
import asyncio
import os
import sys
import threading

BODY = b'{"ok":true,"service":"bench"}'
RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY)) + BODY


class Server(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""
        self.need = None

    def data_received(self, data):
        self.buffer += data
        while True:
            if self.need is None:
                end = self.buffer.find(b"\r\n\r\n")
                if end < 0:
                    return
                head, self.buffer = self.buffer[:end], self.buffer[end + 4:]
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                self.need = length
            if len(self.buffer) < self.need:
                return
            self.buffer = self.buffer[self.need:]
            self.need = None
            self.transport.write(RESPONSE)


def main():
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(Server, "127.0.0.1", 0, backlog=1024))
    print(server.sockets[0].getsockname()[1], flush=True)

    def watch():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()
    loop.run_forever()


if __name__ == "__main__":
    main()

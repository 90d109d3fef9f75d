#!/usr/bin/env python3
"""Test server for CurlTransport tests (Tests/StepsTests/CurlTransport*Tests.swift).

    http_server.py                 HTTP/1.1 on 127.0.0.1, free port; prints the port
    http_server.py --unix PATH     HTTP/1.1 on a Unix-domain socket; prints "ready"
    http_server.py --smtp FILE     a minimal SMTP server on 127.0.0.1; prints the port and
                                   appends one JSON line per accepted message to FILE

HTTP endpoints:
    /echo                 any method: JSON {method, path, headers: [[name, value]], body, connection}
    /status/CODE[?retry_after=V]  that status, body "status CODE" (and a Retry-After: V header)
    /flaky?key=K&failures=N&status=S[&retry_after=V]
                          the first N requests for key K answer S (with Retry-After: V), later ones
                          200 JSON {"attempt": n}; every request is recorded for /recorded
    /recorded?key=K       JSON list of the requests /flaky received for K: {method, headers, body, at}
    /json                 200 application/json {"ok": true, "items": [1, 2]}
    /slow?seconds=S       answers after S seconds, or gives up early when the client disconnects
                          (counted in "aborted"); counts waiting requests in "slow_waiting"
    /bytes?n=N[&chunked=1]  N bytes of "x", with Content-Length or chunked
    /redirect?to=PATH     302 to PATH
    /loop                 302 to itself
    /sse?n=N              text/event-stream, chunked: event 0, then waits for /release, then 1..N-1
    /release              opens the /sse gate
    /stats                JSON counters: connections (accepted so far), open, slow_waiting, aborted
    /wait?key=K&value=V   blocks until counter K >= V (5s at most, then 408); answers /stats

The server exits when its standard input closes, so it never outlives the test process.
"""
import base64
import json
import os
import select
import socket
import socketserver
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

counters = {"connections": 0, "open": 0, "slow_waiting": 0, "aborted": 0}
recorded = {}
changed = threading.Condition()
sse_gate = threading.Event()


def bump(key, delta):
    with changed:
        counters[key] += delta
        changed.notify_all()
        return counters[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.connection_id = bump("connections", 1)
        bump("open", 1)

    def finish(self):
        try:
            super().finish()
        finally:
            bump("open", -1)

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="text/plain", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def reply_json(self, status, value):
        self.reply(status, json.dumps(value).encode(), "application/json")

    def write_chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def handle_any(self):
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = url.path
        if path == "/echo":
            self.reply_json(200, {
                "method": self.command,
                "path": self.path,
                "headers": [[k.lower(), v] for k, v in self.headers.items()],
                "body": body.decode("utf-8", "replace"),
                "connection": self.connection_id,
            })
        elif path.startswith("/status/"):
            code = int(path[len("/status/"):])
            extra = [("Retry-After", query["retry_after"])] if "retry_after" in query else []
            self.reply(code, b"status %d" % code, extra=extra)
        elif path == "/flaky":
            self.flaky(query, body)
        elif path == "/recorded":
            with changed:
                self.reply_json(200, recorded.get(query["key"], []))
        elif path == "/json":
            self.reply_json(200, {"ok": True, "items": [1, 2]})
        elif path == "/slow":
            self.slow(float(query.get("seconds", "30")))
        elif path == "/bytes":
            n = int(query["n"])
            if query.get("chunked"):
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                while n > 0:
                    piece = min(n, 65536)
                    self.write_chunk(b"x" * piece)
                    n -= piece
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.reply(200, b"x" * n)
        elif path == "/redirect":
            self.reply(302, b"", extra=[("Location", query["to"])])
        elif path == "/loop":
            self.reply(302, b"", extra=[("Location", "/loop")])
        elif path == "/sse":
            self.sse(int(query.get("n", "3")))
        elif path == "/release":
            sse_gate.set()
            self.reply(200, b"released")
        elif path == "/stats":
            with changed:
                self.reply_json(200, dict(counters))
        elif path == "/wait":
            key, value = query["key"], int(query["value"])
            with changed:
                reached = changed.wait_for(lambda: counters[key] >= value, timeout=5)
                snapshot = dict(counters)
            self.reply_json(200 if reached else 408, snapshot)
        else:
            self.reply(404, b"no such endpoint")

    def flaky(self, query, body):
        key = query["key"]
        with changed:
            entries = recorded.setdefault(key, [])
            entries.append({
                "method": self.command,
                "headers": [[k.lower(), v] for k, v in self.headers.items()],
                "body": body.decode("utf-8", "replace"),
                "at": time.time(),
            })
            attempt = len(entries)
            changed.notify_all()
        if attempt <= int(query.get("failures", "0")):
            code = int(query.get("status", "503"))
            extra = [("Retry-After", query["retry_after"])] if "retry_after" in query else []
            self.reply(code, b"failing attempt %d" % attempt, extra=extra)
        else:
            self.reply_json(200, {"attempt": attempt})

    def slow(self, seconds):
        bump("slow_waiting", 1)
        try:
            # Readable before the deadline means the client hung up (it sends nothing more).
            readable, _, _ = select.select([self.connection], [], [], seconds)
            if readable and not self.connection.recv(1, socket.MSG_PEEK):
                bump("aborted", 1)
                self.close_connection = True
                return
        finally:
            bump("slow_waiting", -1)
        self.reply(200, b"slow done")

    def sse(self, n):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.write_chunk(b"data: 0\n\n")
        # The client must see event 0 before it releases the rest: proves chunks arrive as sent.
        sse_gate.wait(timeout=10)
        for i in range(1, n):
            self.write_chunk(b"data: %d\n\n" % i)
        self.wfile.write(b"0\r\n\r\n")
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_any


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough ESMTP for libcurl: EHLO, AUTH PLAIN (user/secret), MAIL, RCPT, DATA, QUIT."""

    def send(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        sender, recipients, user = None, [], None
        self.send("220 test ESMTP")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode().rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.send("250-test")
                self.send("250-AUTH PLAIN")
                self.send("250 SIZE 1000000")
            elif verb == "HELO":
                self.send("250 test")
            elif verb == "AUTH":
                parts = line.split(" ")
                token = parts[2] if len(parts) > 2 else None
                if token is None:
                    self.send("334 ")
                    token = self.rfile.readline().decode().strip()
                fields = base64.b64decode(token).split(b"\0")
                if fields[1:] == [b"user", b"secret"]:
                    user = "user"
                    self.send("235 2.7.0 accepted")
                else:
                    self.send("535 5.7.8 bad credentials")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].strip().split(" ")[0].strip("<>"), []
                self.send("250 ok")
            elif verb == "RCPT":
                address = line.split(":", 1)[1].strip().strip("<>")
                if address.startswith("reject"):
                    self.send("550 5.1.1 no such user")
                else:
                    recipients.append(address)
                    self.send("250 ok")
            elif verb == "DATA":
                self.send("354 go ahead")
                lines = []
                while True:
                    data_line = self.rfile.readline()
                    if data_line in (b".\r\n", b""):
                        break
                    lines.append(data_line[1:] if data_line.startswith(b"..") else data_line)
                record = {"from": sender, "to": recipients, "user": user,
                          "data": b"".join(lines).decode("utf-8", "replace")}
                with open(self.server.record_path, "a") as record_file:
                    record_file.write(json.dumps(record) + "\n")
                self.send("250 2.0.0 queued")
            elif verb == "QUIT":
                self.send("221 bye")
                return
            else:
                self.send("502 unknown command")


class ThreadingUnixHTTPServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class ThreadingTCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # room for the concurrency test's burst of connects


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


def main():
    args = sys.argv[1:]
    if args[:1] == ["--unix"]:
        server = ThreadingUnixHTTPServer(args[1], Handler)
        announce = "ready"
    elif args[:1] == ["--smtp"]:
        server = ThreadingTCPServer(("127.0.0.1", 0), SMTPHandler)
        server.record_path = args[1]
        announce = str(server.server_address[1])
    else:
        server = ThreadingTCPServer(("127.0.0.1", 0), Handler)
        announce = str(server.server_address[1])
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    print(announce, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

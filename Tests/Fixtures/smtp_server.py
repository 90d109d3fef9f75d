#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) for send_email tests. Prints its port, appends one JSON line per
accepted message to FILE: {"from", "to", "user", "data", "parsed"}: data is the message exactly as
received; parsed is what Python's email parser reads from it (decoded headers, content types, parts).

    smtp_server.py FILE

Recipients starting with "busy" get 451 (temporary), with "reject" 550 (permanent). AUTH PLAIN/LOGIN
accepts user "user" with password "secret" (without TLS, for tests). Exits when stdin closes.
Needs aiosmtpd (`make deps` installs it).
"""
import asyncio
import email
import email.policy
import json
import os
import sys
import threading
import logging

from aiosmtpd.smtp import SMTP, AuthResult


class Recorder:
    def __init__(self, path):
        self.path = path

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("busy"):
            return "451 4.3.0 mailbox busy, try again later"
        if address.startswith("reject"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        record = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "user": session.auth_data.login.decode() if session.authenticated and session.auth_data else None,
            "data": envelope.original_content.decode("utf-8", "replace"),
            "parsed": parse(envelope.original_content),
        }
        with open(self.path, "a") as out:
            out.write(json.dumps(record) + "\n")
        return "250 2.0.0 queued"


def parse(raw):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parsed = {name.lower(): str(message[name]) for name in
              ("From", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "MIME-Version") if message[name] is not None}
    parsed["content_type"] = message.get_content_type()
    parsed["defects"] = [str(d) for d in message.defects]
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        if part is not None:
            parsed[kind] = part.get_content()
            parsed["defects"] += [str(d) for d in part.defects]
    return parsed


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"user" and auth_data.password == b"secret"
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def main():
    # aiosmtpd logs a deprecation notice from inside its own AUTH code; tests need no server log.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    recorder = Recorder(sys.argv[1])
    loop = asyncio.new_event_loop()

    def factory():
        return SMTP(recorder, hostname="test", auth_require_tls=False, authenticator=authenticate)

    server = loop.run_until_complete(loop.create_server(factory, host="127.0.0.1", port=0))
    print(server.sockets[0].getsockname()[1], flush=True)

    def watch():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()
    loop.run_forever()


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""A real SMTP server for the tests: stores every message it accepts in a Maildir.

Usage: /usr/bin/python3 scripts/smtp-sink.py [--exit-on-stdin-eof] MAILDIR [PORT]

Listens on 127.0.0.1:PORT (0 or none: a free port), prints "ready PORT" once it accepts
connections, and exits on SIGTERM or SIGINT, or, with --exit-on-stdin-eof, when its standard
input closes (so it cannot outlive a test runner that started it with a pipe and then died).
aiosmtpd's Mailbox handler adds X-MailFrom and X-RcptTo (the envelope) to each stored message.
A message to an address starting "slow-ack" is stored at once but answered 250 only after
SLOW_ACK_SECONDS: a test can kill the sending server between the delivery and its acknowledgment.
Needs Debian's python3-aiosmtpd (scripts/ensure-smtp.sh installs it); run it with Debian's own
/usr/bin/python3.
"""
import asyncio
import os
import signal
import threading
import socket
import sys

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP


SLOW_ACK_SECONDS = 4


class SlowAckMailbox(Mailbox):
    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if any(r.lower().startswith("slow-ack") for r in envelope.rcpt_tos):
            await asyncio.sleep(SLOW_ACK_SECONDS)
        return reply


async def main(maildir: str, port: int, exit_on_stdin_eof: bool) -> None:
    # mailbox.Maildir creates tmp/, new/ and cur/ only when the folder itself is new.
    for sub in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    handler = SlowAckMailbox(maildir)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, hostname="smtp-sink.test"), sock=sock)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if exit_on_stdin_eof:
        def watch_stdin() -> None:
            sys.stdin.buffer.read()
            loop.call_soon_threadsafe(stop.set)

        threading.Thread(target=watch_stdin, daemon=True).start()
    print(f"ready {sock.getsockname()[1]}", flush=True)
    await stop.wait()
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    args = sys.argv[1:]
    watch = "--exit-on-stdin-eof" in args
    args = [a for a in args if a != "--exit-on-stdin-eof"]
    if len(args) not in (1, 2) or (len(args) == 2 and not args[1].isdigit()):
        sys.exit(__doc__)
    asyncio.run(main(args[0], int(args[1]) if len(args) == 2 else 0, watch))

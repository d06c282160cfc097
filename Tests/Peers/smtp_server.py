"""An SMTP server for notifyd's tests (aiosmtpd). Binds 127.0.0.1 on a free port, prints it,
and stops when stdin closes. Every accepted message is appended as a JSON line to the file
named by the first argument: envelope sender and recipients, the raw data, whether the session
was TLS and who logged in, and the message as Python's `email` package parses it (headers,
content type, parts decoded), so the tests check the MIME with a parser that is not ours.

Recipients answer by local part: tempfail@ → 451, reject@ → 550, flaky@ → 451 the first time
each address is seen and accepted afterwards, slow@ → the DATA reply comes after 3 s.

Options: --auth USER:PASSWORD requires AUTH with those credentials (over plain text too);
--tls DIR writes a self-signed certificate for 127.0.0.1 to DIR/cert.pem (the client's CA
file) and offers STARTTLS; --require-tls refuses mail until STARTTLS is done."""
import argparse
import asyncio
import email
import email.policy
import json
import ssl
import subprocess
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

arguments = argparse.ArgumentParser()
arguments.add_argument("log")
arguments.add_argument("--auth")
arguments.add_argument("--tls")
arguments.add_argument("--require-tls", action="store_true")
options = arguments.parse_args()


def parsed(raw):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parts = []
    for part in message.iter_parts() if message.is_multipart() else [message]:
        parts.append({"type": part.get_content_type(), "charset": part.get_content_charset(), "text": part.get_content()})
    return {
        "headers": {name: str(value) for name, value in message.items()},
        "content_type": message.get_content_type(),
        "parts": parts,
        "defects": [str(defect) for defect in message.defects],
    }


class Handler:
    def __init__(self):
        self.seen = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local == "tempfail":
            return "451 4.3.0 Mailbox temporarily unavailable"
        if local == "reject":
            return "550 5.1.1 No such user here"
        if local == "flaky" and address not in self.seen:
            self.seen.add(address)
            return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(address.lower().startswith("slow@") for address in envelope.rcpt_tos):
            await asyncio.sleep(3)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.original_content.decode("utf-8", errors="replace"),
            "tls": session.ssl is not None,
            "login": session.auth_data if session.authenticated else None,
            "parsed": parsed(envelope.original_content),
        }
        with open(options.log, "a") as log:
            log.write(json.dumps(record) + "\n")
        return "250 2.0.0 Accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    if not isinstance(auth_data, LoginPassword):
        return AuthResult(success=False, handled=False)
    user, password = options.auth.split(":", 1)
    if auth_data.login.decode() == user and auth_data.password.decode() == password:
        return AuthResult(success=True, auth_data=user)
    return AuthResult(success=False, handled=False)


def tls_context(directory):
    cert, key = f"{directory}/cert.pem", f"{directory}/key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
        check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def main():
    settings = {"hostname": "notifyd-test-peer"}
    if options.auth:
        settings.update(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    if options.tls:
        settings.update(tls_context=tls_context(options.tls), require_starttls=options.require_tls)
    handler = Handler()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **settings), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await loop.run_in_executor(None, sys.stdin.read)  # until the test closes our stdin
    server.close()


asyncio.run(main())

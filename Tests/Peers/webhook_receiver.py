"""A webhook receiver for notifyd's tests: verifies every request with the standardwebhooks
package and answers by path: /ok → 204, /fail → 500, /limited → 429 with Retry-After: 7,
/gone → 404, /slow → answers after 3 s, /delay/<ms> → 204 after that many milliseconds.
Every request is appended as a JSON line to the file named by the second argument, with its
Host header and how many requests to that host were in flight when it arrived (itself
included). Binds 127.0.0.1 on a free port and prints it; stops when stdin closes."""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook

SECRET = sys.argv[1]
LOG = sys.argv[2]
lock = threading.Lock()
in_flight = {}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        host = self.headers.get("Host", "")
        with lock:
            in_flight[host] = in_flight.get(host, 0) + 1
            concurrent = in_flight[host]
        try:
            self.answer(host, concurrent)
        finally:
            with lock:
                in_flight[host] -= 1

    def answer(self, host, concurrent):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        headers = {key.lower(): value for key, value in self.headers.items()}
        try:
            payload = Webhook(SECRET).verify(body, headers)
            verified = True
        except Exception as error:  # the test reads why
            payload, verified = {"error": str(error)}, False
        record = {"path": self.path, "verified": verified, "id": headers.get("webhook-id"), "host": host, "concurrent": concurrent,
                  "payload": payload}
        with lock, open(LOG, "a") as log:
            log.write(json.dumps(record) + "\n")
        if self.path == "/slow":
            time.sleep(3)
        if self.path.startswith("/delay/"):
            time.sleep(int(self.path.split("/")[2]) / 1000)
        status = {"/ok": 204, "/fail": 500, "/limited": 429, "/gone": 404, "/slow": 204}.get(self.path, 204)
        self.send_response(status)
        if status == 429:
            self.send_header("Retry-After", "7")
        self.send_header("Content-Length", "0")
        self.end_headers()


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()  # until the test closes our stdin
server.shutdown()

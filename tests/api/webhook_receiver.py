"""A webhook receiver on loopback for the tests: it verifies Standard Webhooks signatures with its
own implementation of the spec and can be told to fail."""
import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def sign(secret, msg_id, timestamp, body):
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{msg_id}.{timestamp}.".encode() + body
    return base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()


class Receiver:
    """Records every request; `fail[msg_id] = n` answers 500 n times to it; `status` answers all
    with that status."""

    def __init__(self, port=0):
        self.requests = []
        self.fail = {}
        self.status = 200
        self.delay = 0.0  # seconds each answer waits
        self.location = None  # sent with a 3xx status
        self.active = 0  # requests being answered
        self.most_active = 0  # the most answered at once
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                msg_id = self.headers.get("webhook-id")
                with receiver.lock:
                    receiver.requests.append({"headers": dict(self.headers), "body": body,
                                              "path": self.path, "at": time.time()})
                    status = receiver.status
                    if receiver.fail.get(msg_id, 0) > 0:
                        receiver.fail[msg_id] -= 1
                        status = 500
                    receiver.active += 1
                    receiver.most_active = max(receiver.most_active, receiver.active)
                time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.active -= 1
                self.send_response(status)
                if receiver.location:
                    self.send_header("location", receiver.location)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def received(self, secrets):
        """The requests whose signature verifies under one of `secrets`, as (id, body, request)."""
        out = []
        with self.lock:
            requests = list(self.requests)
        for request in requests:
            headers = {k.lower(): v for k, v in request["headers"].items()}
            msg_id, ts = headers["webhook-id"], headers["webhook-timestamp"]
            given = [s.removeprefix("v1,") for s in headers["webhook-signature"].split(" ")
                     if s.startswith("v1,")]
            if any(hmac.compare_digest(sign(secret, msg_id, ts, request["body"]), signature)
                   for secret in secrets for signature in given):
                out.append((msg_id, json.loads(request["body"]), request))
        return out

    def wait_for(self, secrets, predicate, seconds=20):
        deadline = time.time() + seconds
        while time.time() < deadline:
            got = self.received(secrets)
            if predicate(got):
                return got
            time.sleep(0.05)
        raise AssertionError(f"the receiver did not get what was expected: {self.received(secrets)}")

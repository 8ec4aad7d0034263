"""HTTP as clients expect it: HEAD, Allow, header and target limits, duplicate headers, framing
errors, the connection cap, running out of file descriptors, and shutdown during a slow write."""
import resource
import signal
import sqlite3
import subprocess
import threading
import time

import pytest
import requests

from conftest import API, BIN, assert_error, free_port, stderr_sink, wait_healthy
from rawhttp import connect, exchange, read_response, read_to_eof, send, split_head


@pytest.fixture(scope="module")
def acct(server):
    tenant = server.tenant()
    tenant.company_id = tenant.admin.company("HTTP Co")["id"]
    tenant.contact = tenant.admin.contact(tenant.company_id, first_name="Head", is_connected=True,
                                          phones=[{"raw": "(212) 555-0184"}])
    return tenant


def request_bytes(method, target, token=None, headers=(), body=b"", version="HTTP/1.1", host=True):
    lines = [f"{method} {target} {version}"]
    if host:
        lines.append("Host: 127.0.0.1")
    if token:
        lines.append(f"Authorization: Bearer {token}")
    lines += list(headers)
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class Server:
    """A contactd of its own, started with extra flags (and optionally limits on the process)."""

    def __init__(self, tmp_path, *args, stderr=subprocess.DEVNULL, preexec_fn=None):
        self.db = tmp_path / "own.db"
        self.port = free_port()
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", str(self.db), "--listen", f"127.0.0.1:{self.port}",
             "--threads", "2", *args],
            stdout=subprocess.DEVNULL, stderr=stderr_sink(stderr), preexec_fn=preexec_fn)
        wait_healthy(self.port, self.proc)
        self.url = f"http://127.0.0.1:{self.port}"

    def token(self):
        # The first start of an empty database created the demo account 1.
        result = subprocess.run([BIN, "tokens", "create", "--account", "1", "--role", "admin",
                                 "--db", str(self.db)], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# --- HEAD --------------------------------------------------------------------------------------

def test_head_of_the_list_has_the_get_length_and_keeps_the_connection_in_step(acct):
    target = API + "/contacts"
    rid = ["X-Request-Id: head-check-1"]
    with connect(acct.server.port) as sock:
        reader = sock.makefile("rb")
        send(sock, request_bytes("HEAD", target, acct.viewer.token, rid))
        head = read_response(reader, head=True)
        assert head.status == 200, (head.status, head.headers)
        # On the same connection the next answer must start right away: a HEAD answer with body
        # bytes would be read here as the status line of the GET.
        send(sock, request_bytes("GET", target, acct.viewer.token, rid))
        get = read_response(reader)
        assert get.status == 200
        assert get.json()["data"][0]["id"] == acct.contact["id"]
        assert int(head.header("Content-Length")) == len(get.body)
        assert head.header("Content-Type") == get.header("Content-Type")
        # And the connection is still usable after that.
        send(sock, request_bytes("GET", "/healthz"))
        assert read_response(reader).json() == {"status": "ok"}


def head_alone(port, target, token=None):
    """A HEAD on a connection the client closes after it: every byte the server sends."""
    with connect(port, timeout=5) as sock:
        send(sock, request_bytes("HEAD", target, token, ["Connection: close"]))
        return split_head(read_to_eof(sock))


def test_head_healthz_is_200_without_a_body(server):
    status, head, rest = head_alone(server.port, "/healthz")
    assert status == 200, head
    assert rest == b""


def test_head_of_a_contact_and_of_a_missing_one(acct):
    status, head, rest = head_alone(acct.server.port, f"{API}/contacts/{acct.contact['id']}",
                                    acct.viewer.token)
    assert status == 200, head
    assert rest == b""
    status, head, rest = head_alone(acct.server.port, f"{API}/contacts/987654321", acct.viewer.token)
    assert status == 404, head
    assert rest == b""


# --- 405 carries Allow ---------------------------------------------------------------------------

def allow(response):
    return {m.strip() for m in response.headers["Allow"].split(",")}


def test_405_on_a_contact_allows_exactly_get_head_patch_delete(acct):
    r = acct.admin.session.put(acct.server.api + "/contacts/1", json={})
    assert_error(r, 405, "method_not_allowed")
    assert "Allow" in r.headers, dict(r.headers)
    assert allow(r) == {"GET", "HEAD", "PATCH", "DELETE"}


@pytest.mark.parametrize("method,path,expected", [
    ("PUT", API + "/contacts", {"GET", "HEAD", "POST"}),
    ("PUT", API + "/build/contacts/1", {"GET", "HEAD", "PATCH", "DELETE"}),
    ("PUT", API + "/companies", {"GET", "HEAD", "POST"}),
    ("PUT", API + "/companies/1", {"GET", "HEAD", "PATCH", "DELETE"}),
    ("POST", "/healthz", {"GET", "HEAD"}),
    # A literal segment wins over {contact_id}: these are not contacts named "upsert" or "export".
    ("GET", API + "/contacts/upsert", {"POST"}),
    ("PATCH", API + "/contacts/export", {"GET", "HEAD"}),
    ("DELETE", API + "/build/contacts/hierarchy", {"GET", "HEAD"}),
])
def test_every_405_carries_allow(acct, method, path, expected):
    r = acct.admin.session.request(method, acct.server.url + path, json={})
    assert_error(r, 405, "method_not_allowed")
    assert "Allow" in r.headers, dict(r.headers)
    assert expected <= allow(r) and method not in allow(r), r.headers["Allow"]


# --- header section and target limits -----------------------------------------------------------

def test_a_header_section_over_the_limit_is_431(acct):
    data = request_bytes("GET", API + "/contacts", acct.viewer.token, ["X-Big: " + "a" * 20_000])
    response = exchange(acct.server.port, data)
    assert response.status == 431, (response.status, response.body[:300])
    assert response.json()["request_id"]
    assert_error(response.as_requests(), 431, "request_header_fields_too_large")
    assert requests.get(acct.server.url + "/healthz").status_code == 200


@pytest.mark.parametrize("length", [10_000, 20_000])
def test_a_long_request_target_is_414(acct, length):
    prefix = API + "/contacts?x="
    target = prefix + "a" * (length - len(prefix))
    assert len(target) == length
    response = exchange(acct.server.port, request_bytes("GET", target, acct.viewer.token))
    assert response.status == 414, (response.status, response.body[:300])
    assert response.json()["request_id"]
    assert_error(response.as_requests(), 414, "uri_too_long")


# --- duplicate and missing headers ---------------------------------------------------------------

def test_two_authorization_headers_are_400(server):
    a, b = server.tenant(), server.tenant()
    for first, second in [(a.admin.token, b.admin.token), (b.viewer.token, a.viewer.token),
                          (a.admin.token, a.admin.token)]:
        data = request_bytes("GET", API + "/contacts", first, [f"Authorization: Bearer {second}"])
        response = exchange(server.port, data)
        assert response.status != 200
        assert_error(response.as_requests(), 400, "bad_request")


def test_http_1_1_without_host_is_400(server):
    response = exchange(server.port, request_bytes("GET", "/healthz", host=False))
    assert response.status == 400, (response.status, response.body[:300])


def test_two_host_headers_are_400(server):
    response = exchange(server.port, request_bytes("GET", "/healthz", headers=["Host: other"]))
    assert response.status == 400, (response.status, response.body[:300])


def test_http_1_0_without_host_is_served(server):
    response = exchange(server.port, request_bytes("GET", "/healthz", version="HTTP/1.0",
                                                   host=False))
    assert response.status == 200
    assert response.json() == {"status": "ok"}


# --- framing errors -----------------------------------------------------------------------------

def test_a_malformed_chunk_is_400_json_and_the_connection_is_closed(acct):
    data = request_bytes("POST", API + "/contacts", acct.admin.token,
                         ["Content-Type: application/json", "Transfer-Encoding: chunked"])
    data += b"zz\r\n{\"contact_type\": \"sponsor\"}\r\n0\r\n\r\n"
    with connect(acct.server.port, timeout=5) as sock:
        send(sock, data)
        reader = sock.makefile("rb")
        response = read_response(reader)
        assert response.status == 400, (response.status, response.body[:300])
        assert response.header("X-Request-Id")
        assert response.json()["request_id"] == response.header("X-Request-Id")
        assert_error(response.as_requests(), 400, "bad_request")
        # The server closes the connection: end of stream, not more bytes and not a timeout.
        assert reader.read() == b""


# --- the connection cap -------------------------------------------------------------------------

def test_connections_over_the_cap_get_503_with_retry_after(tmp_path):
    own = Server(tmp_path, "--max-connections", "4")
    idle = []
    try:
        time.sleep(0.2)  # let the health check's connection go
        idle = [connect(own.port) for _ in range(4)]
        time.sleep(0.3)  # all four accepted
        response = exchange(own.port, request_bytes("GET", "/healthz"))
        assert response.status == 503, (response.status, response.body[:300])
        assert response.header("Retry-After"), response.headers
        assert_error(response.as_requests(), 503, "service_unavailable")
        for sock in idle:
            sock.close()
        idle = []
        # Once the idle ones are gone a new request is served (the server may take a moment to
        # see the closes).
        deadline = time.time() + 10
        while True:
            try:
                status = exchange(own.port, request_bytes("GET", "/healthz")).status
            except OSError as error:  # ConnectionError included
                status = error
            if status == 200 or time.time() > deadline:
                break
            time.sleep(0.1)
        assert status == 200
    finally:
        for sock in idle:
            sock.close()
        own.stop()


def low_fd_limit():
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))


def test_running_out_of_file_descriptors_does_not_flood_the_log(tmp_path):
    log = tmp_path / "stderr.log"
    with open(log, "wb") as stderr:
        own = Server(tmp_path, "--max-connections", "1000", stderr=stderr, preexec_fn=low_fd_limit)
    socks = []
    try:
        for _ in range(100):
            socks.append(connect(own.port))
        time.sleep(2)
        for sock in socks:
            sock.close()
        socks = []
        wait_healthy(own.port, own.proc, seconds=15)
        assert own.proc.poll() is None
        size = log.stat().st_size
        assert size < 200_000, f"stderr grew to {size} bytes"
    finally:
        for sock in socks:
            sock.close()
        own.stop()
    assert log.stat().st_size < 200_000


# --- shutdown while a write waits on the database -----------------------------------------------

def test_sigterm_during_a_write_blocked_on_the_database_exits_within_the_grace(tmp_path):
    own = Server(tmp_path, "--shutdown-grace", "1")
    lock = None
    worker = None
    try:
        token = own.token()
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        company = session.post(own.url + API + "/companies", json={"name": "Blocked Co"})
        assert company.status_code == 201, company.text
        body = {"contact_type": "sponsor", "company_id": company.json()["data"]["id"]}

        lock = sqlite3.connect(str(own.db), isolation_level=None, timeout=5)
        lock.execute("BEGIN IMMEDIATE")  # the server's writes now wait (busy timeout 5 s)

        outcome = {}

        def post():
            try:
                outcome["response"] = requests.post(
                    own.url + API + "/contacts", json=body, timeout=20,
                    headers={"Authorization": f"Bearer {token}"})
            except requests.RequestException as error:
                outcome["error"] = error

        worker = threading.Thread(target=post, daemon=True)
        worker.start()
        time.sleep(0.3)
        assert worker.is_alive(), outcome  # the write is waiting on the lock
        own.proc.send_signal(signal.SIGTERM)
        try:
            own.proc.wait(timeout=4)
        except subprocess.TimeoutExpired:
            pytest.fail("contactd did not exit within its 1 s grace period (plus margin) "
                        "while a write waited on the database")
    finally:
        if lock is not None:
            lock.execute("ROLLBACK")
            lock.close()
        if worker is not None:
            worker.join(timeout=20)
        if own.proc.poll() is None:
            own.proc.kill()
            own.proc.wait()

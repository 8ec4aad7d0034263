"""Starts the real contactd binary on a free port with a fresh database for the API tests."""
import json
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

import contract

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("CONTACTD_BIN", str(ROOT / "build" / "contactd"))
API = "/api/external/v2"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(port, proc=None, seconds=15):
    """Waits until contactd on `port` answers /healthz; fails early if `proc` exits."""
    deadline = time.time() + seconds
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if time.time() > deadline or (proc is not None and proc.poll() is not None):
            if proc is not None:
                proc.kill()
            raise RuntimeError(f"contactd on port {port} did not become healthy")
        time.sleep(0.05)


def stderr_sink(stderr):
    """Where a started process's stderr goes: under `make test-asan` (CONTACTD_STDERR_DIR set),
    stderr that a test would discard is kept in a file there, so that a sanitizer report of any
    process fails the run (GCC's UBSan writes to stderr only)."""
    folder = os.environ.get("CONTACTD_STDERR_DIR")
    if stderr is not subprocess.DEVNULL or not folder:
        return stderr
    return open(os.path.join(folder, f"contactd-{uuid.uuid4().hex}.stderr"), "wb")


def start_server(db, port, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, args=()):
    """Starts `contactd serve` on a database and waits until it is healthy. Failed
    authentications are not limited unless `args` says so: every test runs from 127.0.0.1, and
    the suite checks many 401s."""
    args = list(args)
    if "--auth-failure-limit" not in args:
        args += ["--auth-failure-limit", "unlimited"]
    proc = subprocess.Popen(
        [BIN, "serve", "--db", str(db), "--listen", f"127.0.0.1:{port}", "--threads", "2", *args],
        stdout=stdout, stderr=stderr_sink(stderr))
    wait_healthy(port, proc)
    return proc


class Server:
    def __init__(self, db, port, proc):
        self.db = db
        self.port = port
        self.proc = proc
        self.url = f"http://127.0.0.1:{port}"
        self.api = self.url + API

    def cli(self, *args, check=True):
        result = subprocess.run([BIN, *args, "--db", str(self.db)], capture_output=True, text=True)
        if check:
            assert result.returncode == 0, result.stderr
        return result

    def account(self, name=None):
        out = self.cli("accounts", "create", "--name", name or f"acct-{uuid.uuid4().hex[:8]}").stdout
        return json.loads(out)

    def token(self, account_id, role="admin"):
        return self.cli("tokens", "create", "--account", str(account_id), "--role", role).stdout.strip()

    def tenant(self):
        """A fresh account with one client per role."""
        account = self.account()
        return Tenant(self, account, {role: Client(self, self.token(account["id"], role))
                                      for role in ("admin", "editor", "viewer")})


class Client:
    """A requests session speaking to the native API with one token."""

    def __init__(self, server, token):
        self.server = server
        self.token = token
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path, **kw):
        return self.session.get(self.server.api + path, **kw)

    def post(self, path, body=None, **kw):
        return self.session.post(self.server.api + path, json=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.session.patch(self.server.api + path, json=body, **kw)

    def company(self, name="Meridian Capital", **fields):
        r = self.post("/companies", {"name": name, **fields})
        assert r.status_code == 201, r.text
        return r.json()["data"]

    def contact(self, company_id, **fields):
        body = {"contact_type": "lender_contact", "company_id": company_id, **fields}
        r = self.post("/contacts", body)
        assert r.status_code == 201, r.text
        return r.json()["data"]


def new_user(tenant, role, visibility="own", name=None):
    """A new user of the tenant's account, as a Client with a token of its own (`.user`)."""
    r = tenant.admin.post("/users", {"role": role, "visibility": visibility, "name": name})
    assert r.status_code == 201, r.text
    user = r.json()["data"]
    r = tenant.admin.post(f"/users/{user['id']}/tokens", {})
    assert r.status_code == 201, r.text
    client = Client(tenant.server, r.json()["data"]["token"])
    client.user = user
    return client


class Tenant:
    def __init__(self, server, account, clients):
        self.server = server
        self.account = account
        self.admin = clients["admin"]
        self.editor = clients["editor"]
        self.viewer = clients["viewer"]


contract.install()


@pytest.fixture(autouse=True)
def api_contract():
    """Fails a test whose responses (and those of the fixtures set up before it) the surface's
    OpenAPI document does not describe (see contract.py)."""
    yield
    problems = contract.take_problems()
    if problems:
        shown = "\n".join(problems[:20])
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        pytest.fail(f"responses the OpenAPI documents do not describe:\n{shown}{more}",
                    pytrace=False)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("contactd") / "api.db"
    port = free_port()
    proc = start_server(db, port)
    yield Server(db, port, proc)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0


@pytest.fixture
def tenant(server):
    return server.tenant()


def assert_error(response, status, code, fields=(), message=None):
    """Checks the native error envelope, the status, the code and the fields named."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["request_id"] == response.headers["X-Request-Id"]
    assert body["timestamp"].endswith("Z")
    assert body["error"]["code"] == code
    named = [d["field"] for d in body["error"]["details"]]
    for field in fields:
        assert field in named, (field, body)
    if message is not None:
        assert body["error"]["message"] == message
    return body["error"]

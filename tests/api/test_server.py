"""HTTP behaviour shared by every endpoint, and the command line."""
import json
import os
import re
import signal
import socket
import subprocess

import pytest
import requests

from conftest import BIN, assert_error, free_port, start_server, stderr_sink, wait_healthy

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_healthz_needs_no_token(server):
    r = requests.get(server.url + "/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}
    assert UUID4.match(r.headers["X-Request-Id"])


def test_sane_request_id_is_echoed_in_header_and_body(tenant):
    r = tenant.viewer.get("/contacts", headers={"X-Request-Id": "client-123.abc:7_x"})
    assert r.headers["X-Request-Id"] == "client-123.abc:7_x"
    assert r.json()["request_id"] == "client-123.abc:7_x"
    r = tenant.viewer.get("/contacts/999999", headers={"X-Request-Id": "err-1"})
    assert r.json()["request_id"] == "err-1"


@pytest.mark.parametrize("value", ["has space", "x" * 129, "semi;colon", "ünï"])
def test_insane_request_id_is_replaced_by_a_uuid(tenant, value):
    r = tenant.viewer.get("/contacts", headers={"X-Request-Id": value.encode()})
    assert UUID4.match(r.headers["X-Request-Id"])
    assert r.json()["request_id"] == r.headers["X-Request-Id"]


def test_each_response_gets_its_own_request_id(tenant):
    first = tenant.viewer.get("/contacts").headers["X-Request-Id"]
    second = tenant.viewer.get("/contacts").headers["X-Request-Id"]
    assert first != second


def test_unknown_route_is_404_and_wrong_method_405(tenant):
    assert_error(tenant.admin.get("/nothing-here"), 404, "not_found")
    assert_error(requests.get(tenant.server.url + "/"), 404, "not_found")
    r = tenant.admin.session.delete(tenant.server.api + "/contacts")
    assert_error(r, 405, "method_not_allowed")
    r = tenant.admin.session.put(tenant.server.api + "/contacts", json={})
    assert_error(r, 405, "method_not_allowed")


def test_body_over_1_mib_is_413(tenant):
    body = b'{"first_name": "' + b"x" * (1100 * 1024) + b'"}'
    r = tenant.admin.session.post(tenant.server.api + "/contacts", data=body,
                                  headers={"Content-Type": "application/json"})
    assert_error(r, 413, "payload_too_large")
    # The server is still fine afterwards.
    assert tenant.admin.get("/contacts").status_code == 200


def test_body_just_under_1_mib_is_read(tenant):
    body = b'{"first_name": "' + b"x" * (1024 * 1024 - 100) + b'"}'
    r = tenant.admin.session.post(tenant.server.api + "/contacts", data=body,
                                  headers={"Content-Type": "application/json"})
    assert_error(r, 422, "validation_error", ["first_name"])


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "application/jsonx"])
def test_writes_without_json_content_type_are_415(tenant, content_type, server):
    headers = {} if content_type is None else {"Content-Type": content_type}
    for method, path in [("POST", "/contacts"), ("PATCH", "/contacts/1"), ("POST", "/companies")]:
        r = tenant.admin.session.request(method, server.api + path, data=b"{}", headers=headers)
        assert_error(r, 415, "unsupported_media_type")


def test_json_content_type_with_charset_is_accepted(tenant):
    r = tenant.admin.session.post(tenant.server.api + "/companies", data=b'{"name": "Charset Co"}',
                                  headers={"Content-Type": "Application/JSON; charset=utf-8"})
    assert r.status_code == 201, r.text


def test_keep_alive_serves_many_requests_on_one_connection(tenant):
    port = tenant.server.port
    with socket.create_connection(("127.0.0.1", port)) as sock:
        request = (f"GET /api/external/v2/contacts HTTP/1.1\r\nHost: x\r\n"
                   f"Authorization: Bearer {tenant.viewer.token}\r\n\r\n").encode()
        reader = sock.makefile("rb")
        for _ in range(5):
            sock.sendall(request)
            status = reader.readline()
            assert status.startswith(b"HTTP/1.1 200")
            length = 0
            while True:
                line = reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert json.loads(reader.read(length))["data"] == []


def test_garbage_request_gets_400_and_the_server_survives(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"THIS IS NOT HTTP\r\n\r\n")
        sock.settimeout(5)
        assert sock.recv(100).startswith(b"HTTP/1.1 400")
    assert requests.get(server.url + "/healthz").status_code == 200


def test_access_log_has_one_json_line_per_request(tmp_path):
    db = tmp_path / "log.db"
    port = free_port()
    proc = start_server(db, port, stdout=subprocess.PIPE)
    try:
        r = requests.get(f"http://127.0.0.1:{port}/api/external/v2/contacts",
                         headers={"X-Request-Id": "log-me"})
        assert r.status_code == 401
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    lines = [json.loads(l) for l in out.decode().splitlines() if l.startswith("{")]
    entry = next(l for l in lines if l["request_id"] == "log-me")
    assert entry["method"] == "GET" and entry["path"] == "/api/external/v2/contacts"
    assert entry["status"] == 401 and entry["account_id"] is None
    assert isinstance(entry["duration_us"], int)
    # The first start of an empty database shows a demo admin token once.
    assert re.search(rb"cdt_[A-Za-z0-9_-]{43}", out)


def test_first_start_creates_a_demo_account_only_once(tmp_path):
    db = tmp_path / "demo.db"
    outputs = []
    for _ in range(2):
        proc = start_server(db, free_port(), stdout=subprocess.PIPE)
        proc.send_signal(signal.SIGTERM)
        outputs.append(proc.communicate(timeout=20)[0])
    token = re.search(rb"cdt_[A-Za-z0-9_-]{43}", outputs[0]).group().decode()
    assert b"cdt_" not in outputs[1]
    # The printed token is an admin token of the demo account.
    port = free_port()
    proc = start_server(db, port)
    try:
        r = requests.post(f"http://127.0.0.1:{port}/api/external/v2/companies",
                          headers={"Authorization": f"Bearer {token}"}, json={"name": "Demo Co"})
        assert r.status_code == 201 and r.json()["data"]["owner_account_id"] == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


def test_cli_accounts_and_tokens(server):
    account = server.account("CLI Co")
    assert account["name"] == "CLI Co" and account["id"] > 0 and UUID4.match(account["uid"])
    token = server.token(account["id"], "viewer")
    assert token.startswith("cdt_") and "\n" not in token
    r = requests.get(server.api + "/contacts", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200


def test_tokens_are_stored_hashed(server):
    account = server.account()
    token = server.token(account["id"], "admin")
    assert token.encode() not in server.db.read_bytes()
    wal = server.db.with_name(server.db.name + "-wal")
    if wal.exists():
        assert token.encode() not in wal.read_bytes()


@pytest.mark.parametrize("args,message", [
    (["tokens", "create", "--account", "99999", "--role", "admin"], "does not exist"),
    (["tokens", "create", "--account", "1", "--role", "owner"], "owner"),
    (["tokens", "create", "--role", "admin"], "--account"),
    (["accounts", "create"], "--name"),
    (["accounts", "create", "--name", ""], "name"),
])
def test_cli_errors_exit_non_zero_with_a_message(server, args, message):
    result = server.cli(*args, check=False)
    assert result.returncode != 0
    assert message in result.stderr + result.stdout
    assert result.stdout.strip() == "" or "cdt_" not in result.stdout


def test_serve_rejects_a_bad_listen_address(tmp_path):
    result = subprocess.run([BIN, "serve", "--db", str(tmp_path / "x.db"), "--listen", "nonsense"],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode != 0 and "--listen" in result.stderr


def test_environment_configures_serve_and_flags_win(tmp_path):
    env_port, flag_port = free_port(), free_port()
    env = {**os.environ, "CONTACTD_DB": str(tmp_path / "env.db"),
           "CONTACTD_LISTEN": f"127.0.0.1:{env_port}", "CONTACTD_THREADS": "1"}
    for args, port in [([], env_port), (["--listen", f"127.0.0.1:{flag_port}"], flag_port)]:
        proc = subprocess.Popen([BIN, "serve", *args], env=env, stdout=subprocess.DEVNULL,
                                stderr=stderr_sink(subprocess.DEVNULL))
        try:
            wait_healthy(port, proc)
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=20) == 0
    assert (tmp_path / "env.db").exists()

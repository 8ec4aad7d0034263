"""Request limits per account (token buckets with X-RateLimit-* and IETF RateLimit headers, 429
with Retry-After, per-account overrides from the CLI) and failed authentications limited per
client address."""
import json
import signal
import subprocess
import time

import pytest
import requests

from conftest import API, BIN, Client, Server, assert_error, free_port, start_server


def launch(tmp_path_factory, name, *args):
    db = tmp_path_factory.mktemp(name) / "limits.db"
    port = free_port()
    proc = start_server(db, port, args=args)
    return Server(db, port, proc)


def stop(server):
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(timeout=30) == 0


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    server = launch(tmp_path_factory, "limited", "--rate-limit", "50/h", "--rate-burst", "5/min")
    yield server
    stop(server)


def admin_of(server):
    account = json.loads(server.cli("accounts", "create", "--name", "Limited").stdout)["id"]
    token = server.cli("tokens", "create", "--account", str(account), "--role", "admin")
    return Client(server, token.stdout.strip()), account


def test_headers_count_down_and_the_burst_ends_in_429(limited):
    admin, _ = admin_of(limited)
    seen = []
    for _ in range(5):
        r = admin.get("/contacts")
        assert r.status_code == 200
        seen.append(r.headers)
    # The burst binds (fewer left in it): X-RateLimit-* describe it.
    assert [int(h["X-RateLimit-Remaining"]) for h in seen] == [4, 3, 2, 1, 0]
    assert all(h["X-RateLimit-Limit"] == "5" for h in seen)
    now = time.time()
    reset = int(seen[-1]["X-RateLimit-Reset"])
    assert now + 50 < reset <= now + 60 + 2  # when the minute's bucket is full again
    assert seen[-1]["RateLimit-Policy"] == '"burst";q=5;w=60, "sustained";q=50;w=3600'
    assert seen[-1]["RateLimit"].startswith('"burst";r=0;t=')
    assert '"sustained";r=45;t=' in seen[-1]["RateLimit"]
    r = admin.get("/contacts")
    error = assert_error(r, 429, "rate_limited")
    assert "5 requests per 60 s" in error["message"]
    assert 1 <= int(r.headers["Retry-After"]) <= 12
    assert r.headers["X-RateLimit-Remaining"] == "0"
    assert '"sustained";r=45;' in r.headers["RateLimit"]  # a refusal takes nothing
    # Writes count too, and are refused the same way, with nothing written.
    assert_error(admin.post("/companies", {"name": "Refused Co"}), 429, "rate_limited")


def test_one_accounts_exhaustion_leaves_the_others_alone(limited):
    first, _ = admin_of(limited)
    second, _ = admin_of(limited)
    for _ in range(5):
        first.get("/contacts")
    assert first.get("/contacts").status_code == 429
    r = second.get("/contacts")
    assert r.status_code == 200 and r.headers["X-RateLimit-Remaining"] == "4"


def test_an_accounts_own_limits_replace_the_servers(limited):
    admin, account = admin_of(limited)
    out = limited.cli("accounts", "update", str(account), "--rate-burst", "20/s")
    shown = json.loads(out.stdout)
    assert shown["rate_burst"] == "20/s" and shown["rate_limit"] is None
    for _ in range(20):
        assert admin.get("/contacts").status_code == 200
    assert admin.get("/contacts").status_code == 429
    time.sleep(0.3)  # 6 tokens back at 20/s
    r = admin.get("/contacts")
    assert r.status_code == 200, r.text
    assert '"burst";q=20;w=1' in r.headers["RateLimit-Policy"]
    # Unlimited: no limit and no headers; default: the server's again.
    limited.cli("accounts", "update", str(account), "--rate-limit", "unlimited", "--rate-burst",
                "unlimited")
    r = admin.get("/contacts")
    assert r.status_code == 200 and "X-RateLimit-Limit" not in r.headers
    out = limited.cli("accounts", "update", str(account), "--rate-limit", "default",
                      "--rate-burst", "default")
    assert json.loads(out.stdout)["rate_limit"] is None
    assert admin.get("/contacts").headers["X-RateLimit-Limit"] == "5"


def test_bad_rates_are_refused_by_the_cli(limited):
    _, account = admin_of(limited)
    for bad in ("fast", "0/h", "10/week"):
        r = limited.cli("accounts", "update", str(account), "--rate-limit", bad, check=False)
        assert r.returncode == 2 and "--rate-limit" in r.stderr
    assert limited.cli("accounts", "update", "999999", "--rate-limit", "1/s",
                       check=False).returncode == 1


def test_unlimited_servers_send_no_rate_headers(server, tenant):
    r = tenant.admin.get("/contacts")
    assert r.status_code == 200
    assert not any(h.lower().startswith(("x-ratelimit", "ratelimit")) for h in r.headers)


def test_failed_authentications_are_limited_per_address(tmp_path_factory):
    server = launch(tmp_path_factory, "auth", "--auth-failure-limit", "3/min")
    try:
        admin, _ = admin_of(server)
        for _ in range(10):  # successes are not counted
            assert admin.get("/contacts").status_code == 200
        for i in range(3):
            r = requests.get(server.api + "/contacts", headers={"Authorization": f"Bearer bad{i}"})
            assert_error(r, 401, "unauthorized")
        r = requests.get(server.api + "/contacts", headers={"Authorization": "Bearer bad3"})
        assert_error(r, 429, "rate_limited")
        assert 1 <= int(r.headers["Retry-After"]) <= 20
        # While it lasts, the address is refused whatever token it sends: guessing stops.
        assert_error(admin.get("/contacts"), 429, "rate_limited")
        # Requests without credentials are not guesses.
        r = requests.get(server.url + "/healthz")
        assert r.status_code == 200
    finally:
        stop(server)


def test_the_server_refuses_a_bad_rate_flag(tmp_path):
    r = subprocess.run([BIN, "serve", "--db", str(tmp_path / "x.db"), "--rate-limit", "many"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "--rate-limit" in r.stderr

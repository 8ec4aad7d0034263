"""Acknowledged writes survive a kill -9 of the server; admin commands work while it runs."""
import json
import signal
import subprocess

import requests

from conftest import API, BIN, free_port, start_server


def start(db, port):
    return start_server(db, port, stderr=subprocess.PIPE)


def cli(db, *args):
    return subprocess.run([BIN, *args, "--db", str(db)], capture_output=True, text=True, check=True)


def test_acknowledged_writes_survive_kill_9(tmp_path):
    db = tmp_path / "durable.db"
    port = free_port()
    proc = start(db, port)
    try:
        # Both admin commands run against the database the live server holds open.
        account = json.loads(cli(db, "accounts", "create", "--name", "Durable").stdout)
        token = cli(db, "tokens", "create", "--account", str(account["id"]), "--role", "admin").stdout.strip()
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        base = f"http://127.0.0.1:{port}{API}"
        company = session.post(f"{base}/companies", json={"name": "Kept Co"}).json()["data"]
        ids = []
        for i in range(25):
            r = session.post(f"{base}/contacts", json={
                "contact_type": "sponsor", "company_id": company["id"], "last_name": f"Kept{i}",
                "is_connected": True, "phones": [{"raw": "212-555-0184"}]})
            assert r.status_code == 201, r.text
            ids.append(r.json()["data"]["id"])
        r = session.patch(f"{base}/contacts/{ids[0]}", json={"title": "Survivor"})
        assert r.status_code == 200
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    port = free_port()
    proc = start(db, port)
    try:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        base = f"http://127.0.0.1:{port}{API}"
        listed = session.get(f"{base}/contacts", params={"limit": 200}).json()
        assert sorted(c["id"] for c in listed["data"]) == sorted(ids)
        assert listed["pagination"]["total"] == 25
        first = session.get(f"{base}/contacts/{ids[0]}").json()["data"]
        assert first["title"] == "Survivor"
        assert first["phones"][0]["e164"] == "+12125550184"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0


def test_sigterm_lets_the_server_exit_cleanly(tmp_path):
    db = tmp_path / "clean.db"
    port = free_port()
    proc = start(db, port)
    with requests.Session() as session:  # an idle keep-alive connection must not hold shutdown
        assert session.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    assert b"stopped" in proc.stderr.read()

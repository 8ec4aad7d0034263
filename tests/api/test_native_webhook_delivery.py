"""Webhook delivery against a real receiver on loopback: signatures (Standard Webhooks), payloads,
retries with a stable webhook-id, 410, rotation, pings, redelivery, the connect-time address
check, tenant isolation, and no loss across kill -9."""
import json
import os
import signal
import sqlite3
import subprocess
import time

import pytest

from conftest import BIN, Client, assert_error, free_port, stderr_sink, wait_healthy
from webhook_receiver import Receiver


class Server:
    def __init__(self, db, port):
        self.db, self.port = db, port
        self.api = f"http://127.0.0.1:{port}/api/external/v2"


def start(db, port, allow_private=True, retry_scale="0.001"):
    env = dict(os.environ, CONTACTD_WEBHOOK_RETRY_SCALE=retry_scale)
    args = [BIN, "serve", "--db", str(db), "--listen", f"127.0.0.1:{port}", "--threads", "2"]
    if allow_private:
        args.append("--webhook-allow-private")
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL,
                            stderr=stderr_sink(subprocess.DEVNULL))
    wait_healthy(port, proc)
    return proc


def admin_of(db, server, account=None):
    if account is None:
        out = subprocess.run([BIN, "accounts", "create", "--name", "Hooks", "--db", str(db)],
                             capture_output=True, text=True, check=True).stdout
        account = json.loads(out)["id"]
    token = subprocess.run([BIN, "tokens", "create", "--account", str(account), "--role", "admin",
                            "--db", str(db)], capture_output=True, text=True,
                           check=True).stdout.strip()
    return Client(server, token), account


@pytest.fixture(scope="module")
def hooks_server(tmp_path_factory):
    db = tmp_path_factory.mktemp("hooks") / "hooks.db"
    port = free_port()
    proc = start(db, port)
    yield Server(db, port)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def register(admin, receiver, events=("*",)):
    r = admin.post("/webhooks", {"url": receiver.url, "events": list(events)})
    assert r.status_code == 201, r.text
    return r.json()["data"]


def test_every_change_arrives_signed_with_the_feeds_ids(hooks_server, receiver):
    admin, _ = admin_of(hooks_server.db, hooks_server)
    hook = register(admin, receiver)
    company = admin.company("Hooked Co")
    contact = admin.contact(company["id"], first_name="Ann", status="active")
    admin.patch(f"/contacts/{contact['id']}", {"status": "inactive"})
    admin.session.delete(f"{hooks_server.api}/contacts/{contact['id']}")
    got = receiver.wait_for([hook["secret"]], lambda g: len(g) >= 5)
    types = [body["type"] for _, body, _ in got]
    assert sorted(types) == sorted(["company.created", "contact.created", "contact.updated",
                                    "contact.status_changed", "contact.deleted"])
    feed = {e["id"]: e for e in admin.get("/events").json()["data"]}
    for msg_id, body, request in got:
        assert msg_id in feed and feed[msg_id]["type"] == body["type"]
        assert set(body) <= {"type", "timestamp", "data", "previous"}
        assert body["data"] == feed[msg_id]["data"]
        headers = {k.lower(): v for k, v in request["headers"].items()}
        assert headers["content-type"] == "application/json"
        assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60
        assert headers["webhook-signature"].startswith("v1,")
        assert " " not in headers["webhook-signature"]  # one secret: one signature
    updated = next(body for _, body, _ in got if body["type"] == "contact.updated")
    assert updated["previous"] == {"status": "active"}
    assert "previous" not in next(b for _, b, _ in got if b["type"] == "contact.created")
    # Nothing arrives that a forged secret would sign.
    assert receiver.received(["whsec_" + "A" * 44]) == []


def test_endpoints_get_the_types_they_take_of_their_account_only(hooks_server, receiver):
    admin, _ = admin_of(hooks_server.db, hooks_server)
    other_receiver = Receiver()
    try:
        other, _ = admin_of(hooks_server.db, hooks_server)
        theirs = register(other, other_receiver)
        hook = register(admin, receiver, ["contact.deleted"])
        company = admin.company()
        contact = admin.contact(company["id"])
        admin.session.delete(f"{hooks_server.api}/contacts/{contact['id']}")
        got = receiver.wait_for([hook["secret"]], lambda g: len(g) >= 1)
        time.sleep(0.5)
        assert [body["type"] for _, body, _ in receiver.received([hook["secret"]])] == [
            "contact.deleted"]
        assert other_receiver.received([theirs["secret"]]) == []
    finally:
        other_receiver.close()


def test_failures_are_retried_with_the_same_webhook_id(hooks_server, receiver):
    admin, _ = admin_of(hooks_server.db, hooks_server)
    hook = register(admin, receiver, ["company.created"])
    company = admin.company("Retry Co")
    event_id = admin.get("/events", params={"types": "company.created"}).json()["data"][-1]["id"]
    receiver.fail[event_id] = 2
    got = receiver.wait_for([hook["secret"]], lambda g: len(g) >= 3)
    assert [msg_id for msg_id, _, _ in got] == [event_id] * 3
    attempts = admin.get(f"/webhooks/{hook['id']}/deliveries").json()["data"]
    assert [a["status_code"] for a in attempts[:3]] == [200, 500, 500]
    assert all(a["event_id"] == event_id and a["duration_ms"] >= 0 for a in attempts[:3])
    assert company["name"] == "Retry Co"


def test_410_disables_the_endpoint_until_it_is_enabled_again(hooks_server, receiver):
    admin, _ = admin_of(hooks_server.db, hooks_server)
    hook = register(admin, receiver)
    receiver.status = 410
    admin.company("Gone Co")
    receiver.wait_for([hook["secret"]], lambda g: len(g) >= 1)
    deadline = time.time() + 10
    while admin.get(f"/webhooks/{hook['id']}").json()["data"]["enabled"] and time.time() < deadline:
        time.sleep(0.05)
    shown = admin.get(f"/webhooks/{hook['id']}").json()["data"]
    assert shown["enabled"] is False and "410" in shown["disabled_reason"]
    admin.company("Unsent Co")
    time.sleep(0.5)
    assert len(receiver.received([hook["secret"]])) == 1
    assert_error(admin.post(f"/webhooks/{hook['id']}/test"), 409, "conflict")
    receiver.status = 200
    r = admin.patch(f"/webhooks/{hook['id']}", {"enabled": True})
    assert r.json()["data"]["enabled"] is True and r.json()["data"]["disabled_reason"] is None
    # Enabled again, it gets what was written meanwhile.
    got = receiver.wait_for([hook["secret"]], lambda g: any(
        b["data"].get("name") == "Unsent Co" for _, b, _ in g))
    assert got


def test_an_endpoint_failing_for_3_days_is_disabled(tmp_path, receiver):
    # Every delay and the 3 days scaled by 1e-5: 3 days are 2.592 s.
    db, port = tmp_path / "streak.db", free_port()
    proc = start(db, port, retry_scale="0.00001")
    try:
        admin, _ = admin_of(db, Server(db, port))
        hook = register(admin, receiver)
        receiver.status = 500
        deadline, i = time.time() + 20, 0
        while admin.get(f"/webhooks/{hook['id']}").json()["data"]["enabled"]:
            assert time.time() < deadline, "the failing endpoint was never disabled"
            admin.company(f"Failing {i}")
            i += 1
            time.sleep(0.3)
        shown = admin.get(f"/webhooks/{hook['id']}").json()["data"]
        assert shown["disabled_reason"] == "Every delivery failed for 3 days"
        arrivals = [r["at"] for r in receiver.requests]
        assert arrivals[-1] - arrivals[0] >= 2.5  # not before its (scaled) 3 days
        time.sleep(0.5)
        admin.company("After")
        time.sleep(0.5)
        assert len(receiver.requests) == len(arrivals)  # nothing sent once disabled
        receiver.status = 200
        r = admin.patch(f"/webhooks/{hook['id']}", {"enabled": True})
        assert r.json()["data"]["enabled"] is True and r.json()["data"]["disabled_reason"] is None
        receiver.wait_for([hook["secret"]], lambda g: any(
            b["data"].get("name") == "After" and req["at"] > arrivals[-1] for _, b, req in g))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def test_rotation_signs_with_both_secrets_and_pings_and_redelivery(hooks_server, receiver):
    admin, _ = admin_of(hooks_server.db, hooks_server)
    hook = register(admin, receiver)
    rotated = admin.post(f"/webhooks/{hook['id']}/rotate-secret").json()["data"]["secret"]
    admin.company("Rotated Co")
    got = receiver.wait_for([rotated], lambda g: len(g) >= 1)
    headers = {k.lower(): v for k, v in got[0][2]["headers"].items()}
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert receiver.received([hook["secret"]])  # the old secret verifies too
    r = admin.post(f"/webhooks/{hook['id']}/test")
    assert r.status_code == 202
    ping = receiver.wait_for([rotated], lambda g: any(b["type"] == "ping" for _, b, _ in g))
    assert any(b["data"] == {"webhook_id": hook["id"]} for _, b, _ in ping if b["type"] == "ping")
    event_id = got[0][0]
    r = admin.post(f"/events/{event_id}/redeliver")
    assert r.status_code == 202 and r.json()["data"]["deliveries"] == 1
    receiver.wait_for([rotated], lambda g: [m for m, _, _ in g].count(event_id) == 2)
    assert_error(admin.post("/events/evt_999999999/redeliver"), 404, "not_found")
    # Another account's endpoint and event are missing ones.
    other, _ = admin_of(hooks_server.db, hooks_server)
    for r in (other.post(f"/webhooks/{hook['id']}/test"),
              other.get(f"/webhooks/{hook['id']}/deliveries"),
              other.post(f"/events/{event_id}/redeliver")):
        assert_error(r, 404, "not_found")


def test_a_slow_endpoint_delays_only_itself(hooks_server, receiver):
    admin, _ = admin_of(hooks_server.db, hooks_server)
    slow = Receiver()
    try:
        slow.delay = 3.0
        slow_hook = register(admin, slow, ["company.created"])
        hook = register(admin, receiver, ["company.created"])
        for i in range(12):
            admin.company(f"Fast {i}")
        receiver.wait_for([hook["secret"]], lambda g: len(g) == 12)
        # Every fast delivery arrived while the slow endpoint had yet to answer one, and it holds
        # no more than its share of the transfers (8) meanwhile.
        assert admin.get(f"/webhooks/{slow_hook['id']}/deliveries").json()["data"] == []
        assert 1 <= len(slow.received([slow_hook["secret"]])) <= 8
        assert slow.most_active > 1  # a healthy endpoint gets several at once
        # Its others follow, at most 8 at a time.
        slow.delay = 0.0
        slow.wait_for([slow_hook["secret"]], lambda g: len({m for m, _, _ in g}) == 12)
    finally:
        slow.close()


def test_a_failing_endpoint_gets_one_delivery_at_a_time(hooks_server, receiver):
    admin, _ = admin_of(hooks_server.db, hooks_server)
    hook = register(admin, receiver, ["company.created"])
    receiver.status = 500
    admin.company("First failure")
    deadline = time.time() + 10
    while not admin.get(f"/webhooks/{hook['id']}/deliveries").json()["data"]:
        assert time.time() < deadline
        time.sleep(0.05)
    receiver.delay, receiver.most_active = 0.2, 0
    for i in range(6):
        admin.company(f"While failing {i}")
    receiver.wait_for([hook["secret"]], lambda g: len({m for m, _, _ in g}) == 7)
    assert receiver.most_active == 1


def test_redirects_are_not_followed(hooks_server, receiver):
    admin, _ = admin_of(hooks_server.db, hooks_server)
    target = Receiver()
    try:
        receiver.status = 307
        receiver.location = target.url
        hook = register(admin, receiver, ["company.created"])
        admin.company("Redirected Co")
        receiver.wait_for([hook["secret"]], lambda g: len(g) >= 2)  # retried, not followed
        attempts = admin.get(f"/webhooks/{hook['id']}/deliveries").json()["data"]
        assert attempts[0]["status_code"] == 307
        assert attempts[0]["error"] == "redirects are not followed"
        assert target.requests == []
    finally:
        target.close()


def test_an_internal_address_is_refused_at_delivery_too(tmp_path, receiver):
    db = tmp_path / "strict.db"
    port = free_port()
    proc = start(db, port, allow_private=False)
    try:
        server = Server(db, port)
        admin, account = admin_of(db, server)
        # As if the name resolved publicly when registered and to loopback now.
        with sqlite3.connect(db) as conn:
            conn.execute("INSERT INTO webhooks (account_id, url, events, secret, last_event_id, "
                         "created_at, updated_at) VALUES (?, ?, '*', 'whsec_AAAA', 0, 0, 0)",
                         (account, receiver.url))
        admin.company("Internal Co")
        deadline = time.time() + 10
        attempts = []
        while time.time() < deadline and not attempts:
            hook_id = admin.get("/webhooks").json()["data"][0]["id"]
            attempts = admin.get(f"/webhooks/{hook_id}/deliveries").json()["data"]
            time.sleep(0.05)
        assert attempts and attempts[0]["status_code"] is None
        assert "internal" in attempts[0]["error"]
        assert receiver.requests == []
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0


def test_acknowledged_changes_arrive_after_kill_9(tmp_path):
    db = tmp_path / "crash.db"
    port = free_port()
    receiver = Receiver()
    url = receiver.url
    receiver.close()  # down: every delivery fails until it is back
    proc = start(db, port)
    server = Server(db, port)
    admin, _ = admin_of(db, server)
    r = admin.post("/webhooks", {"url": url, "events": ["company.created"]})
    secret = r.json()["data"]["secret"]
    names = [f"Crash {i}" for i in range(30)]
    for name in names:
        assert admin.post("/companies", {"name": name}).status_code == 201
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    again = Receiver(port=receiver.port)  # back up, where the endpoint points
    proc = start(db, port)
    try:
        got = again.wait_for([secret], lambda g: {b["data"]["name"] for _, b, _ in g} >= set(names),
                             seconds=60)
        assert {b["data"]["name"] for _, b, _ in got} >= set(names)
    finally:
        again.close()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)

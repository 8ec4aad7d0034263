"""Idempotency keys: a retried POST or PATCH with its key gets the first answer byte for byte
(Idempotent-Replayed: true) and never runs twice, also under concurrent retries and across
kill -9; another request under the same key is 422 idempotency_error, a live first one 409."""
import hashlib
import json
import signal
import sqlite3
import subprocess
import threading
import time

import requests

from conftest import API, BIN, Client, assert_error, free_port, start_server


def count(client, email):
    r = client.get("/contacts", params={"email": email, "is_connected": "all", "limit": 200})
    assert r.status_code == 200, r.text
    return len(r.json()["data"])


def body_for(company, email, **fields):
    return {"contact_type": "lender_contact", "company_id": company["id"], "email": email,
            **fields}


def test_a_retried_create_is_answered_again_and_creates_one_contact(tenant):
    company = tenant.admin.company("Keyed Co")
    body = body_for(company, "once@keyed.example", first_name="Once")
    first = tenant.admin.post("/contacts", body, headers={"Idempotency-Key": "create-1"})
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    again = tenant.admin.post("/contacts", body, headers={"Idempotency-Key": "create-1"})
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.content == first.content  # byte for byte
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["X-Request-Id"] != first.headers["X-Request-Id"]
    assert count(tenant.admin, "once@keyed.example") == 1
    # Without a key the same body creates another.
    assert tenant.admin.post("/contacts", body).status_code == 201
    assert count(tenant.admin, "once@keyed.example") == 2


def test_the_same_key_for_another_request_is_refused(tenant):
    company = tenant.admin.company("Mismatch Co")
    key = {"Idempotency-Key": "mismatch-1"}
    assert tenant.admin.post("/contacts", body_for(company, "a@mm.example"),
                             headers=key).status_code == 201
    r = tenant.admin.post("/contacts", body_for(company, "b@mm.example"), headers=key)
    assert_error(r, 422, "idempotency_error", fields=["Idempotency-Key"])
    # Another path or method is another request too.
    r = tenant.admin.post("/companies", {"name": "Other"}, headers=key)
    assert_error(r, 422, "idempotency_error")
    assert count(tenant.admin, "b@mm.example") == 0


def test_twenty_concurrent_retries_create_one_contact(tenant):
    company = tenant.admin.company("Concurrent Co")
    body = body_for(company, "race@keyed.example")
    url = f"{tenant.server.api}/contacts"
    headers = {"Authorization": f"Bearer {tenant.admin.token}", "Idempotency-Key": "race-1"}
    barrier = threading.Barrier(20)
    answers = []

    def send():
        barrier.wait()
        r = requests.post(url, json=body, headers=headers)
        answers.append((r.status_code, r.headers.get("Retry-After"), r.content))
    threads = [threading.Thread(target=send) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    created = [content for status, _, content in answers if status == 201]
    assert created and all(content == created[0] for content in created)
    assert all(status in (201, 409) for status, _, _ in answers), answers
    assert all(after == "1" for status, after, _ in answers if status == 409)
    assert count(tenant.admin, "race@keyed.example") == 1


def test_a_running_first_request_makes_retries_wait(tenant):
    # A claim another node holds (its request still running) is written straight to the file.
    company = tenant.admin.company("In Flight Co")
    me = tenant.admin.get("/me").json()["data"]
    text = json.dumps(body_for(company, "wait@keyed.example"))
    # The fingerprint of the request: SHA-256 of method, path, query and body.
    fingerprint = hashlib.sha256(f"POST\n{API}/contacts\n\n{text}".encode()).hexdigest()
    now_ms = int(time.time() * 1000)
    with sqlite3.connect(tenant.server.db, timeout=10) as db:
        for key, lease, created in (("busy-1", now_ms + 60_000, now_ms),
                                    ("lapsed-1", now_ms - 1, now_ms - 61_000)):
            db.execute("INSERT INTO idempotency_keys (account_id, user_id, key, fingerprint, "
                       "state, claim, lease_until, created_at) VALUES (?, ?, ?, ?, 'running', "
                       "'other', ?, ?)", (tenant.account["id"], me["id"], key, fingerprint, lease,
                                          created))

    def post(key):
        return tenant.admin.session.post(tenant.server.api + "/contacts", data=text, headers={
            "Content-Type": "application/json", "Idempotency-Key": key})
    r = post("busy-1")
    assert_error(r, 409, "conflict")
    assert r.headers["Retry-After"] == "1"
    assert count(tenant.admin, "wait@keyed.example") == 0
    # Another request under the running key is told so at once.
    r = tenant.admin.post("/contacts", body_for(company, "other@keyed.example"),
                          headers={"Idempotency-Key": "busy-1"})
    assert_error(r, 422, "idempotency_error")
    # A claim whose process died (its lease lapsed) no longer holds the key.
    r = post("lapsed-1")
    assert r.status_code == 201, r.text
    assert post("lapsed-1").headers["Idempotent-Replayed"] == "true"


def test_validation_answers_are_kept_and_replayed(tenant):
    company = tenant.admin.company("Invalid Co")
    body = body_for(company, "not-an-email")
    first = tenant.admin.post("/contacts", body, headers={"Idempotency-Key": "invalid-1"})
    assert_error(first, 422, "validation_error", fields=["email"])
    again = tenant.admin.post("/contacts", body, headers={"Idempotency-Key": "invalid-1"})
    assert again.status_code == 422 and again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_retried_patch_changes_once(tenant):
    company = tenant.admin.company("Patch Co")
    contact = tenant.admin.contact(company["id"], first_name="P")
    key = {"Idempotency-Key": "patch-1"}
    first = tenant.admin.patch(f"/contacts/{contact['id']}", {"title": "Once"}, headers=key)
    assert first.json()["data"]["version"] == 2
    again = tenant.admin.patch(f"/contacts/{contact['id']}", {"title": "Once"}, headers=key)
    assert again.content == first.content and again.headers["Idempotent-Replayed"] == "true"
    assert tenant.admin.get(f"/contacts/{contact['id']}").json()["data"]["version"] == 2


def test_keys_belong_to_their_account_and_user(tenant):
    other = tenant.server.tenant()
    mine = tenant.admin.company("Mine Co")
    theirs = other.admin.company("Theirs Co")
    key = {"Idempotency-Key": "shared-key"}
    a = tenant.admin.post("/contacts", body_for(mine, "m@keys.example"), headers=key)
    b = other.admin.post("/contacts", body_for(theirs, "t@keys.example"), headers=key)
    assert a.status_code == b.status_code == 201
    assert "Idempotent-Replayed" not in b.headers and a.json()["data"]["id"] != b.json()["data"]["id"]
    # Another user of the same account has keys of its own.
    c = tenant.editor.post("/contacts", body_for(mine, "e@keys.example"), headers=key)
    assert c.status_code == 201 and "Idempotent-Replayed" not in c.headers


def test_bad_keys_are_refused_and_reads_ignore_keys(tenant):
    company = tenant.admin.company("Bad Key Co")
    for bad in ("", "x" * 256, "tab\there", "é"):
        r = tenant.admin.post("/contacts", body_for(company, "bad@keys.example"),
                              headers={"Idempotency-Key": bad.encode("utf-8")})
        assert_error(r, 400, "bad_request", fields=["Idempotency-Key"])
    assert count(tenant.admin, "bad@keys.example") == 0
    ok = tenant.admin.post("/contacts", body_for(company, "ok@keys.example"),
                           headers={"Idempotency-Key": "k" * 255})
    assert ok.status_code == 201
    r = tenant.admin.get("/contacts", headers={"Idempotency-Key": "read"})
    assert r.status_code == 200 and "Idempotent-Replayed" not in r.headers


def test_an_answer_survives_kill_9(tmp_path):
    db, port = tmp_path / "keys.db", free_port()
    proc = start_server(db, port)
    try:
        account = json.loads(subprocess.run(
            [BIN, "accounts", "create", "--name", "K", "--db", str(db)], capture_output=True,
            text=True, check=True).stdout)["id"]
        token = subprocess.run([BIN, "tokens", "create", "--account", str(account), "--role",
                                "admin", "--db", str(db)], capture_output=True, text=True,
                               check=True).stdout.strip()

        class Srv:
            api = f"http://127.0.0.1:{port}{API}"
        client = Client(Srv, token)
        company = client.company("Crash Co")
        body = body_for(company, "crash@keyed.example")
        first = client.post("/contacts", body, headers={"Idempotency-Key": "crash-1"})
        assert first.status_code == 201
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    proc = start_server(db, port)
    try:
        again = client.post("/contacts", body, headers={"Idempotency-Key": "crash-1"})
        assert again.status_code == 201 and again.content == first.content
        assert again.headers["Idempotent-Replayed"] == "true"
        assert count(client, "crash@keyed.example") == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0


def test_secrets_and_erased_contacts_are_not_kept_in_answers(tenant):
    me = tenant.admin.get("/me").json()["data"]
    key = {"Idempotency-Key": "token-1"}
    first = tenant.admin.post(f"/users/{me['id']}/tokens", {}, headers=key)
    assert first.status_code == 201 and first.json()["data"]["token"].startswith("cdt_")
    again = tenant.admin.post(f"/users/{me['id']}/tokens", {}, headers=key)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert "shown only once" in again.json()["error"]["message"] and "cdt_" not in again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(tenant.admin.get(f"/users/{me['id']}/tokens").json()["data"]) == 2  # one more
    # An erased contact is in no kept answer: a retry runs again.
    company = tenant.admin.company("Erased Co")
    body = body_for(company, "erased@keyed.example")
    created = tenant.admin.post("/contacts", body, headers={"Idempotency-Key": "erase-1"})
    contact_id = created.json()["data"]["id"]
    r = tenant.admin.session.delete(f"{tenant.server.api}/contacts/{contact_id}",
                                    params={"permanent": "true"})
    assert r.status_code == 204
    again = tenant.admin.post("/contacts", body, headers={"Idempotency-Key": "erase-1"})
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert again.json()["data"]["id"] != contact_id

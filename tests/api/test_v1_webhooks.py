"""Webhook endpoints in seed 003's format (`format: "v1"`): its payload {event, timestamp, data:
{id, organizationId, name, email, parentEntityId, status}} with its event names, signed like
every delivery, for changes made on any surface."""
import json
import re

import requests

# The native delivery tests' server (webhooks to loopback, fast retries) and receiver fixtures.
from test_native_webhook_delivery import admin_of, hooks_server, receiver  # noqa: F401

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def v1(server, admin, method, path, body=None):
    return requests.request(method, f"http://127.0.0.1:{server.port}/api/v1{path}", json=body,
                            headers={"Authorization": f"Bearer {admin.token}"})


def test_a_v1_endpoint_gets_the_seeds_payloads(hooks_server, receiver):
    admin, _ = admin_of(hooks_server.db, hooks_server)
    r = admin.post("/webhooks", {"url": receiver.url, "events": ["*"], "format": "v1"})
    assert r.status_code == 201, r.text
    hook = r.json()["data"]
    assert hook["format"] == "v1"
    assert sorted(hook["events"]) == sorted(["contact.created", "contact.updated",
                                             "contact.deleted", "contact.status_changed",
                                             "contact.primary_set"])
    company = admin.company("Acme Corporation")
    account_uid = admin.get("/me").json()["data"]["account"]["uid"]
    created = v1(hooks_server, admin, "POST", "/contacts",
                 {"name": "John Smith", "email": "john.smith@acme.com",
                  "parentEntityId": company["uid"]}).json()
    cid = created["id"]
    v1(hooks_server, admin, "PUT", f"/contacts/{cid}", {"status": "inactive"})
    assert v1(hooks_server, admin, "POST",
              f"/contacts/{cid}/set-primary/{company['uid']}").status_code == 200
    assert v1(hooks_server, admin, "DELETE", f"/contacts/{cid}").status_code == 204
    got = receiver.wait_for([hook["secret"]], lambda g: len(g) >= 5)
    events = [body["event"] for _, body, _ in got]
    # No company event reaches a v1 endpoint: seed 003 has no shape for it.
    assert sorted(events) == sorted(["contact.created", "contact.updated",
                                     "contact.status_changed", "contact.primary_set",
                                     "contact.deleted"])
    for msg_id, body, _ in got:
        assert set(body) == {"event", "timestamp", "data"}
        assert TIMESTAMP.match(body["timestamp"]), body
        assert msg_id.startswith("evt_")
        assert set(body["data"]) == {"id", "organizationId", "name", "email", "parentEntityId",
                                     "status"}
        assert body["data"]["id"] == cid
        assert body["data"]["organizationId"] == account_uid
        assert body["data"]["name"] == "John Smith"
        assert body["data"]["email"] == "john.smith@acme.com"
        assert body["data"]["parentEntityId"] == company["uid"]
    first = next(body for _, body, _ in got if body["event"] == "contact.created")
    assert first["data"]["status"] == "active"
    changed = next(body for _, body, _ in got if body["event"] == "contact.status_changed")
    assert changed["data"]["status"] == "inactive"


def test_a_v1_endpoint_takes_only_the_seeds_events(hooks_server, receiver):
    admin, _ = admin_of(hooks_server.db, hooks_server)
    r = admin.post("/webhooks", {"url": receiver.url, "events": ["company.created"],
                                 "format": "v1"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "events[0]"
    r = admin.post("/webhooks", {"url": receiver.url, "events": ["*"], "format": "xml"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "format"
    r = admin.post("/webhooks", {"url": receiver.url, "events": ["contact.created"],
                                 "format": "v1"})
    assert r.status_code == 201, r.text
    hook = r.json()["data"]
    r = admin.patch(f"/webhooks/{hook['id']}", {"events": ["company.updated"]})
    assert r.status_code == 422, r.text
    r = admin.patch(f"/webhooks/{hook['id']}", {"format": "native"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "format"
    # An endpoint read can be sent back: its format unchanged is no change.
    r = admin.patch(f"/webhooks/{hook['id']}", {"format": "v1", "description": "seed 003"})
    assert r.status_code == 200, r.text


def test_a_v1_ping_and_a_native_contact_arrive_in_the_seeds_shape(hooks_server, receiver):
    admin, _ = admin_of(hooks_server.db, hooks_server)
    r = admin.post("/webhooks", {"url": receiver.url, "events": ["contact.created"],
                                 "format": "v1"})
    hook = r.json()["data"]
    assert admin.post(f"/webhooks/{hook['id']}/test").status_code in (200, 202)
    company = admin.company("Native Co")
    contact = admin.contact(company["id"], first_name="Nat", last_name="Ive")
    got = receiver.wait_for([hook["secret"]], lambda g: len(g) >= 2)
    ping = next(body for _, body, _ in got if body["event"] == "ping")
    assert ping["data"] == {"webhookId": hook["id"]} and TIMESTAMP.match(ping["timestamp"])
    made = next(body for _, body, _ in got if body["event"] == "contact.created")
    assert made["data"]["id"] == contact["uid"] and made["data"]["name"] == "Nat Ive"
    assert made["data"]["parentEntityId"] == company["uid"]
    assert json.loads(json.dumps(made))  # plain JSON

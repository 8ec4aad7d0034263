"""The outbox read as the change feed: every change's event, written with the change, oldest
first, filtered by type, within the caller's account and visibility; old cursors are gone."""
import json
import signal
import sqlite3
import subprocess

import pytest

from conftest import BIN, Client, assert_error, free_port, start_server


def delete(client, path, **kw):
    return client.session.delete(client.server.api + path, **kw)


def feed(client, **params):
    r = client.get("/events", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def drain(client, cursor=None, **params):
    """Every event after `cursor`; returns (events, the cursor to go on from)."""
    events = []
    while True:
        page = feed(client, **({"after": cursor} if cursor else {}), **params)
        events += page["data"]
        cursor = page["pagination"]["next_cursor"]
        if not page["pagination"]["has_more"]:
            return events, cursor


def test_every_change_has_its_event_in_order(tenant):
    _, start = drain(tenant.admin)
    company = tenant.admin.company("Events Co")
    contact = tenant.admin.contact(company["id"], first_name="Eve", status="active")
    tenant.admin.patch(f"/contacts/{contact['id']}", {"title": "CFO"})
    tenant.admin.patch(f"/contacts/{contact['id']}", {"status": "inactive"})
    tenant.admin.session.put(f"{tenant.server.api}/companies/{company['id']}/primary-contact",
                             json={"contact_id": contact["id"]})
    tenant.admin.patch(f"/companies/{company['id']}", {"website": "https://events.example"})
    assert delete(tenant.admin, f"/contacts/{contact['id']}").status_code == 204
    assert tenant.admin.post(f"/contacts/{contact['id']}/restore").status_code == 200

    events, _ = drain(tenant.admin, start)
    assert [e["type"] for e in events] == [
        "company.created", "contact.created", "contact.updated", "contact.updated",
        "contact.status_changed", "contact.primary_set", "company.updated", "company.updated",
        "company.updated", "contact.deleted", "contact.restored", "company.updated"]
    numbers = [int(e["id"].removeprefix("evt_")) for e in events]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert all(e["account"] == tenant.account["id"] and e["timestamp"].endswith("Z")
               for e in events)
    created = events[1]
    assert created["data"]["id"] == contact["id"] and created["data"]["first_name"] == "Eve"
    assert created["data"]["phones"] == [] and created["previous"] is None
    # An update's previous holds the old values of what changed, and only those.
    assert events[2]["data"]["title"] == "CFO" and events[2]["previous"] == {"title": None}
    assert events[3]["previous"] == {"status": "active"}
    assert events[4]["data"]["status"] == "inactive" and events[4]["previous"] == {
        "status": "active"}
    assert events[5]["data"]["is_primary"] is True
    assert events[6]["previous"] == {"primary_contact_id": None}
    assert events[6]["data"]["primary_contact_id"] == contact["id"]
    assert events[7]["previous"] == {"website": None}
    # The company loses its primary (a delete's consequences come before it), and a restorable
    # delete keeps the contact.
    assert events[8]["previous"] == {"primary_contact_id": contact["id"]}
    assert events[9]["data"]["first_name"] == "Eve"
    assert events[10]["data"]["first_name"] == "Eve"
    assert events[11]["data"]["primary_contact_id"] == contact["id"]  # and has it again

    # Erased for good: the delete names the id only, and the contact's earlier events lose their
    # data too; the company's keep theirs.
    assert delete(tenant.admin, f"/contacts/{contact['id']}",
                  params={"permanent": "true"}).status_code == 204
    other = tenant.admin.company("Gone Co")
    assert delete(tenant.admin, f"/companies/{other['id']}").status_code == 204
    events, _ = drain(tenant.admin, start)
    assert [e["type"] for e in events[12:]] == ["company.updated", "contact.deleted",
                                                "company.created", "company.deleted"]
    for event in events[:13]:
        if event["type"].startswith("contact."):
            assert event["data"] == {"id": contact["id"]} and event["previous"] is None, event
    assert events[6]["data"]["name"] == "Events Co"
    assert events[15]["data"] == {"id": other["id"]}


def test_refused_and_empty_changes_have_no_event(tenant):
    _, start = drain(tenant.admin)
    company = tenant.admin.company()
    contact = tenant.admin.contact(company["id"], email="one@example.com")
    tenant.admin.patch("/settings", {"duplicate_contacts": "reject"})
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        "email": "one@example.com"})
    assert r.status_code == 409
    assert tenant.admin.patch(f"/contacts/{contact['id']}", {"email": "bad"}).status_code == 422
    assert tenant.admin.patch(f"/contacts/{contact['id']}", {"reports_to": contact["id"]}
                              ).status_code == 422
    assert tenant.viewer.patch(f"/contacts/{contact['id']}", {"title": "x"}).status_code == 403
    # Writing the values it holds changes nothing: no event either.
    r = tenant.admin.patch(f"/contacts/{contact['id']}", {"email": "one@example.com",
                                                          "tags": []})
    assert r.status_code == 200
    events, _ = drain(tenant.admin, start)
    assert [e["type"] for e in events] == ["company.created", "contact.created"]


def test_the_feed_pages_filters_and_keeps_its_cursor(tenant):
    _, start = drain(tenant.admin)
    company = tenant.admin.company()
    ids = [tenant.admin.contact(company["id"], first_name=f"P{i}")["id"] for i in range(5)]
    first = feed(tenant.admin, after=start, limit=2, types="contact.created")
    assert [e["data"]["id"] for e in first["data"]] == ids[:2]
    assert first["pagination"]["has_more"] and first["pagination"]["limit"] == 2
    rest, cursor = drain(tenant.admin, first["pagination"]["next_cursor"], types="contact.created")
    assert [e["data"]["id"] for e in rest] == ids[2:]
    # Caught up: an empty page keeps the cursor, and the next change arrives after it.
    empty = feed(tenant.admin, after=cursor)
    assert empty["data"] == [] and empty["pagination"]["next_cursor"] == cursor
    tenant.admin.patch(f"/contacts/{ids[0]}", {"title": "Later"})
    later, _ = drain(tenant.admin, cursor)
    assert [(e["type"], e["data"]["id"]) for e in later] == [("contact.updated", ids[0])]
    companies, _ = drain(tenant.admin, start, types="company.created,company.updated")
    assert [e["type"] for e in companies] == ["company.created"]

    assert_error(tenant.admin.get("/events", params={"types": "contact.nope"}), 400,
                 "bad_request", ["types"])
    assert_error(tenant.admin.get("/events", params={"after": "forged"}), 400, "bad_request",
                 ["after"])
    assert_error(tenant.admin.get("/events", params={"limit": "0"}), 400, "bad_request",
                 ["limit"])
    assert_error(tenant.admin.get("/events", params={"since": "1"}), 400, "bad_request")


def test_feeds_are_per_account_and_per_visibility(server, tenant):
    other = server.tenant()
    other.admin.contact(other.admin.company()["id"], first_name="Theirs")
    _, start = drain(tenant.admin)
    company = tenant.admin.company()
    r = tenant.admin.post("/users", {"role": "editor", "visibility": "own"})
    user = r.json()["data"]
    token = tenant.admin.post(f"/users/{user['id']}/tokens", {}).json()["data"]["token"]
    own = Client(server, token)
    mine = own.contact(company["id"], first_name="Mine")
    theirs = tenant.admin.contact(company["id"], first_name="Admin's")
    shared = tenant.admin.contact(company["id"], first_name="Shared")
    tenant.admin.post(f"/contacts/{shared['id']}/shares", {"user_id": user["id"]})
    everything, _ = drain(tenant.admin, start)
    assert {e["data"].get("first_name") for e in everything if e["type"] == "contact.created"} == {
        "Mine", "Admin's", "Shared"}
    seen, _ = drain(own, start)
    assert [(e["type"], e["data"]["id"]) for e in seen] == [
        ("company.created", company["id"]), ("contact.created", mine["id"]),
        ("contact.created", shared["id"])]
    assert theirs["id"] not in [e["data"]["id"] for e in seen]
    # Another account's cursor reads this account's feed only.
    theirs_feed, _ = drain(other.admin, start)
    assert all(e["account"] == other.account["id"] for e in theirs_feed)


def test_imports_write_their_events(server, tmp_path):
    tenant = server.tenant()
    _, start = drain(tenant.admin)
    path = tmp_path / "rows.ndjson"
    path.write_text('{"contact_type":"sponsor","company_name":"Imported Co","first_name":"A"}\n'
                    '{"contact_type":"sponsor","company_name":"Imported Co","first_name":"B",'
                    '"is_primary":true}\n')
    result = subprocess.run([BIN, "import", "--account", str(tenant.account["id"]), "--file",
                             str(path), "--db", str(server.db)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    events, _ = drain(tenant.admin, start)
    named = [(e["type"], e["data"].get("first_name") or e["data"].get("name")) for e in events]
    assert named == [
        ("company.created", "Imported Co"), ("contact.created", "A"), ("contact.created", "B"),
        ("contact.primary_set", "B"), ("company.updated", "Imported Co")]
    company_id = events[0]["data"]["id"]
    assert events[-1]["previous"] == {"primary_contact_id": None}
    b_id = events[3]["data"]["id"]
    # A later import's primary demotes B, and changes the company again.
    _, start = drain(tenant.admin)
    path.write_text('{"contact_type":"sponsor","company_id":%d,"first_name":"C",'
                    '"is_primary":true}\n' % company_id)
    result = subprocess.run([BIN, "import", "--account", str(tenant.account["id"]), "--file",
                             str(path), "--db", str(server.db)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    events, _ = drain(tenant.admin, start)
    assert [(e["type"], e["data"]["id"]) for e in events][2:] == [
        ("contact.updated", b_id), ("company.updated", company_id)]
    assert [e["type"] for e in events[:2]] == ["contact.created", "contact.primary_set"]
    assert events[2]["previous"] == {"is_primary": True}
    assert events[2]["data"]["is_primary"] is False
    assert events[3]["previous"] == {"primary_contact_id": b_id}
    assert events[3]["data"]["primary_contact_id"] == events[0]["data"]["id"]


def test_a_cursor_older_than_the_retention_is_gone(tmp_path):
    db = tmp_path / "events.db"
    port = free_port()
    proc = start_server(db, port)
    try:
        account = subprocess.run([BIN, "accounts", "create", "--name", "Old", "--db", str(db)],
                                 capture_output=True, text=True, check=True)
        account_id = json.loads(account.stdout)["id"]
        token = subprocess.run([BIN, "tokens", "create", "--account", str(account_id), "--role",
                                "admin", "--db", str(db)], capture_output=True, text=True,
                               check=True).stdout.strip()

        class Srv:
            api = f"http://127.0.0.1:{port}/api/external/v2"
        client = Client(Srv, token)
        _, start = drain(client)
        client.company("One")
        client.company("Two")
        first = feed(client, after=start, limit=1)
        cursor = first["pagination"]["next_cursor"]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE events SET created_at = created_at - 40 * 86400")
    proc = start_server(db, port)  # purges at start
    try:
        client.company("Three")
        assert_error(client.get("/events", params={"after": cursor}), 410, "gone")
        fresh, _ = drain(client)
        assert [e["data"]["name"] for e in fresh] == ["Three"]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0


def test_events_carry_when_they_were_written(server, tmp_path):
    tenant = server.tenant()
    _, start = drain(tenant.admin)
    path = tmp_path / "old.ndjson"
    path.write_text('{"contact_type":"sponsor","company_name":"Old Co","first_name":"Old",'
                    '"created_at":"2001-02-03T04:05:06Z"}\n')
    result = subprocess.run([BIN, "import", "--account", str(tenant.account["id"]), "--file",
                             str(path), "--db", str(server.db)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    events, _ = drain(tenant.admin, start)
    created = [e for e in events if e["type"] == "contact.created"]
    assert created[0]["data"]["created_at"] == "2001-02-03T04:05:06Z"
    assert not created[0]["timestamp"].startswith("2001")


def test_scoped_tokens_read_the_event_types_they_may(server, tenant):
    _, start = drain(tenant.admin)
    company = tenant.admin.company("Scoped Co")
    tenant.admin.contact(company["id"], first_name="Scoped")
    me = tenant.admin.get("/me").json()["data"]

    def token(scopes):
        r = tenant.admin.post(f"/users/{me['id']}/tokens", {"scopes": scopes})
        return Client(server, r.json()["data"]["token"])
    contacts_only, _ = drain(token(["contacts.readonly"]), start)
    assert [e["type"] for e in contacts_only] == ["contact.created"]
    companies_only, _ = drain(token(["companies.readonly"]), start)
    assert [e["type"] for e in companies_only] == ["company.created"]
    assert_error(token(["contacts.readonly"]).get("/events", params={"types": "company.created"}),
                 403, "forbidden")
    assert_error(token(["users.readonly"]).get("/events"), 403, "forbidden")


def test_a_list_cursor_is_no_place_in_the_feed(tenant):
    company = tenant.admin.company()
    for name in ("A", "B"):
        tenant.admin.contact(company["id"], first_name=name, is_connected=True)
    page = tenant.admin.get("/contacts", params={"limit": 1}).json()
    assert_error(tenant.admin.get("/events", params={"after": page["pagination"]["next_cursor"]}),
                 400, "bad_request", ["after"])


def test_writes_that_change_nothing_have_no_company_event(tenant):
    company = tenant.admin.company("Same Co", website="https://same.example")
    contact = tenant.admin.contact(company["id"])
    put = lambda: tenant.admin.session.put(
        f"{tenant.server.api}/companies/{company['id']}/primary-contact",
        json={"contact_id": contact["id"]})
    assert put().status_code == 200
    _, start = drain(tenant.admin)
    assert tenant.admin.patch(f"/companies/{company['id']}",
                              {"name": "Same Co", "website": "https://same.example"}).ok
    assert put().status_code == 200  # the primary already
    events, _ = drain(tenant.admin, start)
    assert events == []


def test_an_idle_accounts_cursor_keeps_up_with_the_others(server, tenant):
    _, cursor = drain(tenant.admin)
    other = server.tenant()
    other.admin.company("Busy Co")
    page = feed(tenant.admin, after=cursor)
    assert page["data"] == [] and page["pagination"]["next_cursor"] != cursor


def test_changes_made_as_side_effects_have_their_events(tenant):
    company = tenant.admin.company("Side Co")
    source = tenant.admin.post("/sources", {"name": "Zillow"}).json()["data"]
    field = tenant.admin.post("/custom-fields", {"key": "tier", "name": "Tier",
                                                 "data_type": "text"}).json()["data"]
    boss = tenant.admin.contact(company["id"], first_name="Boss", is_primary=True)
    worker = tenant.admin.contact(company["id"], first_name="Worker", reports_to=boss["id"],
                                  source_id=source["id"], custom_fields={"tier": "gold"})
    _, start = drain(tenant.admin)

    def since():
        events, _ = drain(tenant.admin, start)
        return [(e["type"], e["data"].get("id"), e["previous"]) for e in events]

    tenant.admin.patch(f"/sources/{source['id']}", {"name": "Zillow Premier"})
    assert since()[-1] == ("contact.updated", worker["id"], {"source": "Zillow"})
    level = tenant.admin.post("/hotness-levels", {"name": "Hot", "rank": 1}).json()["data"]
    tenant.admin.patch(f"/contacts/{worker['id']}", {"hotness_id": level["id"]})
    count = len(since())
    tenant.admin.patch(f"/hotness-levels/{level['id']}", {"rank": 1})  # no change: no event
    assert len(since()) == count
    tenant.admin.patch(f"/hotness-levels/{level['id']}", {"name": "Scorching"})
    kind, who, previous = since()[-1]
    assert (kind, who) == ("contact.updated", worker["id"])
    assert previous == {"hotness": {"id": level["id"], "name": "Hot", "rank": 1, "color": None}}
    tenant.admin.session.delete(f"{tenant.server.api}/custom-fields/{field['id']}")
    assert since()[-1] == ("contact.updated", worker["id"], {"custom_fields": {"tier": "gold"}})
    # A new primary demotes the old one and changes the company.
    newcomer = tenant.admin.contact(company["id"], first_name="New", is_primary=True)
    assert since()[-4:] == [
        ("contact.created", newcomer["id"], None), ("contact.primary_set", newcomer["id"], None),
        ("contact.updated", boss["id"], {"is_primary": True}),
        ("company.updated", company["id"], {"primary_contact_id": boss["id"]})]
    # A deleted manager's reports lose it.
    tenant.admin.session.delete(f"{tenant.server.api}/contacts/{boss['id']}")
    assert since()[-2:] == [("contact.updated", worker["id"], {"reports_to": boss["id"]}),
                            ("contact.deleted", boss["id"], None)]
    # A deleted company's contacts lose it.
    r = tenant.admin.session.delete(f"{tenant.server.api}/companies/{company['id']}",
                                    params={"detach": "true"})
    assert r.status_code == 204
    tail = since()[-3:]
    assert {t[1] for t in tail[:2]} == {worker["id"], newcomer["id"]}
    assert all(t[0] == "contact.updated" and t[2]["company_id"] == company["id"]
               for t in tail[:2])
    assert tail[2] == ("company.deleted", company["id"], None)

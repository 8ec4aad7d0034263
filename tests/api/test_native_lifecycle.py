"""Deleting, restoring and erasing contacts on the native API."""
import glob
import uuid

from conftest import assert_error


def delete(client, contact_id, **params):
    return client.session.delete(client.server.api + f"/contacts/{contact_id}", params=params)


def listed(client, **params):
    r = client.get("/contacts", params={"is_connected": "all", **params})
    assert r.status_code == 200, r.text
    return [c["id"] for c in r.json()["data"]], r.json()["pagination"]["total"]


def test_a_deleted_contact_leaves_every_read(tenant):
    company = tenant.admin.company()
    kept = tenant.admin.contact(company["id"], last_name="Kept", tags=["vip"])
    gone = tenant.admin.contact(company["id"], last_name="Gone", tags=["vip", "lead"])
    r = delete(tenant.admin, gone["id"])
    assert r.status_code == 204 and r.content == b"", r.text
    assert "X-Request-Id" in r.headers
    assert_error(tenant.admin.get(f"/contacts/{gone['id']}"), 404, "not_found")
    assert_error(tenant.admin.patch(f"/contacts/{gone['id']}", {"title": "x"}), 404, "not_found")
    assert_error(delete(tenant.admin, gone["id"]), 404, "not_found")
    assert listed(tenant.admin) == ([kept["id"]], 1)
    assert listed(tenant.admin, last_name="gone") == ([], 0)
    assert listed(tenant.admin, tags="lead") == ([], 0)
    counts = {t["name"]: t["contacts"] for t in tenant.admin.get("/tags").json()["data"]}
    assert counts == {"vip": 1}


def test_who_may_delete(tenant):
    company = tenant.admin.company()
    by_admin = tenant.admin.contact(company["id"])
    by_editor = tenant.editor.contact(company["id"])
    assert_error(delete(tenant.viewer, by_editor["id"]), 403, "forbidden")
    assert_error(delete(tenant.editor, by_admin["id"]), 403, "forbidden")
    assert tenant.admin.get(f"/contacts/{by_admin['id']}").status_code == 200
    assert delete(tenant.editor, by_editor["id"]).status_code == 204
    assert_error(delete(tenant.editor, by_admin["id"], permanent="true"), 403, "forbidden")
    assert delete(tenant.admin, by_admin["id"]).status_code == 204


def test_another_accounts_contact_is_404_and_untouched(tenant, server):
    other = server.tenant()
    company = other.admin.company()
    theirs = other.admin.contact(company["id"])
    assert_error(delete(tenant.admin, theirs["id"]), 404, "not_found")
    assert_error(delete(tenant.admin, theirs["id"], permanent="true"), 404, "not_found")
    assert_error(tenant.admin.post(f"/contacts/{theirs['id']}/restore"), 404, "not_found")
    assert other.admin.get(f"/contacts/{theirs['id']}").status_code == 200


def test_restore_brings_back_id_fields_and_tags(tenant):
    company = tenant.admin.company()
    c = tenant.admin.contact(company["id"], first_name="Ada", tags=["VIP"], is_connected=True,
                             phones=[{"raw": "(212) 555-0184"}], spouse={"name": "Bob"})
    assert delete(tenant.admin, c["id"]).status_code == 204
    assert_error(tenant.editor.post(f"/contacts/{c['id']}/restore"), 403, "forbidden")
    r = tenant.admin.post(f"/contacts/{c['id']}/restore")
    assert r.status_code == 200, r.text
    restored = r.json()["data"]
    for key in ("id", "uid", "first_name", "tags", "phones", "spouse", "created_at", "is_connected",
                "full_name", "status"):
        assert restored[key] == c[key], key
    assert tenant.admin.get(f"/contacts/{c['id']}").json()["data"]["first_name"] == "Ada"
    assert listed(tenant.admin, tags="vip") == ([c["id"]], 1)
    assert_error(tenant.admin.post(f"/contacts/{c['id']}/restore"), 404, "not_found")


def test_deleted_list_is_for_admins_and_pages(tenant):
    company = tenant.admin.company()
    made = [tenant.admin.contact(company["id"], last_name=f"D{i}") for i in range(3)]
    for c in made:
        assert delete(tenant.admin, c["id"]).status_code == 204
    r = tenant.admin.get("/contacts", params={"deleted": "true", "limit": 2})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [c["id"] for c in body["data"]] == [made[0]["id"], made[1]["id"]]
    assert all(c["deleted_at"].endswith("Z") for c in body["data"])
    assert body["pagination"]["total"] == 3 and body["pagination"]["has_more"] is True
    r = tenant.admin.get("/contacts", params={"deleted": "true", "cursor":
                                              body["pagination"]["next_cursor"]})
    assert [c["id"] for c in r.json()["data"]] == [made[2]["id"]]
    assert_error(tenant.editor.get("/contacts", params={"deleted": "true"}), 403, "forbidden")
    assert_error(tenant.admin.get("/contacts", params={"deleted": "true", "last_name": "D1"}),
                 400, "bad_request", ["deleted"])
    assert_error(tenant.admin.get("/contacts", params={"deleted": "yes"}), 400, "bad_request",
                 ["deleted"])
    assert "deleted_at" not in tenant.admin.contact(company["id"])


def database_bytes(server):
    data = b""
    for path in glob.glob(str(server.db) + "*"):
        with open(path, "rb") as f:
            data += f.read()
    return data


def test_permanent_delete_leaves_no_personal_data(tenant, server):
    company = tenant.admin.company()
    secret = uuid.uuid4().hex
    email = f"erase-{secret}@example.com"
    c = tenant.admin.contact(company["id"], email=email, last_name=f"Zq{secret}",
                             tags=[f"t{secret[:20]}"])
    assert secret.encode() in database_bytes(server)
    r = delete(tenant.admin, c["id"], permanent="true")
    assert r.status_code == 204, r.text
    assert_error(tenant.admin.get(f"/contacts/{c['id']}"), 404, "not_found")
    assert_error(tenant.admin.post(f"/contacts/{c['id']}/restore"), 404, "not_found")
    assert c["id"] not in [x["id"] for x in tenant.admin.get(
        "/contacts", params={"deleted": "true"}).json()["data"]]
    assert secret.encode() not in database_bytes(server)


def test_erasing_a_deleted_contact_drops_its_snapshot(tenant, server):
    company = tenant.admin.company()
    secret = uuid.uuid4().hex
    c = tenant.admin.contact(company["id"], first_name=f"Snap{secret}")
    assert delete(tenant.admin, c["id"]).status_code == 204
    assert secret.encode() in database_bytes(server)
    assert delete(tenant.admin, c["id"], permanent="true").status_code == 204
    assert secret.encode() not in database_bytes(server)
    assert_error(tenant.admin.post(f"/contacts/{c['id']}/restore"), 404, "not_found")
    assert_error(delete(tenant.admin, c["id"], permanent="true"), 404, "not_found")


def test_ids_are_never_given_again(tenant):
    company = tenant.admin.company()
    last = tenant.admin.contact(company["id"])
    assert delete(tenant.admin, last["id"], permanent="true").status_code == 204
    following = tenant.admin.contact(company["id"])
    assert following["id"] > last["id"]
    assert delete(tenant.admin, following["id"]).status_code == 204
    after = tenant.admin.contact(company["id"])
    assert after["id"] > following["id"]
    assert tenant.admin.post(f"/contacts/{following['id']}/restore").status_code == 200


def test_a_deleted_primary_contact_stops_being_its_companys_primary(tenant):
    company = tenant.admin.company()
    primary = tenant.admin.contact(company["id"], is_primary=True)
    assert tenant.admin.get(f"/companies/{company['id']}").json()["data"][
        "primary_contact_id"] == primary["id"]
    assert delete(tenant.admin, primary["id"]).status_code == 204
    assert tenant.admin.get(f"/companies/{company['id']}").json()["data"][
        "primary_contact_id"] is None
    # Restored, it is primary again while the company has no other.
    restored = tenant.admin.post(f"/contacts/{primary['id']}/restore").json()["data"]
    assert restored["is_primary"] is True
    assert tenant.admin.get(f"/companies/{company['id']}").json()["data"][
        "primary_contact_id"] == primary["id"]
    # Deleted again while another becomes primary: restored, it is not.
    assert delete(tenant.admin, primary["id"]).status_code == 204
    other = tenant.admin.contact(company["id"], is_primary=True)
    restored = tenant.admin.post(f"/contacts/{primary['id']}/restore").json()["data"]
    assert restored["is_primary"] is False
    assert tenant.admin.get(f"/companies/{company['id']}").json()["data"][
        "primary_contact_id"] == other["id"]


def test_delete_takes_only_permanent(tenant):
    company = tenant.admin.company()
    c = tenant.admin.contact(company["id"])
    assert_error(delete(tenant.admin, c["id"], permanent="yes"), 400, "bad_request", ["permanent"])
    assert_error(delete(tenant.admin, c["id"], force="true"), 400, "bad_request", ["force"])
    assert tenant.admin.get(f"/contacts/{c['id']}").status_code == 200


def test_the_server_erases_contacts_past_the_30_day_window(tmp_path):
    import signal
    import sqlite3
    import time

    from conftest import Server, free_port, start_server

    db = tmp_path / "purge.db"
    port = free_port()
    proc = start_server(db, port)
    server = Server(db, port, proc)
    try:
        tenant = server.tenant()
        company = tenant.admin.company()
        secret = uuid.uuid4().hex
        old = tenant.admin.contact(company["id"], first_name=f"Old{secret}")
        recent = tenant.admin.contact(company["id"])
        assert delete(tenant.admin, old["id"]).status_code == 204
        assert delete(tenant.admin, recent["id"]).status_code == 204
        with sqlite3.connect(db) as conn:  # deleted 31 days ago
            conn.execute("UPDATE deleted_contacts SET deleted_at = ? WHERE id = ?",
                         (int(time.time()) - 31 * 86400, old["id"]))
        # Past the window already: not restorable, not listed, even before the purge runs.
        assert_error(tenant.admin.post(f"/contacts/{old['id']}/restore"), 404, "not_found")
        listed_ids = [c["id"] for c in tenant.admin.get(
            "/contacts", params={"deleted": "true"}).json()["data"]]
        assert listed_ids == [recent["id"]]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    # The purge runs at start (and hourly): the snapshot is erased, the tombstone stays.
    proc = start_server(db, port)
    try:
        deadline = time.time() + 10
        while time.time() < deadline:
            with sqlite3.connect(db) as conn:
                data = conn.execute("SELECT data FROM deleted_contacts WHERE id = ?",
                                    (old["id"],)).fetchone()
            if data == (None,):
                break
            time.sleep(0.1)
        assert data == (None,)
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT data IS NOT NULL FROM deleted_contacts WHERE id = ?",
                                (recent["id"],)).fetchone() == (1,)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0

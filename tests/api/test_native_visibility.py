"""Ownership, assignment, sharing and visibility (seed 002's rule for `own` users, seed 000's for
`account` users): who sees, changes, shares and deletes a contact, on every read and write path."""
import pytest

from conftest import assert_error, new_user


def delete(client, path, **kw):
    return client.session.delete(client.server.api + path, **kw)


def ids(response):
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["data"]]


@pytest.fixture
def people(tenant):
    """A contact owned by an `own` editor, assigned to another and shared with a third (and a
    viewer); a stranger sees none of it; the admin's own contact is seen by `account` users."""
    company = tenant.admin.company()
    p = {
        "owner": new_user(tenant, "editor"),
        "assignee": new_user(tenant, "editor"),
        "sharee": new_user(tenant, "editor"),
        "viewing_sharee": new_user(tenant, "viewer"),
        "stranger": new_user(tenant, "editor"),
    }
    contact = p["owner"].contact(company["id"], first_name="Zelda", last_name="Quartz",
                                 email="zelda@example.com", tags=["Vip"],
                                 assigned_user_id=p["assignee"].user["id"], is_connected=True)
    for who in ("sharee", "viewing_sharee"):
        r = p["owner"].post(f"/contacts/{contact['id']}/shares", {"user_id": p[who].user["id"]})
        assert r.status_code == 201, r.text
    other = tenant.admin.contact(company["id"], first_name="Admin", last_name="Quartz",
                                 email="admin-own@example.com", tags=["Board"], is_connected=True)
    return tenant, company, p, contact, other


def test_owner_and_assignee_are_set_and_filterable(people):
    tenant, _, p, contact, other = people
    assert contact["owner_user_id"] == p["owner"].user["id"]
    assert contact["assigned_user_id"] == p["assignee"].user["id"]
    admin_id = tenant.admin.get("/me").json()["data"]["id"]
    assert other["owner_user_id"] == admin_id and other["assigned_user_id"] is None
    assert ids(tenant.admin.get("/contacts", params={
        "owner_user_id": p["owner"].user["id"]})) == [contact["id"]]
    assert ids(tenant.admin.get("/contacts", params={
        "assigned_user_id": p["assignee"].user["id"]})) == [contact["id"]]
    r = tenant.admin.patch(f"/contacts/{contact['id']}", {"assigned_user_id": None})
    assert r.status_code == 200 and r.json()["data"]["assigned_user_id"] is None
    assert ids(tenant.admin.get("/contacts", params={
        "assigned_user_id": p["assignee"].user["id"]})) == []


@pytest.mark.parametrize("who, sees", [
    ("owner", True), ("assignee", True), ("sharee", True), ("viewing_sharee", True),
    ("stranger", False), ("editor", True), ("viewer", True), ("admin", True)])
def test_reads_show_only_what_the_user_sees(people, who, sees):
    tenant, company, p, contact, other = people
    client = p.get(who) or getattr(tenant, who)
    account_wide = who in ("editor", "viewer", "admin")
    r = client.get(f"/contacts/{contact['id']}")
    if sees:
        assert r.status_code == 200 and r.json()["data"]["id"] == contact["id"]
    else:
        assert_error(r, 404, "not_found", message="Contact not found")
    # Lists, totals, filters, searches and cursor pages hold the same contacts.
    expected = ([contact["id"]] if sees else []) + ([other["id"]] if account_wide else [])
    listed = client.get("/contacts", params={"last_name": "Quartz"})
    assert ids(listed) == expected and listed.json()["pagination"]["total"] == len(expected)
    unfiltered = client.get("/contacts", params={"limit": 1})
    assert unfiltered.json()["pagination"]["total"] == len(expected)
    if len(expected) == 2:
        nxt = client.get("/contacts", params={"cursor": unfiltered.json()["pagination"]["next_cursor"]})
        assert ids(unfiltered) + ids(nxt) == expected
    assert ids(client.get("/contacts", params={"search": "zeld"})) == ([contact["id"]] if sees else [])
    assert ids(client.get("/contacts", params={"email": "zelda@example.com"})) == (
        [contact["id"]] if sees else [])
    assert ids(client.get("/contacts", params={"tags": "vip"})) == ([contact["id"]] if sees else [])
    tags = {t["name"]: t["contacts"] for t in client.get("/tags").json()["data"]}
    assert tags.get("Vip") == (1 if sees else None)
    assert ("Board" in tags) == account_wide
    shares = client.get(f"/contacts/{contact['id']}/shares")
    if sees:
        assert shares.status_code == 200
        assert {s["user_id"] for s in shares.json()["data"]} == {
            p["sharee"].user["id"], p["viewing_sharee"].user["id"]}
    else:
        assert_error(shares, 404, "not_found")


@pytest.mark.parametrize("who, status", [
    ("owner", 200), ("assignee", 200), ("sharee", 200), ("viewing_sharee", 403),
    ("stranger", 404), ("editor", 200), ("viewer", 403), ("admin", 200)])
def test_changes_follow_visibility_and_role(people, who, status):
    tenant, _, p, contact, _ = people
    client = p.get(who) or getattr(tenant, who)
    r = client.patch(f"/contacts/{contact['id']}", {"title": f"Changed by {who}"})
    assert r.status_code == status, r.text
    r = client.post(f"/contacts/{contact['id']}/tags", {"tags": ["touched"]})
    assert r.status_code == status, r.text
    if status == 404:
        assert tenant.admin.get(f"/contacts/{contact['id']}").json()["data"]["title"] is None


@pytest.mark.parametrize("who, status, message", [
    ("assignee", 403, "Only the owner may delete this contact"),
    ("sharee", 403, "Only the owner may delete this contact"),
    ("editor", 403, "Only the owner may delete this contact"),
    ("viewer", 403, None),
    ("viewing_sharee", 403, None),
    ("stranger", 404, "Contact not found"),
    ("owner", 204, None),
    ("admin", 204, None)])
def test_only_the_owner_or_an_admin_deletes(people, who, status, message):
    tenant, _, p, contact, _ = people
    client = p.get(who) or getattr(tenant, who)
    r = delete(client, f"/contacts/{contact['id']}")
    if status == 204:
        assert r.status_code == 204
        assert_error(tenant.admin.get(f"/contacts/{contact['id']}"), 404, "not_found")
    else:
        assert_error(r, status, "forbidden" if status == 403 else "not_found", message=message)
        assert tenant.admin.get(f"/contacts/{contact['id']}").status_code == 200


@pytest.mark.parametrize("who, status", [
    ("owner", 201), ("admin", 201), ("assignee", 403), ("sharee", 403), ("editor", 403),
    ("viewer", 403), ("stranger", 404)])
def test_only_the_owner_or_an_admin_shares(people, who, status):
    tenant, _, p, contact, _ = people
    client = p.get(who) or getattr(tenant, who)
    r = client.post(f"/contacts/{contact['id']}/shares", {"user_id": p["stranger"].user["id"]})
    assert r.status_code == status, r.text
    assert (p["stranger"].get(f"/contacts/{contact['id']}").status_code == 200) == (status == 201)
    r = delete(client, f"/contacts/{contact['id']}/shares/{p['sharee'].user['id']}")
    assert r.status_code == (204 if status == 201 else status), r.text


def test_shares_are_added_once_and_removed(people):
    tenant, _, p, contact, _ = people
    path = f"/contacts/{contact['id']}/shares"
    r = p["owner"].post(path, {"user_id": p["sharee"].user["id"]})
    assert r.status_code == 200 and r.json()["data"]["user_id"] == p["sharee"].user["id"]
    assert_error(p["owner"].post(path, {"user_id": p["owner"].user["id"]}), 422,
                 "validation_error", ["user_id"])
    assert_error(p["owner"].post(path, {}), 422, "validation_error", ["user_id"])
    assert_error(p["owner"].post(path, {"user_id": "x"}), 422, "validation_error", ["user_id"])
    assert_error(p["owner"].post(path, {"user_id": 999999999}), 422, "validation_error",
                 ["user_id"])
    assert delete(p["owner"], f"{path}/{p['sharee'].user['id']}").status_code == 204
    assert_error(p["sharee"].get(f"/contacts/{contact['id']}"), 404, "not_found")
    assert_error(delete(p["owner"], f"{path}/{p['sharee'].user['id']}"), 404, "not_found",
                 message="The contact is not shared with this user")


def test_assignment_and_ownership_rules(people):
    tenant, company, p, contact, _ = people
    path = f"/contacts/{contact['id']}"
    assert_error(tenant.admin.post("/contacts", {"contact_type": "sponsor",
                                                 "company_id": company["id"],
                                                 "owner_user_id": p["owner"].user["id"]}),
                 422, "validation_error", ["owner_user_id"])
    for bad in (999999999, "x"):
        assert_error(tenant.admin.patch(path, {"assigned_user_id": bad}), 422,
                     "validation_error", ["assigned_user_id"])
    # Transfers: admins only, to a user of the account.
    assert_error(p["owner"].patch(path, {"owner_user_id": p["sharee"].user["id"]}), 403,
                 "forbidden")
    assert_error(tenant.admin.patch(path, {"owner_user_id": None}), 422, "validation_error",
                 ["owner_user_id"])
    r = tenant.admin.patch(path, {"owner_user_id": p["stranger"].user["id"]})
    assert r.status_code == 200 and r.json()["data"]["owner_user_id"] == p["stranger"].user["id"]
    assert p["stranger"].get(path).status_code == 200
    assert_error(p["owner"].get(path), 404, "not_found")  # gave it away: sees it no more
    assert delete(p["stranger"], path).status_code == 204  # the new owner deletes it


def test_other_accounts_ids_are_missing_ids(server, people):
    tenant, company, p, contact, _ = people
    other = server.tenant()
    stranger_id = other.admin.get("/me").json()["data"]["id"]
    path = f"/contacts/{contact['id']}"
    missing = tenant.admin.patch(path, {"assigned_user_id": 999999999}).json()["error"]
    foreign = tenant.admin.patch(path, {"assigned_user_id": stranger_id}).json()["error"]
    assert missing["details"] == foreign["details"]
    missing = tenant.admin.post(f"{path}/shares", {"user_id": 999999999}).json()["error"]
    foreign = tenant.admin.post(f"{path}/shares", {"user_id": stranger_id}).json()["error"]
    assert missing["details"] == foreign["details"]
    for r in (other.admin.get(path), other.admin.get(f"{path}/shares"),
              other.admin.post(f"{path}/shares", {"user_id": stranger_id}),
              delete(other.admin, f"{path}/shares/{p['sharee'].user['id']}"),
              other.admin.get(f"{path}/reports")):
        assert_error(r, 404, "not_found", message="Contact not found")


def test_upserts_and_duplicate_checks_respect_visibility(people):
    tenant, company, p, contact, _ = people
    # The stranger does not see Zelda: its upsert of her email creates a contact of its own.
    r = p["stranger"].post("/contacts/upsert", {"contact_type": "sponsor",
                                                "company_id": company["id"],
                                                "email": "zelda@example.com", "title": "Mine"})
    assert r.status_code == 201 and r.json()["created"] is True
    mine = r.json()["data"]
    assert mine["id"] != contact["id"] and mine["owner_user_id"] == p["stranger"].user["id"]
    assert tenant.admin.get(f"/contacts/{contact['id']}").json()["data"]["title"] is None
    # The assignee sees her: its upsert updates her.
    r = p["assignee"].post("/contacts/upsert", {"contact_type": "sponsor",
                                                "company_id": company["id"],
                                                "email": "zelda@example.com", "title": "Theirs"})
    assert r.status_code == 200 and r.json()["data"]["id"] == contact["id"]

    # Refused duplicates name only contacts the caller sees.
    assert tenant.admin.patch("/settings", {"duplicate_contacts": "reject"}).status_code == 200
    r = p["sharee"].post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                       "email": "zelda@example.com"})
    error = assert_error(r, 409, "conflict")
    assert str(contact["id"]) in error["message"] and str(mine["id"]) not in error["message"]
    assert "a contact you cannot see" in error["message"]
    r = p["viewing_sharee"].get(f"/contacts/{mine['id']}")
    assert r.status_code == 404


def test_hierarchy_and_primary_contact_respect_visibility(people):
    tenant, company, p, contact, other = people
    r = tenant.admin.patch(f"/contacts/{other['id']}", {"reports_to": contact["id"]})
    assert r.status_code == 200
    assert_error(p["stranger"].get(f"/contacts/{contact['id']}/reports"), 404, "not_found")
    # The owner sees Zelda but not the admin's contact that reports to her.
    assert p["owner"].get(f"/contacts/{contact['id']}/reports").json()["data"] == []
    assert tenant.editor.get(f"/contacts/{contact['id']}/reports").json()["data"][0]["id"] == \
        other["id"]
    assert p["owner"].get("/contacts/hierarchy").json()["data"] == {}
    assert str(contact["id"]) in tenant.editor.get("/contacts/hierarchy").json()["data"]
    # A manager the writer cannot see is one that does not exist.
    mine = p["stranger"].contact(company["id"], first_name="Own")
    assert_error(p["stranger"].patch(f"/contacts/{mine['id']}", {"reports_to": contact["id"]}),
                 422, "validation_error", ["reports_to"])
    r = p["stranger"].session.put(
        f"{tenant.server.api}/companies/{company['id']}/primary-contact",
        json={"contact_id": contact["id"]})
    assert_error(r, 422, "validation_error", ["contact_id"])
    assert tenant.admin.get(f"/companies/{company['id']}").json()["data"][
        "primary_contact_id"] != contact["id"]


def test_restricted_lists_page_and_sort(tenant):
    company = tenant.admin.company()
    owner = new_user(tenant, "editor")
    mine = [owner.contact(company["id"], first_name=f"P{i}", last_name=name, is_connected=True)
            for i, name in enumerate(["Cole", "Adams", "Baker"])]
    for i in range(5):
        tenant.admin.contact(company["id"], last_name=f"Aardvark{i}", is_connected=True)
    r = owner.get("/contacts", params={"sort": "last_name", "limit": 2})
    assert [c["last_name"] for c in r.json()["data"]] == ["Adams", "Baker"]
    assert r.json()["pagination"]["total"] == 3
    r = owner.get("/contacts", params={"sort": "last_name", "limit": 2, "offset": 2})
    assert [c["last_name"] for c in r.json()["data"]] == ["Cole"]
    first = owner.get("/contacts", params={"limit": 2}).json()
    rest = owner.get("/contacts", params={"cursor": first["pagination"]["next_cursor"]}).json()
    assert [c["id"] for c in first["data"] + rest["data"]] == [c["id"] for c in mine]


def test_restricted_tag_counts_page(tenant):
    company = tenant.admin.company()
    owner = new_user(tenant, "editor")
    for tags in (["a", "b"], ["b", "c"], ["c"]):
        owner.contact(company["id"], tags=tags)
    tenant.admin.contact(company["id"], tags=["a", "z"])
    first = owner.get("/tags", params={"limit": 2}).json()
    assert first["data"] == [{"name": "a", "contacts": 1}, {"name": "b", "contacts": 2}]
    assert first["pagination"]["total"] == 3 and first["pagination"]["has_more"]
    rest = owner.get("/tags", params={"limit": 2, "offset": 2}).json()
    assert rest["data"] == [{"name": "c", "contacts": 2}] and not rest["pagination"]["has_more"]
    everyone = {t["name"]: t["contacts"] for t in tenant.editor.get("/tags").json()["data"]}
    assert everyone == {"a": 2, "b": 2, "c": 2, "z": 1}


def test_a_restricted_tree_goes_through_seen_contacts_only(tenant):
    company = tenant.admin.company()
    owner = new_user(tenant, "editor")
    top = owner.contact(company["id"], first_name="Top")
    hidden = tenant.admin.contact(company["id"], first_name="Hidden", reports_to=top["id"])
    # Seen (shared), but below a contact the owner does not see: not in the owner's tree.
    below_hidden = tenant.admin.contact(company["id"], first_name="BelowHidden",
                                        reports_to=hidden["id"])
    assert tenant.admin.post(f"/contacts/{below_hidden['id']}/shares",
                             {"user_id": owner.user["id"]}).status_code == 201
    assert_error(owner.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                          "reports_to": hidden["id"]}),
                 422, "validation_error", ["reports_to"])
    mid = owner.contact(company["id"], first_name="Mid", reports_to=top["id"])
    low = owner.contact(company["id"], first_name="Low", title="Analyst", reports_to=mid["id"])
    r = owner.get(f"/contacts/{top['id']}/reports", params={"depth": "all"}).json()
    assert [(x["id"], x["depth"], x["reports_to"]) for x in r["data"]] == [
        (mid["id"], 1, top["id"]), (low["id"], 2, mid["id"])]
    assert r["data"][1]["full_name"] == "Low" and r["data"][1]["title"] == "Analyst"
    everything = tenant.admin.get(f"/contacts/{top['id']}/reports", params={"depth": "all"})
    assert {x["id"] for x in everything.json()["data"]} == {
        hidden["id"], below_hidden["id"], mid["id"], low["id"]}


def test_shares_survive_a_restore(people):
    tenant, _, p, contact, _ = people
    path = f"/contacts/{contact['id']}"
    assert delete(tenant.admin, path).status_code == 204
    assert_error(p["sharee"].get(path), 404, "not_found")
    assert tenant.admin.post(f"{path}/restore").status_code == 200
    assert p["sharee"].get(path).status_code == 200
    assert {s["user_id"] for s in tenant.admin.get(f"{path}/shares").json()["data"]} == {
        p["sharee"].user["id"], p["viewing_sharee"].user["id"]}

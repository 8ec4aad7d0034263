"""The account's lists of sources and hotness levels (seed 002), and contacts pointing into them."""
import time

import pytest

from conftest import assert_error


def delete(client, path, **kw):
    return client.session.delete(client.server.api + path, **kw)


def ids(response):
    assert response.status_code == 200, response.text
    return sorted(c["id"] for c in response.json()["data"])


def make(client, path, **body):
    r = client.post(path, body)
    assert r.status_code == 201, r.text
    return r.json()["data"]


def test_sources_are_listed_by_name_unique_and_changed_by_admins(tenant, server):
    zillow = make(tenant.admin, "/sources", name="Zillow Lead")
    referral = make(tenant.admin, "/sources", name="Referral")
    assert set(zillow) == {"id", "name", "created_at", "updated_at"}
    r = tenant.viewer.get("/sources")
    assert [s["name"] for s in r.json()["data"]] == ["Referral", "Zillow Lead"]
    assert_error(tenant.admin.post("/sources", {"name": "zillow LEAD"}), 409, "conflict", ["name"])
    assert_error(tenant.admin.patch(f"/sources/{referral['id']}", {"name": "ZILLOW lead"}), 409,
                 "conflict", ["name"])
    for client in (tenant.editor, tenant.viewer):
        assert client.post("/sources", {"name": "x"}).status_code == 403
        assert client.patch(f"/sources/{zillow['id']}", {"name": "y"}).status_code == 403
        assert delete(client, f"/sources/{zillow['id']}").status_code == 403
    for body, field in (({}, "name"), ({"name": " "}, "name"), ({"name": 5}, "name"),
                        ({"name": "x", "rank": 1}, "rank"), ({"name": "x", "color": "#fff"},
                                                             "color")):
        assert_error(tenant.admin.post("/sources", body), 422, "validation_error", [field])
    other = server.tenant()
    assert other.viewer.get("/sources").json()["data"] == []
    assert_error(other.admin.patch(f"/sources/{zillow['id']}", {"name": "Mine"}), 404,
                 "not_found")
    assert delete(other.admin, f"/sources/{zillow['id']}").status_code == 404


def test_a_contact_names_a_source_by_id_or_by_text(tenant, server):
    zillow = make(tenant.admin, "/sources", name="Zillow Lead")
    company = tenant.admin.company()
    by_id = tenant.admin.contact(company["id"], source_id=zillow["id"])
    assert by_id["source"] == "Zillow Lead" and by_id["source_id"] == zillow["id"]
    by_text = tenant.admin.contact(company["id"], source="zillow lead")
    assert by_text["source"] == "zillow lead" and by_text["source_id"] == zillow["id"]
    free = tenant.admin.contact(company["id"], source="Billboard")
    assert free["source"] == "Billboard" and free["source_id"] is None
    for source_id in (999999, make(server.tenant().admin, "/sources", name="Theirs")["id"]):
        assert_error(tenant.admin.post("/contacts", {"contact_type": "sponsor",
                                                     "company_id": company["id"],
                                                     "source_id": source_id}),
                     422, "validation_error", ["source_id"])
    assert_error(tenant.admin.post("/contacts", {"contact_type": "sponsor",
                                                 "company_id": company["id"], "source": "x",
                                                 "source_id": zillow["id"]}),
                 422, "validation_error", ["source_id"])
    # Filters on the id, through an index.
    r = tenant.viewer.get("/contacts", params={"source_id": zillow["id"], "is_connected": "all"})
    assert ids(r) == sorted([by_id["id"], by_text["id"]])
    # PATCH: a source_id sets the text; null clears both; text alone finds the id again.
    r = tenant.admin.patch(f"/contacts/{free['id']}", {"source_id": zillow["id"]})
    assert (r.json()["data"]["source"], r.json()["data"]["source_id"]) == ("Zillow Lead",
                                                                           zillow["id"])
    r = tenant.admin.patch(f"/contacts/{free['id']}", {"source_id": None})
    assert (r.json()["data"]["source"], r.json()["data"]["source_id"]) == (None, None)
    r = tenant.admin.patch(f"/contacts/{free['id']}", {"source": "ZILLOW LEAD"})
    assert r.json()["data"]["source_id"] == zillow["id"]


def test_renaming_or_deleting_a_source_follows_on_its_contacts(tenant):
    source = make(tenant.admin, "/sources", name="Zillow")
    company = tenant.admin.company()
    c = tenant.admin.contact(company["id"], source_id=source["id"])
    r = tenant.admin.patch(f"/sources/{source['id']}", {"name": "Zillow Premier"})
    assert r.status_code == 200 and r.json()["data"]["name"] == "Zillow Premier"
    after = tenant.viewer.get(f"/contacts/{c['id']}").json()["data"]
    assert after["source"] == "Zillow Premier" and after["source_id"] == source["id"]
    assert delete(tenant.admin, f"/sources/{source['id']}").status_code == 204
    after = tenant.viewer.get(f"/contacts/{c['id']}").json()["data"]
    assert after["source"] == "Zillow Premier" and after["source_id"] is None
    assert delete(tenant.admin, f"/sources/{source['id']}").status_code == 404


def test_hotness_levels_carry_rank_and_color(tenant):
    hot = make(tenant.admin, "/hotness-levels", name="Hot", rank=12, color="#3B274C")
    cold = make(tenant.admin, "/hotness-levels", name="Cold", rank=1)
    assert hot["color"] == "#3b274c" and cold["color"] is None
    assert set(hot) == {"id", "name", "rank", "color", "created_at", "updated_at"}
    r = tenant.viewer.get("/hotness-levels")
    assert [l["name"] for l in r.json()["data"]] == ["Cold", "Hot"]  # by rank
    for body, field in (({"name": "x", "color": "red"}, "color"),
                        ({"name": "x", "rank": "high"}, "rank"), ({"rank": 1}, "name")):
        assert_error(tenant.admin.post("/hotness-levels", body), 422, "validation_error", [field])
    assert_error(tenant.admin.post("/hotness-levels", {"name": "HOT"}), 409, "conflict", ["name"])
    assert tenant.editor.post("/hotness-levels", {"name": "Warm"}).status_code == 403


def test_a_contact_shows_its_level_as_it_is_now(tenant, server):
    hot = make(tenant.admin, "/hotness-levels", name="Hot", rank=12, color="#3b274c")
    warm = make(tenant.admin, "/hotness-levels", name="Warm", rank=6)
    company = tenant.admin.company()
    c = tenant.admin.contact(company["id"], hotness_id=hot["id"], is_connected=True)
    assert c["hotness_id"] == hot["id"]
    assert c["hotness"] == {"id": hot["id"], "name": "Hot", "rank": 12, "color": "#3b274c"}
    other = tenant.admin.contact(company["id"], hotness_id=warm["id"], is_connected=True)
    assert ids(tenant.viewer.get("/contacts", params={"hotness_id": hot["id"]})) == [c["id"]]
    r = tenant.admin.patch(f"/hotness-levels/{hot['id']}", {"name": "Scorching", "color": None})
    assert r.status_code == 200, r.text
    got = tenant.viewer.get(f"/contacts/{c['id']}").json()["data"]
    assert got["hotness"] == {"id": hot["id"], "name": "Scorching", "rank": 12, "color": None}
    theirs = make(server.tenant().admin, "/hotness-levels", name="Theirs")
    for level_id in (999999, theirs["id"]):
        assert_error(tenant.admin.patch(f"/contacts/{c['id']}", {"hotness_id": level_id}), 422,
                     "validation_error", ["hotness_id"])
    assert_error(tenant.admin.patch(f"/contacts/{c['id']}", {"hotness": {"id": 1}}), 422,
                 "validation_error", ["hotness"])
    r = tenant.admin.patch(f"/contacts/{c['id']}", {"hotness_id": None})
    assert r.json()["data"]["hotness"] is None and r.json()["data"]["hotness_id"] is None
    assert delete(tenant.admin, f"/hotness-levels/{warm['id']}").status_code == 204
    got = tenant.viewer.get(f"/contacts/{other['id']}").json()["data"]
    assert got["hotness"] is None and got["hotness_id"] is None


def test_a_restored_contact_keeps_only_list_entries_that_still_exist(tenant):
    source = make(tenant.admin, "/sources", name="Referral")
    gone = make(tenant.admin, "/sources", name="Gone")
    hot = make(tenant.admin, "/hotness-levels", name="Hot", rank=3)
    company = tenant.admin.company()
    a = tenant.admin.contact(company["id"], source_id=source["id"], hotness_id=hot["id"])
    b = tenant.admin.contact(company["id"], source_id=gone["id"], hotness_id=hot["id"])
    for c in (a, b):
        assert delete(tenant.admin, f"/contacts/{c['id']}").status_code == 204
    # Changed while the contacts were deleted: they come back as the lists are now.
    assert tenant.admin.patch(f"/hotness-levels/{hot['id']}", {"rank": 9}).status_code == 200
    assert tenant.admin.patch(f"/sources/{source['id']}", {"name": "Referral Partner"}
                              ).status_code == 200
    assert delete(tenant.admin, f"/sources/{gone['id']}").status_code == 204
    ra = tenant.admin.post(f"/contacts/{a['id']}/restore").json()["data"]
    assert (ra["source"], ra["source_id"]) == ("Referral Partner", source["id"])
    assert ra["hotness"]["rank"] == 9
    assert delete(tenant.admin, f"/hotness-levels/{hot['id']}").status_code == 204
    listed = tenant.admin.get("/contacts", params={"deleted": "true"}).json()["data"]
    deleted_b = next(c for c in listed if c["id"] == b["id"])
    assert deleted_b["source_id"] is None and deleted_b["hotness"] is None
    # New items never take a deleted one's id, so nothing else is attached on restore.
    again = make(tenant.admin, "/sources", name="Another")
    level = make(tenant.admin, "/hotness-levels", name="Cold")
    assert again["id"] not in (source["id"], gone["id"]) and level["id"] != hot["id"]
    rb = tenant.admin.post(f"/contacts/{b['id']}/restore").json()["data"]
    assert rb["source"] == "Gone" and rb["source_id"] is None
    assert rb["hotness"] is None and rb["hotness_id"] is None


def test_an_empty_level_change_touches_no_contact(tenant):
    hot = make(tenant.admin, "/hotness-levels", name="Hot")
    company = tenant.admin.company()
    c = tenant.admin.contact(company["id"], hotness_id=hot["id"])
    time.sleep(1.1)  # updated_at counts seconds: a change would show
    r = tenant.admin.patch(f"/hotness-levels/{hot['id']}", {})
    assert r.status_code == 200
    assert tenant.viewer.get(f"/contacts/{c['id']}").json()["data"]["updated_at"] == \
        c["updated_at"]


def test_list_sizes_are_bounded(tenant):
    for i in range(50):
        make(tenant.admin, "/hotness-levels", name=f"L{i}")
    assert_error(tenant.admin.post("/hotness-levels", {"name": "one more"}), 422,
                 "validation_error", ["name"])

"""The reporting hierarchy: reports_to, cycles refused, managers' deletion detaching their
reports, /contacts/{id}/reports and /contacts/hierarchy."""
import subprocess

import pytest

from conftest import BIN, assert_error


def delete(client, contact_id, **params):
    return client.session.delete(f"{client.server.api}/contacts/{contact_id}", params=params)


@pytest.fixture
def org(tenant):
    """ceo <- vp <- (manager <- (a, b), c); b is not connected (lists hide it by default)."""
    company = tenant.admin.company()
    make = lambda name, boss=None, **kw: tenant.admin.contact(
        company["id"], first_name=name, last_name="Org", title=name.upper(), is_connected=True,
        **({"reports_to": boss["id"]} if boss else {}), **kw)
    ceo = make("ceo")
    vp = make("vp", ceo)
    manager = make("manager", vp, department="Sales")
    return tenant, company, {"ceo": ceo, "vp": vp, "manager": manager, "a": make("a", manager),
                             "b": tenant.admin.contact(company["id"], first_name="b",
                                                       last_name="Org", title="B",
                                                       reports_to=manager["id"]),
                             "c": make("c", vp)}


def test_reports_to_is_read_written_and_filtered(org):
    tenant, _, c = org
    assert c["vp"]["reports_to"] == c["ceo"]["id"] and c["ceo"]["reports_to"] is None
    r = tenant.viewer.get("/contacts", params={"reports_to": c["manager"]["id"],
                                               "is_connected": "all"})
    assert sorted(x["id"] for x in r.json()["data"]) == sorted([c["a"]["id"], c["b"]["id"]])
    r = tenant.admin.patch(f"/contacts/{c['c']['id']}", {"reports_to": c["manager"]["id"]})
    assert r.status_code == 200 and r.json()["data"]["reports_to"] == c["manager"]["id"]
    r = tenant.admin.patch(f"/contacts/{c['c']['id']}", {"reports_to": None})
    assert r.json()["data"]["reports_to"] is None


def test_a_manager_must_be_another_contact_of_the_account_and_close_no_cycle(org, server):
    tenant, company, c = org
    theirs = server.tenant()
    foreign = theirs.admin.contact(theirs.admin.company()["id"])
    for manager in (999999, foreign["id"]):
        assert_error(tenant.admin.post("/contacts", {"contact_type": "sponsor",
                                                     "company_id": company["id"],
                                                     "reports_to": manager}),
                     422, "validation_error", ["reports_to"])
    for who, manager in (("ceo", "ceo"), ("ceo", "a"), ("ceo", "vp"), ("vp", "manager"),
                         ("manager", "b")):
        r = tenant.admin.patch(f"/contacts/{c[who]['id']}", {"reports_to": c[manager]["id"]})
        assert_error(r, 422, "validation_error", ["reports_to"])
    assert_error(tenant.admin.patch(f"/contacts/{c['a']['id']}", {"reports_to": "x"}), 422,
                 "validation_error", ["reports_to"])
    # Nothing changed.
    assert tenant.viewer.get(f"/contacts/{c['ceo']['id']}").json()["data"]["reports_to"] is None


def test_deleting_a_manager_detaches_its_reports(org):
    tenant, _, c = org
    assert delete(tenant.admin, c["manager"]["id"]).status_code == 204
    for who in ("a", "b"):
        got = tenant.viewer.get(f"/contacts/{c[who]['id']}").json()["data"]
        assert got["reports_to"] is None
    # Restored, the manager comes back without them; a report restored after its manager was
    # erased comes back without a manager.
    assert tenant.admin.post(f"/contacts/{c['manager']['id']}/restore").status_code == 200
    assert tenant.viewer.get("/contacts", params={"reports_to": c["manager"]["id"]}
                             ).json()["data"] == []
    assert delete(tenant.admin, c["c"]["id"]).status_code == 204
    assert delete(tenant.admin, c["vp"]["id"], permanent="true").status_code == 204
    assert tenant.viewer.get(f"/contacts/{c['manager']['id']}").json()["data"]["reports_to"] is None
    restored = tenant.admin.post(f"/contacts/{c['c']['id']}/restore").json()["data"]
    assert restored["reports_to"] is None


def test_reports_are_direct_or_the_whole_subtree_breadth_first(org):
    tenant, _, c = org
    r = tenant.viewer.get(f"/contacts/{c['vp']['id']}/reports")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["has_more"] is False
    assert [(x["id"], x["depth"]) for x in body["data"]] == [
        (c["manager"]["id"], 1), (c["c"]["id"], 1)]
    assert set(body["data"][0]) == {"id", "full_name", "display_name", "title", "department",
                                    "reports_to", "depth"}
    assert body["data"][0]["department"] == "Sales" and body["data"][0]["title"] == "MANAGER"
    r = tenant.viewer.get(f"/contacts/{c['ceo']['id']}/reports", params={"depth": "all"})
    got = [(x["id"], x["reports_to"], x["depth"]) for x in r.json()["data"]]
    assert got[0] == (c["vp"]["id"], c["ceo"]["id"], 1)
    assert sorted(got[1:3]) == sorted([(c["manager"]["id"], c["vp"]["id"], 2),
                                       (c["c"]["id"], c["vp"]["id"], 2)])
    assert sorted(got[3:]) == sorted([(c["a"]["id"], c["manager"]["id"], 3),
                                      (c["b"]["id"], c["manager"]["id"], 3)])
    assert tenant.viewer.get(f"/contacts/{c['a']['id']}/reports").json()["data"] == []
    # The /build/contacts alias of seed 001 answers the same.
    alias = tenant.viewer.session.get(f"{tenant.server.api}/build/contacts/{c['vp']['id']}/reports")
    assert alias.status_code == 200 and alias.json()["data"] == body["data"]
    alias = tenant.viewer.session.get(f"{tenant.server.api}/build/contacts/hierarchy")
    assert alias.status_code == 200 and str(c["vp"]["id"]) in alias.json()["data"]
    assert_error(tenant.viewer.get(f"/contacts/{c['a']['id']}/reports", params={"depth": "2"}),
                 400, "bad_request", ["depth"])
    assert_error(tenant.viewer.get("/contacts/999999/reports"), 404, "not_found")


def test_the_hierarchy_maps_each_manager_to_its_direct_reports(org, server):
    tenant, _, c = org
    r = tenant.viewer.get("/contacts/hierarchy")
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    ids = lambda key: [x["id"] for x in data[str(c[key]["id"])]]
    assert set(data) == {str(c[k]["id"]) for k in ("ceo", "vp", "manager")}
    assert ids("ceo") == [c["vp"]["id"]]
    assert ids("vp") == sorted([c["manager"]["id"], c["c"]["id"]])
    assert ids("manager") == sorted([c["a"]["id"], c["b"]["id"]])
    assert data[str(c["ceo"]["id"])][0] == {"id": c["vp"]["id"], "full_name": "vp Org",
                                            "display_name": None, "title": "VP",
                                            "department": None}
    assert r.json()["has_more"] is False
    # Another account sees none of it; its ids are ids that do not exist.
    other = server.tenant()
    assert other.viewer.get("/contacts/hierarchy").json()["data"] == {}
    assert_error(other.viewer.get(f"/contacts/{c['ceo']['id']}/reports"), 404, "not_found")


def test_hierarchy_reads_stop_at_10000_links_and_say_so(tenant, tmp_path):
    company = tenant.admin.company()
    boss = tenant.admin.contact(company["id"], first_name="Boss")
    path = tmp_path / "team.csv"
    path.write_text("contact_type,company_id,first_name,reports_to\n" + "".join(
        f"sponsor,{company['id']},R{i},{boss['id']}\n" for i in range(10001)))
    result = subprocess.run([BIN, "import", "--account", str(tenant.account["id"]), "--file",
                             str(path), "--db", str(tenant.server.db)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    r = tenant.viewer.get(f"/contacts/{boss['id']}/reports")
    assert len(r.json()["data"]) == 10000 and r.json()["has_more"] is True
    ids = [x["id"] for x in r.json()["data"]]
    assert ids == sorted(ids)
    r = tenant.viewer.get("/contacts/hierarchy")
    assert len(r.json()["data"][str(boss["id"])]) == 10000 and r.json()["has_more"] is True

"""Tags on the native API: the set on a contact, add and remove, filters and the account's list."""
import threading

import pytest
import requests

from conftest import assert_error


def ids(response):
    assert response.status_code == 200, response.text
    return sorted(c["id"] for c in response.json()["data"])


@pytest.fixture
def tagged(tenant):
    company = tenant.admin.company()
    make = lambda *tags: tenant.admin.contact(company["id"], tags=list(tags), is_connected=True)
    return tenant, {"a": make("vip", "lead"), "b": make("lead"), "c": make("Buyer", "VIP"),
                    "d": make()}


def test_tags_are_a_trimmed_case_insensitive_set_keeping_the_first_spelling(tenant):
    company = tenant.admin.company()
    c = tenant.admin.contact(company["id"], tags=[" New-Lead ", "website", "NEW-LEAD"])
    assert c["tags"] == ["New-Lead", "website"]
    r = tenant.admin.patch(f"/contacts/{c['id']}", {"tags": ["x"]})
    assert r.status_code == 200 and r.json()["data"]["tags"] == ["x"]
    r = tenant.admin.patch(f"/contacts/{c['id']}", {"tags": []})
    assert r.json()["data"]["tags"] == []
    assert tenant.admin.contact(company["id"])["tags"] == []


@pytest.mark.parametrize("tags,field", [
    ([""], "tags[0]"), (["ok", "x" * 65], "tags[1]"), (["a,b"], "tags[0]"),
    (["a\nb"], "tags[0]"), ([1], "tags[0]"), ("vip", "tags"), (None, "tags"),
    ([f"t{i}" for i in range(101)], "tags"),
])
def test_bad_tags_are_422_naming_the_element(tenant, tags, field):
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        "tags": tags})
    assert_error(r, 422, "validation_error", [field])


def test_filters_has_any_none_and_all(tagged):
    tenant, c = tagged
    get = lambda **params: ids(tenant.viewer.get("/contacts", params=params))
    assert get(tags="VIP") == sorted([c["a"]["id"], c["c"]["id"]])
    assert get(**{"tags[$in]": ["buyer", "lead"]}) == sorted([c["a"]["id"], c["b"]["id"],
                                                              c["c"]["id"]])
    assert get(**{"tags[$all]": ["vip", "LEAD"]}) == [c["a"]["id"]]
    assert get(**{"tags[$nin]": ["vip", "buyer"]}) == sorted([c["b"]["id"], c["d"]["id"]])
    assert get(**{"tags[$ne]": "lead"}) == sorted([c["c"]["id"], c["d"]["id"]])
    # Combined with other filters and counted exactly.
    r = tenant.viewer.get("/contacts", params={"tags": "lead", "id[$gt]": c["a"]["id"]})
    assert ids(r) == [c["b"]["id"]] and r.json()["pagination"]["total"] == 1
    assert_error(tenant.viewer.get("/contacts", params={"tags[$lt]": "x"}), 400, "bad_request",
                 ["tags[$lt]"])
    # Sorting orders by the tags as one text (seed 002's tags string), contacts without first.
    r = tenant.viewer.get("/contacts", params={"sort": "tags"})
    assert r.status_code == 200, r.text
    order = [x["tags"] for x in r.json()["data"]]
    assert order == [[], ["Buyer", "VIP"], ["lead"], ["vip", "lead"]]
    r = tenant.viewer.get("/contacts", params={"sort": "-tags"})
    assert [x["tags"] for x in r.json()["data"]][0] == ["vip", "lead"]
    assert_error(tenant.viewer.get("/contacts", params={"city[$all]": "x"}), 400, "bad_request",
                 ["city[$all]"])


def test_tag_filters_stay_inside_the_account(tagged, server):
    tenant, c = tagged
    other = server.tenant()
    company = other.admin.company()
    other.admin.contact(company["id"], tags=["vip"], is_connected=True)
    assert ids(tenant.viewer.get("/contacts", params={"tags": "vip"})) == sorted(
        [c["a"]["id"], c["c"]["id"]])
    names = {t["name"]: t["contacts"] for t in tenant.viewer.get("/tags").json()["data"]}
    assert names == {"Buyer": 1, "lead": 2, "vip": 2}


def test_add_and_remove_tags(tagged):
    tenant, c = tagged
    path = f"/contacts/{c['b']['id']}/tags"
    r = tenant.editor.post(path, {"tags": ["VIP", "Lead", "new"]})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["tags"] == ["lead", "VIP", "new"]
    r = tenant.editor.session.delete(tenant.server.api + path, json={"tags": ["LEAD", "absent"]})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["tags"] == ["VIP", "new"]
    counts = {t["name"]: t["contacts"] for t in tenant.viewer.get("/tags").json()["data"]}
    assert counts == {"Buyer": 1, "lead": 1, "new": 1, "vip": 3}
    assert_error(tenant.viewer.post(path, {"tags": ["x"]}), 403, "forbidden")
    assert_error(tenant.editor.post("/contacts/999999999/tags", {"tags": ["x"]}), 404,
                 "not_found")
    assert_error(tenant.editor.post(path, {"tags": ["a,b"]}), 422, "validation_error",
                 ["tags[0]"])
    assert_error(tenant.editor.post(path, {}), 422, "validation_error", ["tags"])
    assert_error(tenant.editor.post(path, {"tags": [], "extra": 1}), 422, "validation_error",
                 ["extra"])


def test_a_set_never_grows_past_100(tenant):
    company = tenant.admin.company()
    c = tenant.admin.contact(company["id"], tags=[f"t{i}" for i in range(99)])
    path = f"/contacts/{c['id']}/tags"
    assert tenant.admin.post(path, {"tags": ["t1", "new"]}).status_code == 200
    r = tenant.admin.post(path, {"tags": ["one-more"]})
    assert_error(r, 422, "validation_error", ["tags"])
    assert len(tenant.admin.get(f"/contacts/{c['id']}").json()["data"]["tags"]) == 100


def test_concurrent_adds_all_take_effect(tenant):
    company = tenant.admin.company()
    c = tenant.admin.contact(company["id"])
    path = tenant.server.api + f"/contacts/{c['id']}/tags"
    headers = {"Authorization": f"Bearer {tenant.admin.token}"}
    def add(i):
        assert requests.post(path, json={"tags": [f"tag-{i}"]}, headers=headers).status_code == 200
    threads = [threading.Thread(target=add, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tags = tenant.admin.get(f"/contacts/{c['id']}").json()["data"]["tags"]
    assert sorted(tags) == sorted(f"tag-{i}" for i in range(20))
    counts = {t["name"]: t["contacts"] for t in tenant.admin.get("/tags").json()["data"]}
    assert all(counts[f"tag-{i}"] == 1 for i in range(20))


def test_tag_list_pages_with_limit_and_offset(tagged):
    tenant, _ = tagged
    r = tenant.viewer.get("/tags", params={"limit": 2})
    body = r.json()
    assert [t["name"] for t in body["data"]] == ["Buyer", "lead"]
    assert body["pagination"] == {"total": 3, "limit": 2, "offset": 0, "has_more": True}
    r = tenant.viewer.get("/tags", params={"limit": 2, "offset": 2})
    assert [t["name"] for t in r.json()["data"]] == ["vip"]
    assert_error(tenant.viewer.get("/tags", params={"cursor": "x"}), 400, "bad_request", ["cursor"])
    assert_error(tenant.viewer.get("/tags", params={"limit": 0}), 400, "bad_request", ["limit"])


def test_delete_with_a_non_json_body_is_415(tagged):
    tenant, c = tagged
    r = tenant.editor.session.delete(tenant.server.api + f"/contacts/{c['a']['id']}/tags",
                                     data="tags=vip",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error(r, 415, "unsupported_media_type")

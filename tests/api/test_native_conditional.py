"""Conditional requests: strong ETags and `version` on contacts, companies and webhooks,
If-None-Match → 304, If-Match (or `version` in a PATCH body) → 412 when stale, with nothing
written, and exactly one winner when two writers race on the same version."""
import threading

import requests

from conftest import assert_error


def put(client, path, body=None, **kw):
    return client.session.put(client.server.api + path, json=body, **kw)


def delete(client, path, **kw):
    return client.session.delete(client.server.api + path, **kw)


def test_a_contact_carries_its_version_as_a_strong_etag(tenant):
    company = tenant.admin.company("Tagged Co")
    contact = tenant.admin.contact(company["id"], first_name="Ada")
    assert contact["version"] == 1
    r = tenant.admin.get(f"/contacts/{contact['id']}")
    assert r.headers["ETag"] == '"1"' and r.json()["data"]["version"] == 1
    for tag in ('"1"', 'W/"1"', '"7", "1"', "*"):
        r = tenant.admin.get(f"/contacts/{contact['id']}", headers={"If-None-Match": tag})
        assert r.status_code == 304, tag
        assert r.content == b"" and r.headers["ETag"] == '"1"'
    r = tenant.admin.get(f"/contacts/{contact['id']}", headers={"If-None-Match": '"2"'})
    assert r.status_code == 200
    r = tenant.admin.patch(f"/contacts/{contact['id']}", {"title": "CFO"})
    assert r.headers["ETag"] == '"2"' and r.json()["data"]["version"] == 2
    # The old tag no longer matches: the client gets the new representation.
    r = tenant.admin.get(f"/contacts/{contact['id']}", headers={"If-None-Match": '"1"'})
    assert r.status_code == 200 and r.json()["data"]["title"] == "CFO"
    # Another account's contact is not found, whatever the tag.
    other = tenant.server.tenant()
    r = other.admin.get(f"/contacts/{contact['id']}", headers={"If-None-Match": "*"})
    assert_error(r, 404, "not_found")


def test_if_match_refuses_stale_writes_and_writes_nothing(tenant):
    company = tenant.admin.company("Stale Co")
    contact = tenant.admin.contact(company["id"], first_name="Bo")
    path = f"/contacts/{contact['id']}"
    tenant.admin.patch(path, {"title": "One"})  # now at version 2
    for stale in ('"1"', 'W/"2"', '"abc"', '"0"'):
        r = tenant.admin.patch(path, {"title": "Lost"}, headers={"If-Match": stale})
        error = assert_error(r, 412, "precondition_failed")
        assert "version 2" in error["message"]
    assert_error(delete(tenant.admin, path, headers={"If-Match": '"1"'}), 412,
                 "precondition_failed")
    r = tenant.admin.get(path)
    assert r.json()["data"]["title"] == "One" and r.json()["data"]["version"] == 2
    r = tenant.admin.patch(path, {"title": "Two"}, headers={"If-Match": '"1", "2"'})
    assert r.status_code == 200 and r.json()["data"]["version"] == 3
    r = tenant.admin.patch(path, {"title": "Any"}, headers={"If-Match": "*"})
    assert r.status_code == 200
    assert delete(tenant.admin, path, headers={"If-Match": '"4"'}).status_code == 204


def test_version_in_the_body_acts_like_if_match(tenant):
    company = tenant.admin.company("Body Co")
    contact = tenant.admin.contact(company["id"], first_name="Cy")
    path = f"/contacts/{contact['id']}"
    assert_error(tenant.admin.patch(path, {"title": "X", "version": 2}), 412,
                 "precondition_failed")
    r = tenant.admin.patch(path, {"title": "X", "version": 1})
    assert r.status_code == 200 and r.json()["data"]["version"] == 2
    for bad in (0, -3, "2", None, 1.5):
        assert_error(tenant.admin.patch(path, {"title": "Y", "version": bad}), 422,
                     "validation_error", fields=["version"])
    # Header and body must both allow the version.
    r = tenant.admin.patch(path, {"title": "Z", "version": 2}, headers={"If-Match": '"1"'})
    assert_error(r, 412, "precondition_failed")
    r = tenant.admin.patch(path, {"title": "Z", "version": 2}, headers={"If-Match": '"2"'})
    assert r.status_code == 200
    # A GET body sent back as a PATCH works as is: its version guards it.
    current = tenant.admin.get(path).json()["data"]
    r = tenant.admin.patch(path, {"title": "Echo", "version": current["version"]})
    assert r.status_code == 200


def test_side_effects_change_the_version_too(tenant):
    company = tenant.admin.company("Primary Co")
    first = tenant.admin.contact(company["id"], first_name="First", is_primary=True)
    tenant.admin.contact(company["id"], first_name="Second", is_primary=True)  # demotes First
    r = tenant.admin.get(f"/contacts/{first['id']}")
    assert r.json()["data"]["is_primary"] is False and r.headers["ETag"] != '"1"'
    r = tenant.admin.patch(f"/contacts/{first['id']}", {"title": "X"}, headers={"If-Match": '"1"'})
    assert_error(r, 412, "precondition_failed")


def test_two_writers_on_one_version_have_exactly_one_winner(tenant):
    company = tenant.admin.company("Race Co")
    contact = tenant.admin.contact(company["id"], first_name="Race")
    path = f"{tenant.server.api}/contacts/{contact['id']}"
    headers = {"Authorization": f"Bearer {tenant.admin.token}"}
    for round_ in range(10):
        version = requests.get(path, headers=headers).json()["data"]["version"]
        barrier = threading.Barrier(2)
        statuses = []

        def write(title):
            barrier.wait()
            r = requests.patch(path, json={"title": title},
                               headers={**headers, "If-Match": f'"{version}"'})
            statuses.append(r.status_code)
        threads = [threading.Thread(target=write, args=(f"{who}{round_}",)) for who in "AB"]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses) == [200, 412], statuses
        after = requests.get(path, headers=headers).json()["data"]
        assert after["version"] == version + 1


def test_companies_honour_etags_and_if_match(tenant):
    company = tenant.admin.company("Versioned Co")
    path = f"/companies/{company['id']}"
    r = tenant.admin.get(path)
    assert r.headers["ETag"] == '"1"' and r.json()["data"]["version"] == 1
    assert tenant.admin.get(path, headers={"If-None-Match": '"1"'}).status_code == 304
    assert_error(tenant.admin.patch(path, {"website": "https://a.example"},
                                    headers={"If-Match": '"9"'}), 412, "precondition_failed")
    assert_error(tenant.admin.patch(path, {"website": "https://a.example", "version": 9}), 412,
                 "precondition_failed")
    r = tenant.admin.patch(path, {"website": "https://a.example"}, headers={"If-Match": '"1"'})
    assert r.status_code == 200 and r.headers["ETag"] == '"2"'
    contact = tenant.admin.contact(company["id"], first_name="P")
    r = put(tenant.admin, f"{path}/primary-contact", {"contact_id": contact["id"]},
            headers={"If-Match": '"1"'})
    assert_error(r, 412, "precondition_failed")
    assert tenant.admin.get(path).json()["data"]["primary_contact_id"] is None
    r = put(tenant.admin, f"{path}/primary-contact", {"contact_id": contact["id"]},
            headers={"If-Match": '"2"'})
    assert r.status_code == 200 and r.json()["data"]["version"] == 3
    assert_error(delete(tenant.admin, path + "?detach=true", headers={"If-Match": '"2"'}), 412,
                 "precondition_failed")
    assert delete(tenant.admin, path + "?detach=true",
                  headers={"If-Match": '"3"'}).status_code == 204


def test_webhooks_honour_etags_and_if_match(tenant):
    r = tenant.admin.post("/webhooks", {"url": "http://93.184.216.34/hook", "events": ["*"]})
    assert r.status_code == 201 and r.headers["ETag"] == '"1"', (r.text, r.headers)
    hook = r.json()["data"]
    path = f"/webhooks/{hook['id']}"
    r = tenant.admin.get(path)
    assert r.headers["ETag"] == '"1"' and r.json()["data"]["version"] == 1
    assert tenant.admin.get(path, headers={"If-None-Match": '"1"'}).status_code == 304
    assert_error(tenant.admin.patch(path, {"description": "x"}, headers={"If-Match": '"2"'}),
                 412, "precondition_failed")
    r = tenant.admin.patch(path, {"description": "x", "version": 1})
    assert r.status_code == 200 and r.headers["ETag"] == '"2"'
    # A new secret is a new version, and its answer says which.
    r = tenant.admin.post(path + "/rotate-secret")
    assert r.status_code == 200 and r.headers["ETag"] == '"3"', (r.text, r.headers)
    assert r.json()["data"]["version"] == 3
    assert_error(delete(tenant.admin, path, headers={"If-Match": '"2"'}), 412,
                 "precondition_failed")
    assert delete(tenant.admin, path, headers={"If-Match": '"3"'}).status_code == 204


def test_resources_without_versions_match_only_the_wildcard(tenant):
    r = tenant.admin.patch("/settings", {"default_country": "GB"}, headers={"If-Match": '"1"'})
    assert_error(r, 412, "precondition_failed")
    assert tenant.admin.get("/settings").json()["data"]["default_country"] == "US"
    r = tenant.admin.patch("/settings", {"default_country": "GB"}, headers={"If-Match": "*"})
    assert r.status_code == 200 and r.json()["data"]["default_country"] == "GB"
    me = tenant.admin.get("/me").json()["data"]
    r = tenant.admin.patch(f"/users/{me['id']}", {"name": "X"}, headers={"If-Match": '"1"'})
    assert_error(r, 412, "precondition_failed")

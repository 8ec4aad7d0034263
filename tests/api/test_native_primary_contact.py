"""A company's primary contact: PUT and DELETE /companies/{id}/primary-contact."""
import threading

import requests

from conftest import assert_error


def put(client, company_id, body):
    return client.session.put(f"{client.server.api}/companies/{company_id}/primary-contact",
                              json=body)


def clear(client, company_id):
    return client.session.delete(f"{client.server.api}/companies/{company_id}/primary-contact")


def primaries(client, company_id):
    r = client.get("/contacts", params={"company_id": company_id, "is_primary": "true",
                                        "is_connected": "all"})
    assert r.status_code == 200, r.text
    return [c["id"] for c in r.json()["data"]]


def test_put_makes_the_contact_the_only_primary_and_delete_clears_it(tenant):
    company = tenant.admin.company()
    a = tenant.admin.contact(company["id"], is_primary=True)
    b = tenant.admin.contact(company["id"])
    r = put(tenant.editor, company["id"], {"contact_id": b["id"]})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["primary_contact_id"] == b["id"]
    assert primaries(tenant.viewer, company["id"]) == [b["id"]]
    assert tenant.viewer.get(f"/contacts/{a['id']}").json()["data"]["is_primary"] is False
    r = clear(tenant.editor, company["id"])
    assert r.status_code == 200 and r.json()["data"]["primary_contact_id"] is None
    assert primaries(tenant.viewer, company["id"]) == []
    # is_primary stays not updatable through PATCH (seed 000).
    assert_error(tenant.admin.patch(f"/contacts/{a['id']}", {"is_primary": True}), 422,
                 "validation_error", ["is_primary"])


def test_the_contact_must_be_one_of_the_companys(tenant, server):
    company = tenant.admin.company()
    other_company = tenant.admin.company("Other")
    elsewhere = tenant.admin.contact(other_company["id"])
    theirs = server.tenant()
    foreign = theirs.admin.contact(theirs.admin.company()["id"])
    for contact_id in (elsewhere["id"], foreign["id"], 999999):
        assert_error(put(tenant.admin, company["id"], {"contact_id": contact_id}), 422,
                     "validation_error", ["contact_id"])
    for body in ({}, {"contact_id": "1"}, {"contact_id": None}, {"contact_id": 1, "x": 1}):
        r = put(tenant.admin, company["id"], body)
        assert r.status_code == 422, (body, r.text)
    # Another account's company is a company that does not exist.
    assert_error(put(theirs.admin, company["id"], {"contact_id": foreign["id"]}), 404, "not_found")
    assert_error(clear(theirs.admin, company["id"]), 404, "not_found")
    assert put(tenant.viewer, company["id"], {"contact_id": elsewhere["id"]}).status_code == 403
    assert clear(tenant.viewer, company["id"]).status_code == 403


def test_concurrent_calls_leave_exactly_one_primary(tenant):
    company = tenant.admin.company()
    contacts = [tenant.admin.contact(company["id"]) for _ in range(8)]
    barrier = threading.Barrier(len(contacts))
    statuses = []

    def make_primary(contact):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {tenant.admin.token}"
        barrier.wait()
        r = session.put(f"{tenant.server.api}/companies/{company['id']}/primary-contact",
                        json={"contact_id": contact["id"]})
        statuses.append(r.status_code)

    threads = [threading.Thread(target=make_primary, args=(c,)) for c in contacts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * len(contacts)
    chosen = primaries(tenant.viewer, company["id"])
    assert len(chosen) == 1
    got = tenant.viewer.get(f"/companies/{company['id']}").json()["data"]
    assert got["primary_contact_id"] == chosen[0]

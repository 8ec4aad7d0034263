"""Account settings, phone lookups, duplicate refusal and upsert on the native API."""
import threading

import pytest
import requests

from conftest import assert_error


def settings(client, body):
    r = client.patch("/settings", body)
    assert r.status_code == 200, r.text
    return r.json()["data"]


def ids(response):
    assert response.status_code == 200, response.text
    return sorted(c["id"] for c in response.json()["data"])


def test_settings_default_and_change(tenant):
    assert tenant.viewer.get("/settings").json()["data"] == {"duplicate_contacts": "allow",
                                                             "default_country": "US"}
    assert_error(tenant.editor.patch("/settings", {"duplicate_contacts": "reject"}), 403,
                 "forbidden")
    assert settings(tenant.admin, {"default_country": "gb"}) == {"duplicate_contacts": "allow",
                                                                 "default_country": "GB"}
    assert_error(tenant.admin.patch("/settings", {"duplicate_contacts": "maybe"}), 422,
                 "validation_error", ["duplicate_contacts"])
    assert_error(tenant.admin.patch("/settings", {"default_country": "XX"}), 422,
                 "validation_error", ["default_country"])
    assert_error(tenant.admin.patch("/settings", {"theme": "dark"}), 422, "validation_error",
                 ["theme"])


def test_the_default_country_reads_numbers_without_a_plus(tenant):
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        "phones": [{"raw": "020 7946 0958"}]})
    assert_error(r, 422, "validation_error", ["phones[0].raw"])  # not a US number
    settings(tenant.admin, {"default_country": "GB"})
    c = tenant.admin.contact(company["id"], phones=[{"raw": "020 7946 0958"}], is_connected=True)
    assert c["phones"][0]["e164"] == "+442079460958" and c["phones"][0]["country"] == "GB"
    # An explicit country still wins.
    c = tenant.admin.contact(company["id"], phones=[{"raw": "(212) 555-0184", "country": "US"}])
    assert c["phones"][0]["e164"] == "+12125550184"
    # Lookups read numbers in it too.
    assert tenant.admin.get("/contacts", params={"phone": "020 7946 0958"}).json()[
        "pagination"]["total"] == 1


def test_phone_filter_finds_any_format(tenant):
    company = tenant.admin.company()
    a = tenant.admin.contact(company["id"], phones=[{"raw": "(212) 555-0184", "type": "office"}],
                             is_connected=True)
    b = tenant.admin.contact(company["id"], phones=[{"raw": "+44 20 7946 0958"}], is_connected=True)
    for text in ("(212) 555-0184", "212-555-0184", "+12125550184", "2125550184"):
        assert ids(tenant.viewer.get("/contacts", params={"phone": text})) == [a["id"]], text
    assert ids(tenant.viewer.get("/contacts", params={"phone[$in]": ["+442079460958",
                                                                     "212 555 0184"]})) == sorted(
        [a["id"], b["id"]])
    assert ids(tenant.viewer.get("/contacts", params={"phone[$ne]": "2125550184"})) == [b["id"]]
    assert_error(tenant.viewer.get("/contacts", params={"phone": "not a number"}), 400,
                 "bad_request", ["phone"])
    assert_error(tenant.viewer.get("/contacts", params={"phone[$gt]": "1"}), 400, "bad_request",
                 ["phone[$gt]"])
    # The lookup follows updates and deletes.
    tenant.admin.patch(f"/contacts/{a['id']}", {"phones": [{"raw": "(212) 555-0199"}]})
    assert ids(tenant.viewer.get("/contacts", params={"phone": "2125550184"})) == []
    assert ids(tenant.viewer.get("/contacts", params={"phone": "2125550199"})) == [a["id"]]
    tenant.admin.session.delete(tenant.server.api + f"/contacts/{a['id']}")
    assert ids(tenant.viewer.get("/contacts", params={"phone": "2125550199"})) == []
    tenant.admin.post(f"/contacts/{a['id']}/restore")
    assert ids(tenant.viewer.get("/contacts", params={"phone": "2125550199"})) == [a["id"]]


def test_duplicates_are_allowed_by_default_and_refused_when_set(tenant):
    company = tenant.admin.company()
    first = tenant.admin.contact(company["id"], email="dup@example.com",
                                 phones=[{"raw": "(212) 555-0101"}])
    tenant.admin.contact(company["id"], email="dup@example.com")  # allowed
    settings(tenant.admin, {"duplicate_contacts": "reject"})
    body = {"contact_type": "sponsor", "company_id": company["id"]}
    r = tenant.admin.post("/contacts", {**body, "email": "DUP@example.com"})
    error = assert_error(r, 409, "conflict", ["email"])
    assert str(first["id"]) in error["message"]
    r = tenant.admin.post("/contacts", {**body, "phones": [{"raw": "212.555.0101"}]})
    error = assert_error(r, 409, "conflict", ["phone"])
    assert str(first["id"]) in error["message"]
    before = tenant.admin.get("/contacts", params={"is_connected": "all"}).json()["pagination"]
    assert tenant.admin.post("/contacts", {**body, "email": "new@example.com"}).status_code == 201
    after = tenant.admin.get("/contacts", params={"is_connected": "all"}).json()["pagination"]
    assert after["total"] == before["total"] + 1


def upsert(client, body, **kw):
    return client.post("/contacts/upsert", body, **kw)


def test_upsert_creates_then_updates(tenant):
    company = tenant.admin.company()
    body = {"contact_type": "sponsor", "company_id": company["id"], "email": "up@example.com",
            "first_name": "Ann"}
    r = upsert(tenant.editor, body)
    assert r.status_code == 201, r.text
    assert r.json()["created"] is True
    created = r.json()["data"]
    r = upsert(tenant.editor, {**body, "email": "UP@example.com", "first_name": "Anna",
                               "contact_type": "lender_contact"})
    assert r.status_code == 200, r.text
    assert r.json()["created"] is False
    updated = r.json()["data"]
    assert updated["id"] == created["id"] and updated["first_name"] == "Anna"
    assert updated["contact_type"] == "sponsor"  # create-only fields do not apply to a match
    # match_on phone only: the email is not looked at.
    r = upsert(tenant.editor, {**body, "phones": [{"raw": "(212) 555-0177"}],
                               "match_on": ["phone"]})
    assert r.status_code == 201 and r.json()["data"]["id"] != created["id"]


def test_upsert_with_several_matches_is_409_listing_them(tenant):
    company = tenant.admin.company()
    a = tenant.admin.contact(company["id"], email="many@example.com")
    b = tenant.admin.contact(company["id"], phones=[{"raw": "(212) 555-0166"}])
    r = upsert(tenant.admin, {"contact_type": "sponsor", "company_id": company["id"],
                              "email": "many@example.com", "phones": [{"raw": "2125550166"}]})
    error = assert_error(r, 409, "conflict")
    assert str(a["id"]) in error["message"] and str(b["id"]) in error["message"]


@pytest.mark.parametrize("body,field", [
    ({"match_on": ["name"]}, "match_on"),
    ({"match_on": "email"}, "match_on"),
    ({"match_on": ["email", "phone", "email"]}, "match_on"),
    ({"company_id": None}, "company_id"),
])
def test_bad_upserts_are_422(tenant, body, field):
    company = tenant.admin.company()
    r = upsert(tenant.admin, {"contact_type": "sponsor", "company_id": company["id"],
                              "email": "x@example.com", **body})
    assert_error(r, 422, "validation_error", [field])
    assert_error(upsert(tenant.viewer, {"contact_type": "sponsor"}), 403, "forbidden")


def test_concurrent_upserts_of_one_email_create_one_contact(tenant):
    company = tenant.admin.company()
    body = {"contact_type": "sponsor", "company_id": company["id"], "email": "race@example.com"}
    url = tenant.server.api + "/contacts/upsert"
    headers = {"Authorization": f"Bearer {tenant.admin.token}"}
    statuses = []

    def go():
        statuses.append(requests.post(url, json=body, headers=headers).status_code)

    threads = [threading.Thread(target=go) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] * 15 + [201]
    r = tenant.admin.get("/contacts", params={"email": "race@example.com", "is_connected": "all"})
    assert r.json()["pagination"]["total"] == 1


def test_an_upsert_that_creates_obeys_the_duplicates_setting(tenant):
    company = tenant.admin.company()
    existing = tenant.admin.contact(company["id"], email="a@example.com",
                                    phones=[{"raw": "(212) 555-0133"}])
    settings(tenant.admin, {"duplicate_contacts": "reject"})
    r = upsert(tenant.admin, {"contact_type": "sponsor", "company_id": company["id"],
                              "email": "b@example.com", "phones": [{"raw": "2125550133"}],
                              "match_on": ["email"]})
    error = assert_error(r, 409, "conflict", ["phone"])
    assert str(existing["id"]) in error["message"]


def test_concurrent_changes_of_different_settings_both_take_effect(tenant):
    url = tenant.server.api + "/settings"
    headers = {"Authorization": f"Bearer {tenant.admin.token}"}

    def change(body):
        assert requests.patch(url, json=body, headers=headers).status_code == 200

    threads = [threading.Thread(target=change, args=(body,))
               for body in [{"duplicate_contacts": "reject"}, {"default_country": "GB"}] * 10]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert tenant.admin.get("/settings").json()["data"] == {"duplicate_contacts": "reject",
                                                           "default_country": "GB"}

"""Listing contacts: pagination, cursors, fields, sort + offset, filters."""
import base64
import json

import pytest

from conftest import assert_error


@pytest.fixture(scope="module")
def people(server):
    """An account with a known set of contacts."""
    tenant = server.tenant()
    lenders = tenant.admin.company("Lenders Co", company_type="lender")
    sponsors = tenant.admin.company("Sponsors Co", company_type="sponsor")
    rows = [
        ("Sarah", "Chen", "NY", "New York", lenders, "lender_contact", True),
        ("Bill", "Gates", "WA", "Seattle", sponsors, "sponsor", True),
        ("Steve", "Jobs", "CA", "Cupertino", sponsors, "sponsor", True),
        ("Ada", "chen", "CA", "San Francisco", lenders, "lender_contact", True),
        ("Grace", "Hopper", "NY", "Brooklyn", lenders, "lender_contact", True),
        ("Alan", "Turing", None, None, lenders, "lender_contact", True),
        ("Hidden", "Chen", "NY", "New York", lenders, "lender_contact", False),
    ]
    contacts = []
    for first, last, state, city, company, ctype, connected in rows:
        fields = {"first_name": first, "last_name": last, "is_connected": connected,
                  "contact_type": ctype}
        if state:
            fields.update(state=state, city=city)
        contacts.append(tenant.admin.contact(company["id"], **fields))
    tenant.contacts = contacts
    tenant.lenders = lenders
    return tenant


def ids(response):
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["data"]]


def by_name(people, *names):
    return [c["id"] for c in people.contacts if c["first_name"] in names]


def test_list_envelope_and_pagination(people):
    r = people.viewer.get("/contacts")
    body = r.json()
    assert body["request_id"] == r.headers["X-Request-Id"]
    assert body["pagination"] == {"total": 6, "limit": 50, "has_more": False, "next_cursor": None}
    assert len(body["data"]) == 6


def test_only_connected_contacts_by_default(people):
    hidden = by_name(people, "Hidden")[0]
    assert hidden not in ids(people.viewer.get("/contacts"))
    assert ids(people.viewer.get("/contacts", params={"is_connected": "false"})) == [hidden]
    everyone = ids(people.viewer.get("/contacts", params={"is_connected": "all"}))
    assert sorted(everyone) == sorted(c["id"] for c in people.contacts)
    assert_error(people.viewer.get("/contacts", params={"is_connected": "maybe"}), 400,
                 "bad_request", ["is_connected"])


@pytest.mark.parametrize("limit", ["0", "201", "-5", "abc", ""])
def test_limit_outside_1_to_200_is_400(people, limit):
    assert_error(people.viewer.get("/contacts", params={"limit": limit}), 400, "bad_request", ["limit"])


def test_limit_200_is_accepted(people):
    assert people.viewer.get("/contacts", params={"limit": 200}).json()["pagination"]["limit"] == 200


def test_cursor_pages_through_in_id_order(people):
    r = people.viewer.get("/contacts", params={"limit": 4}).json()
    assert r["pagination"]["has_more"] is True and r["pagination"]["next_cursor"]
    r2 = people.viewer.get("/contacts", params={"limit": 4, "cursor": r["pagination"]["next_cursor"]}).json()
    assert r2["pagination"]["has_more"] is False and r2["pagination"]["next_cursor"] is None
    assert r2["pagination"]["total"] == 6
    seen = [c["id"] for c in r["data"] + r2["data"]]
    assert seen == sorted(seen) and len(set(seen)) == 6


def test_tampered_or_garbage_cursor_is_400(people):
    cursor = people.viewer.get("/contacts", params={"limit": 2}).json()["pagination"]["next_cursor"]
    payload, mac = cursor.split(".")
    forged = base64.urlsafe_b64encode(json.dumps({"id": 1}).encode()).decode().rstrip("=") + "." + mac
    for bad in ["garbage", "eyJpZCI6IDc4fQ==", forged, cursor[:-2], cursor + "A"]:
        assert_error(people.viewer.get("/contacts", params={"cursor": bad}), 400, "bad_request", ["cursor"])


def test_cursor_with_sort_is_400_with_the_seed_message(people):
    cursor = people.viewer.get("/contacts", params={"limit": 2}).json()["pagination"]["next_cursor"]
    r = people.viewer.get("/contacts", params={"cursor": cursor, "sort": "last_name"})
    assert_error(r, 400, "bad_request",
                 message="cursor and sort cannot be combined; use offset pagination when sorting")


def test_fields_selects_keys_and_always_includes_id(people):
    r = people.viewer.get("/contacts", params={"fields": "first_name,email"})
    for item in r.json()["data"]:
        assert set(item) == {"id", "first_name", "email"}
    r = people.viewer.get("/contacts", params={"fields": "phones"})
    assert all(set(item) == {"id", "phones"} for item in r.json()["data"])


def test_unknown_field_in_fields_is_400(people):
    assert_error(people.viewer.get("/contacts", params={"fields": "first_name,password"}), 400,
                 "bad_request", ["fields"])


def test_sort_with_offset(people):
    r = people.viewer.get("/contacts", params={"sort": "last_name,-first_name", "limit": 3})
    names = [(c["last_name"].lower(), c["first_name"]) for c in r.json()["data"]]
    assert names == [("chen", "Sarah"), ("chen", "Ada"), ("gates", "Bill")]
    assert r.json()["pagination"] == {"total": 6, "limit": 3, "has_more": True, "next_cursor": None}
    r = people.viewer.get("/contacts", params={"sort": "last_name,-first_name", "limit": 3, "offset": 3})
    assert [c["last_name"] for c in r.json()["data"]] == ["Hopper", "Jobs", "Turing"]
    assert r.json()["pagination"]["has_more"] is False


def test_sort_descending_by_id(people):
    r = people.viewer.get("/contacts", params={"sort": "-id"})
    got = ids(r)
    assert got == sorted(got, reverse=True)


@pytest.mark.parametrize("params,field", [
    ({"sort": "password"}, "sort"), ({"offset": "-1"}, "offset"), ({"offset": "x"}, "offset")])
def test_bad_sort_or_offset_is_400(people, params, field):
    assert_error(people.viewer.get("/contacts", params=params), 400, "bad_request", [field])


def test_equality_filter_is_case_insensitive(people):
    assert sorted(ids(people.viewer.get("/contacts", params={"last_name": "Chen"}))) == \
        sorted(by_name(people, "Sarah", "Ada"))
    assert ids(people.viewer.get("/contacts", params={"first_name": "sarah", "last_name": "chen"})) == \
        by_name(people, "Sarah")
    r = people.viewer.get("/contacts", params={"last_name": "Chen"})
    assert r.json()["pagination"]["total"] == 2


def test_filter_values_with_spaces(people):
    assert ids(people.viewer.get("/contacts", params={"city": "San Francisco"})) == by_name(people, "Ada")


def test_ne_filter_includes_missing_values(people):
    got = ids(people.viewer.get("/contacts", params={"state[$ne]": "NY"}))
    assert sorted(got) == sorted(by_name(people, "Bill", "Steve", "Ada", "Alan"))


def test_in_and_nin_filters_take_repeated_values(people):
    got = ids(people.viewer.get("/contacts", params=[("last_name[$in]", "gates"), ("last_name[$in]", "jobs")]))
    assert sorted(got) == sorted(by_name(people, "Bill", "Steve"))
    got = ids(people.viewer.get("/contacts", params=[("state[$nin]", "NY"), ("state[$nin]", "CA")]))
    assert sorted(got) == sorted(by_name(people, "Bill", "Alan"))


def test_comparison_filters_on_strings_and_ids(people):
    first = people.contacts[0]["id"]
    assert ids(people.viewer.get("/contacts", params={"id[$lte]": first})) == [first]
    assert first not in ids(people.viewer.get("/contacts", params={"id[$gt]": first}))
    assert ids(people.viewer.get("/contacts", params={"id[$lt]": first})) == []
    got = ids(people.viewer.get("/contacts", params={"last_name[$gte]": "T"}))
    assert got == by_name(people, "Alan")


def test_date_filters_take_iso_8601(people):
    everyone = sorted(ids(people.viewer.get("/contacts")))
    for value in ["2020-01-01", "2020-01-01T00:00:00Z", "2019-12-31T17:00:00-07:00"]:
        assert sorted(ids(people.viewer.get("/contacts", params={"created_at[$gte]": value}))) == everyone
        assert ids(people.viewer.get("/contacts", params={"created_at[$lt]": value})) == []
    assert sorted(ids(people.viewer.get("/contacts", params={
        "created_at[$gte]": "2017-01-01", "updated_at[$lte]": "2999-01-31T00:00:00Z"}))) == everyone


def test_filters_on_company_type_and_booleans(people):
    got = ids(people.viewer.get("/contacts", params={"company_id": people.lenders["id"]}))
    assert sorted(got) == sorted(by_name(people, "Sarah", "Ada", "Grace", "Alan"))
    got = ids(people.viewer.get("/contacts", params={"contact_type": "sponsor"}))
    assert sorted(got) == sorted(by_name(people, "Bill", "Steve"))
    assert ids(people.viewer.get("/contacts", params={"is_primary": "true"})) == []
    assert len(ids(people.viewer.get("/contacts", params={"owner_account_id": people.account["id"]}))) == 6


@pytest.mark.parametrize("param", [
    "foo=1", "last_name[$like]=x", "last_name[$in=x", "created_at[$gt]=yesterday",
    "created_at=2020-13-01", "company_id=abc", "is_primary=yes", "id[$gt]=1.5"])
def test_unknown_fields_operators_and_bad_values_are_400(people, param):
    r = people.viewer.session.get(people.server.api + "/contacts?" + param.replace("$", "%24"))
    assert_error(r, 400, "bad_request", [param.split("=")[0]])


def test_cursor_walk_sees_every_contact_once_while_others_are_inserted(server):
    tenant = server.tenant()
    company = tenant.admin.company()
    original = set()
    for i in range(1000):
        original.add(tenant.admin.contact(company["id"], last_name=f"Walk{i}", is_connected=True)["id"])
    seen = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 37}
        if cursor:
            params["cursor"] = cursor
        body = tenant.viewer.get("/contacts", params=params).json()
        page = [c["id"] for c in body["data"]]
        assert len(page) <= 37
        seen.extend(page)
        pages += 1
        for i in range(5):  # concurrent inserts must not disturb the walk
            tenant.admin.contact(company["id"], last_name=f"New{pages}-{i}", is_connected=True)
        if not body["pagination"]["has_more"]:
            assert body["pagination"]["next_cursor"] is None
            break
        cursor = body["pagination"]["next_cursor"]
        assert pages < 1000
    assert len(seen) == len(set(seen)), "a contact was seen twice"
    assert original <= set(seen), "a contact was skipped"
    assert seen == sorted(seen)


def test_raw_brackets_in_the_query_string_are_accepted(people):
    """curl -g and LionDesk clients send `state[$in]=NY` without percent-encoding."""
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", people.server.port, timeout=10)
    headers = {"Authorization": f"Bearer {people.viewer.token}"}
    conn.request("GET", "/api/external/v2/contacts?state[$in]=WA&state[$in]=CA&last_name[$ne]=Jobs",
                 headers=headers)
    body = json.loads(conn.getresponse().read())
    assert sorted(c["id"] for c in body["data"]) == sorted(by_name(people, "Bill", "Ada"))
    conn.request("GET", "/api/external/v2/contacts?a=%zz", headers=headers)
    response = conn.getresponse()
    assert response.status == 400
    response.read()
    conn.close()


def test_sorted_pages_of_connected_and_unconnected_contacts_interleave(tenant):
    """is_connected=all with a sort merges both halves: pages follow one order across them."""
    company = tenant.admin.company()
    names = ["Delta", "alpha", "Echo", "charlie", "Bravo", "foxtrot"]
    for i, name in enumerate(names):
        tenant.admin.contact(company["id"], first_name=name, last_name="Merge",
                             is_connected=i % 2 == 0)
    for sort, expected in (("first_name", sorted(names, key=str.lower)),
                           ("-first_name", sorted(names, key=str.lower, reverse=True))):
        seen = []
        for offset in (0, 2, 4):
            r = tenant.viewer.get("/contacts", params={"is_connected": "all", "sort": sort,
                                                       "limit": 2, "offset": offset,
                                                       "last_name": "Merge"})
            assert r.status_code == 200, r.text
            assert r.json()["pagination"]["total"] == 6
            seen += [c["first_name"] for c in r.json()["data"]]
        assert seen == expected, (sort, seen)


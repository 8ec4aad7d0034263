"""Work per request is bounded: huge lists in bodies, many errors, many sort keys and filters."""
import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import assert_error

SMALL = 20_000  # bytes: an error response never grows with the size of the request


@pytest.fixture(scope="module")
def acct(server):
    tenant = server.tenant()
    tenant.company_id = tenant.admin.company("Limits Co")["id"]
    tenant.contact_id = tenant.admin.contact(tenant.company_id, is_connected=True)["id"]
    return tenant


def post_raw(client, path, body, method="POST"):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body, separators=(",", ":"))
    return client.session.request(method, client.server.api + path, data=data,
                                  headers={"Content-Type": "application/json"})


def create_body(acct, **fields):
    return {"contact_type": "lender_contact", "company_id": acct.company_id, **fields}


# 100,000 phone objects {"raw":"x"} would be over the 1 MiB body limit (413), so the objects
# variant uses as many as fit under it, and an empty-object variant keeps the 100,000.
@pytest.mark.parametrize("phones", [[1] * 100_000, [{}] * 100_000, [{"raw": "x"}] * 80_000],
                         ids=["100k-ints", "100k-empty-objects", "80k-raw-objects"])
def test_a_huge_phones_list_is_one_small_422_naming_phones(acct, phones):
    body = create_body(acct, phones=phones)
    assert len(json.dumps(body, separators=(",", ":"))) < 1024 * 1024
    r = post_raw(acct.admin, "/contacts", body)
    assert_error(r, 422, "validation_error", ["phones"])
    assert len(r.content) < SMALL, len(r.content)


def many_unknown_keys(acct, n=20_000):
    return create_body(acct, **{f"k{i}": 1 for i in range(n)})


def test_twenty_thousand_unknown_keys_give_at_most_101_details(acct):
    r = post_raw(acct.admin, "/contacts", many_unknown_keys(acct))
    error = assert_error(r, 422, "validation_error")
    assert 1 < len(error["details"]) <= 101, len(error["details"])
    assert "more" in error["details"][-1]["message"].lower(), error["details"][-1]
    assert len(r.content) < SMALL, len(r.content)


def test_viewer_is_refused_before_the_body_is_parsed(acct):
    r = post_raw(acct.viewer, "/contacts", many_unknown_keys(acct))
    assert_error(r, 403, "forbidden")
    assert len(r.content) < SMALL
    assert_error(post_raw(acct.viewer, "/contacts", "{not json"), 403, "forbidden")
    assert_error(post_raw(acct.viewer, "/contacts", create_body(acct, phones=[1] * 100_000)), 403,
                 "forbidden")
    assert_error(post_raw(acct.viewer, "/companies", "{not json"), 403, "forbidden")


def test_viewer_patch_with_invalid_json_is_403_and_editor_patch_works(acct):
    path = f"/contacts/{acct.contact_id}"
    assert_error(post_raw(acct.viewer, path, "{not json", method="PATCH"), 403, "forbidden")
    assert_error(post_raw(acct.editor, path, "{not json", method="PATCH"), 400, "bad_request")
    r = post_raw(acct.editor, path, {"title": "Limits VP"}, method="PATCH")
    assert r.status_code == 200, r.text
    assert r.json()["data"]["title"] == "Limits VP"


def test_a_thousand_contact_types_is_422_naming_contact_types(acct):
    body = {"company_id": acct.company_id, "contact_types": ["sponsor", "lender_contact"] * 500}
    r = post_raw(acct.admin, "/contacts", body)
    assert_error(r, 422, "validation_error", ["contact_types"])
    assert len(r.content) < SMALL


def list_query(acct, query):
    """GET /contacts with a query string sent as is."""
    return acct.viewer.session.get(acct.server.api + "/contacts?" + query)


SIX_KEYS = ["first_name", "last_name", "email", "city", "state", "zip"]


@pytest.mark.parametrize("sort", [
    ",".join(SIX_KEYS),
    ",".join(["id"] * 2001),
    "last_name,-last_name",
    "id,id",
], ids=["six-keys", "2001-keys", "duplicate-opposite", "duplicate-same"])
def test_too_many_or_repeated_sort_keys_are_400_naming_sort(acct, sort):
    r = list_query(acct, "sort=" + sort)
    assert_error(r, 400, "bad_request", ["sort"])
    assert len(r.content) < SMALL


def test_five_distinct_sort_keys_are_fine(acct):
    r = list_query(acct, "sort=" + ",".join(["-last_name", "first_name", "email", "city", "state"]))
    assert r.status_code == 200, r.text
    assert acct.contact_id in [c["id"] for c in r.json()["data"]]


def test_five_hundred_filters_are_400_naming_id(acct):
    r = list_query(acct, "&".join(["id=1"] * 500))
    assert_error(r, 400, "bad_request", ["id"])
    assert len(r.content) < SMALL


def test_twenty_filters_are_fine_and_the_21st_is_named(acct):
    twenty = "&".join([f"id={acct.contact_id}"] * 20)
    r = list_query(acct, twenty)
    assert r.status_code == 200, r.text
    assert [c["id"] for c in r.json()["data"]] == [acct.contact_id]
    r = list_query(acct, twenty + "&last_name%5B%24ne%5D=zz")
    assert_error(r, 400, "bad_request", ["last_name[$ne]"])


def in_values(n):
    return "&".join(f"state%5B%24in%5D=S{i}" for i in range(n))


def test_in_with_101_values_is_400_and_100_are_fine(acct):
    assert_error(list_query(acct, in_values(101)), 400, "bad_request", ["state[$in]"])
    r = list_query(acct, in_values(100))
    assert r.status_code == 200, r.text


SORTABLE = ["id", "first_name", "last_name", "email", "city", "state", "zip", "title",
            "created_at", "updated_at", "company_id", "contact_type"]


def shape(kind, n):
    """A list query string of one of the shapes the limits cover, with `n` repetitions."""
    if kind == "sort":
        return "sort=" + ",".join(("-" if i % 2 else "") + SORTABLE[i % len(SORTABLE)]
                                  for i in range(n))
    if kind == "sort-id":
        return "sort=" + ",".join(["id"] * n)
    if kind == "eq":
        return "&".join(["id=1"] * n)
    if kind == "mixed":
        ops = ["id%5B%24gt%5D=0", "last_name%5B%24ne%5D=x", "state=NY", "zip%5B%24lt%5D=9",
               "created_at%5B%24gte%5D=2020-01-01"]
        return "&".join(ops[i % len(ops)] for i in range(n))
    if kind == "in":
        return "&".join(f"last_name%5B%24in%5D=n{i}" for i in range(n))
    if kind == "nin":
        return "&".join(f"city%5B%24nin%5D=c{i}" for i in range(n))
    if kind == "fields":
        return "fields=" + ",".join(SORTABLE[i % len(SORTABLE)] for i in range(n))
    raise AssertionError(kind)


KINDS = ["sort", "sort-id", "eq", "mixed", "in", "nin", "fields"]


def assert_clean(response):
    assert response.status_code < 500, response.text[:500]
    body = response.json()
    assert ("data" in body) == (response.status_code == 200), body if len(response.content) < 2000 else ""
    assert len(response.content) < SMALL or response.status_code == 200


TARGET_ROOM = 9000  # query bytes that keep the request target under the 414 limit
SWEEP = [(kind, n) for kind in KINDS for n in (1, 5, 6, 20, 21, 100, 101, 499, 999, 1001, 2001)
         if len(shape(kind, n)) <= TARGET_ROOM]


@pytest.mark.parametrize("kind,n", SWEEP)
def test_no_list_shape_answers_5xx(acct, kind, n):
    assert_clean(list_query(acct, shape(kind, n)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.tuples(st.sampled_from(KINDS), st.integers(min_value=0, max_value=700)),
                      min_size=1, max_size=3))
def test_combined_list_shapes_never_answer_5xx(acct, parts):
    query = "&".join(shape(kind, n) for kind, n in parts if n)
    if len(query) > TARGET_ROOM:
        return
    assert_clean(list_query(acct, query))

"""Property tests: arbitrary bodies and query strings never crash the server or answer 5xx."""
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings, strategies as st

KEYS = ["contact_type", "contact_types", "company_id", "first_name", "email", "linkedin_url",
        "phones", "is_primary", "is_connected", "id", "created_at", "zip", "raw", "type"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(KEYS), children, max_size=4),
    max_leaves=12)
bodies = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), json_values, max_size=8)

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(body=bodies)
def test_random_create_bodies_get_a_clean_answer(tenant, body):
    r = tenant.admin.post("/contacts", body)
    assert r.status_code in (201, 400, 422), r.text
    assert "error" in r.json() or r.status_code == 201


@FUZZ
@given(body=bodies)
def test_random_patch_bodies_get_a_clean_answer(tenant, body):
    r = tenant.admin.patch("/contacts/1", body)
    assert r.status_code in (200, 400, 404, 422), r.text


@FUZZ
@given(params=st.lists(st.tuples(st.sampled_from(["limit", "cursor", "sort", "fields", "offset",
                                                  "last_name[$in]", "created_at[$gt]", "id[$lt]",
                                                  "is_connected", "state[$x]", "[", "a]"])
                                 | st.text(max_size=12), st.text(max_size=20)), max_size=5))
def test_random_query_strings_get_a_clean_answer(tenant, params):
    query = "&".join(quote(k, safe="[]$") + "=" + quote(v) for k, v in params)
    r = tenant.admin.session.get(tenant.server.api + "/contacts?" + query)
    assert r.status_code in (200, 400), r.text


@FUZZ
@given(raw=st.binary(max_size=200))
def test_random_bytes_as_a_body_get_400_or_422(tenant, raw):
    r = tenant.admin.session.post(tenant.server.api + "/contacts", data=raw,
                                  headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422), r.text
    assert r.json()["error"]["code"] in ("bad_request", "validation_error")

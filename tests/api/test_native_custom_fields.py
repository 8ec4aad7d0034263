"""Custom fields on the native API: definitions, typed values on contacts, filters, and what
deleting a definition does to its values."""
import pytest
import requests

from conftest import assert_error


def define(client, key, data_type, **extra):
    r = client.post("/custom-fields", {"key": key, "name": key.title(), "data_type": data_type,
                                       **extra})
    assert r.status_code == 201, r.text
    return r.json()["data"]


def ids(response):
    assert response.status_code == 200, response.text
    return sorted(c["id"] for c in response.json()["data"])


@pytest.fixture
def fields(tenant):
    a = tenant.admin
    made = {
        "industry": define(a, "industry", "text"),
        "bio": define(a, "bio", "long_text"),
        "score": define(a, "score", "number", rank=-1),
        "vip": define(a, "vip", "boolean"),
        "renewal": define(a, "renewal", "date"),
        "last_call": define(a, "last_call", "datetime"),
        "tier": define(a, "tier", "select", options=["Gold", "Silver", "Bronze"]),
        "markets": define(a, "markets", "multi_select", options=["NY", "LA", "SF"]),
        "deck": define(a, "deck", "url"),
        "assistant": define(a, "assistant", "email"),
        "hotline": define(a, "hotline", "phone"),
    }
    return tenant, made


def test_definitions_are_listed_by_rank_and_read_by_everyone(fields):
    tenant, made = fields
    r = tenant.viewer.get("/custom-fields")
    assert r.status_code == 200, r.text
    listed = r.json()["data"]
    assert [f["key"] for f in listed][0] == "score"  # rank -1 first, then by id
    assert [f["key"] for f in listed][1:] == [k for k in made if k != "score"]
    tier = next(f for f in listed if f["key"] == "tier")
    assert set(tier) == {"id", "key", "name", "data_type", "options", "rank", "created_at",
                         "updated_at"}
    assert tier["options"] == ["Gold", "Silver", "Bronze"] and tier["data_type"] == "select"
    r = tenant.viewer.get(f"/custom-fields/{tier['id']}")
    assert r.status_code == 200 and r.json()["data"] == tier
    assert_error(tenant.viewer.get("/custom-fields/999999"), 404, "not_found")


def test_only_admins_change_definitions(fields):
    tenant, made = fields
    for client in (tenant.editor, tenant.viewer):
        assert client.post("/custom-fields", {"key": "x", "name": "X",
                                              "data_type": "text"}).status_code == 403
        assert client.patch(f"/custom-fields/{made['tier']['id']}",
                            {"name": "Level"}).status_code == 403
        r = client.session.delete(f"{tenant.server.api}/custom-fields/{made['tier']['id']}")
        assert r.status_code == 403
    assert tenant.viewer.get(f"/custom-fields/{made['tier']['id']}").json()["data"]["name"] == "Tier"


@pytest.mark.parametrize("body,field", [
    ({"name": "X", "data_type": "text"}, "key"),
    ({"key": "1abc", "name": "X", "data_type": "text"}, "key"),
    ({"key": "a b", "name": "X", "data_type": "text"}, "key"),
    ({"key": "a\"b", "name": "X", "data_type": "text"}, "key"),
    ({"key": "k" * 65, "name": "X", "data_type": "text"}, "key"),
    ({"key": "ok", "data_type": "text"}, "name"),
    ({"key": "ok", "name": " ", "data_type": "text"}, "name"),
    ({"key": "ok", "name": "X"}, "data_type"),
    ({"key": "ok", "name": "X", "data_type": "color"}, "data_type"),
    ({"key": "ok", "name": "X", "data_type": "select"}, "options"),
    ({"key": "ok", "name": "X", "data_type": "select", "options": []}, "options"),
    ({"key": "ok", "name": "X", "data_type": "select", "options": ["a", "A"]}, "options[1]"),
    ({"key": "ok", "name": "X", "data_type": "select", "options": ["a", ""]}, "options[1]"),
    ({"key": "ok", "name": "X", "data_type": "select", "options": [f"o{i}" for i in range(101)]},
     "options"),
    ({"key": "ok", "name": "X", "data_type": "text", "options": ["a"]}, "options"),
    ({"key": "ok", "name": "X", "data_type": "text", "rank": "1"}, "rank"),
    ({"key": "ok", "name": "X", "data_type": "text", "id": 5}, "id"),
    ({"key": "ok", "name": "X", "data_type": "text", "colour": 5}, "colour"),
])
def test_bad_definitions_are_422_naming_the_member(tenant, body, field):
    assert_error(tenant.admin.post("/custom-fields", body), 422, "validation_error", [field])


def test_keys_are_unique_per_account_and_fixed_once_made(fields, server):
    tenant, made = fields
    assert_error(tenant.admin.post("/custom-fields", {"key": "tier", "name": "T",
                                                      "data_type": "text"}),
                 409, "conflict", ["key"])
    # Another account may use the same key.
    other = server.tenant()
    define(other.admin, "tier", "number")
    tier = made["tier"]
    r = tenant.admin.patch(f"/custom-fields/{tier['id']}", {"key": "level",
                                                              "data_type": "text"})
    assert_error(r, 422, "validation_error", ["key", "data_type"])
    r = tenant.admin.patch(f"/custom-fields/{tier['id']}",
                           {"name": "Level", "options": ["Gold", "Platinum"], "rank": 7})
    assert r.status_code == 200, r.text
    assert r.json()["data"] | {"updated_at": None} == tier | {
        "name": "Level", "options": ["Gold", "Platinum"], "rank": 7, "updated_at": None}
    assert_error(tenant.admin.patch(f"/custom-fields/{made['score']['id']}", {"options": ["a"]}),
                 422, "validation_error", ["options"])
    assert_error(other.admin.patch(f"/custom-fields/{tier['id']}", {"name": "Mine"}), 404,
                 "not_found")


def test_values_of_every_type_are_stored_canonical(fields):
    tenant, _ = fields
    company = tenant.admin.company()
    c = tenant.admin.contact(company["id"], custom_fields={
        "industry": "  Real Estate ", "bio": "line one\nline two", "score": 42,
        "vip": True, "renewal": "05/01/2027", "last_call": "2026-03-01T09:30:00-05:00",
        "tier": "gold", "markets": ["sf", "NY", "SF"], "deck": "https://example.com/deck",
        "assistant": "amy@example.com", "hotline": "(212) 555-0184"})
    assert c["custom_fields"] == {
        "industry": "Real Estate", "bio": "line one\nline two", "score": 42, "vip": True,
        "renewal": "2027-05-01", "last_call": "2026-03-01T14:30:00Z", "tier": "Gold",
        "markets": ["SF", "NY"], "deck": "https://example.com/deck",
        "assistant": "amy@example.com", "hotline": "+12125550184"}
    assert tenant.viewer.get(f"/contacts/{c['id']}").json()["data"]["custom_fields"] == \
        c["custom_fields"]
    r = tenant.admin.patch(f"/contacts/{c['id']}", {"custom_fields": {"score": 2.5}})
    assert r.json()["data"]["custom_fields"]["score"] == 2.5
    # A contact without values has an empty object; fields= selects it.
    plain = tenant.admin.contact(company["id"])
    assert plain["custom_fields"] == {}
    r = tenant.viewer.get("/contacts", params={"fields": "custom_fields", "id": c["id"],
                                               "is_connected": "all"})
    assert r.json()["data"] == [{"id": c["id"], "custom_fields": r.json()["data"][0]
                                 ["custom_fields"]}]


@pytest.mark.parametrize("key,value", [
    ("industry", 5), ("industry", "x" * 256), ("industry", "a\nb"), ("bio", 1),
    ("bio", "x" * 65537), ("score", "42"), ("score", True), ("vip", "true"), ("vip", 1),
    ("renewal", "2027-13-01"), ("renewal", 20270101), ("last_call", "yesterday"),
    ("tier", "Platinum"), ("tier", ["Gold"]), ("markets", "NY"), ("markets", ["NY", "Tokyo"]),
    ("markets", ["NY", 1]), ("deck", "ftp://example.com"), ("assistant", "not-an-email"),
    ("hotline", "12"), ("industry", {"a": 1}), ("nope", "x"),
])
def test_bad_values_are_422_naming_the_key(fields, key, value):
    tenant, _ = fields
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        "custom_fields": {key: value}})
    assert_error(r, 422, "validation_error", [f"custom_fields.{key}"])


def test_custom_fields_must_be_an_object(fields):
    tenant, _ = fields
    company = tenant.admin.company()
    for bad in ([], "x", 1):
        r = tenant.admin.post("/contacts", {"contact_type": "sponsor",
                                            "company_id": company["id"], "custom_fields": bad})
        assert_error(r, 422, "validation_error", ["custom_fields"])


def test_patch_changes_only_the_keys_sent_and_null_removes(fields):
    tenant, _ = fields
    company = tenant.admin.company()
    c = tenant.admin.contact(company["id"], custom_fields={"industry": "Retail", "score": 1,
                                                           "vip": False})
    r = tenant.admin.patch(f"/contacts/{c['id']}",
                           {"custom_fields": {"score": 2, "vip": None, "tier": "Silver"}})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["custom_fields"] == {"industry": "Retail", "score": 2,
                                                 "tier": "Silver"}
    r = tenant.admin.patch(f"/contacts/{c['id']}", {"custom_fields": None})
    assert r.json()["data"]["custom_fields"] == {}
    # A bad value changes nothing at all.
    r = tenant.admin.patch(f"/contacts/{c['id']}",
                           {"first_name": "Zed", "custom_fields": {"score": "high"}})
    assert_error(r, 422, "validation_error", ["custom_fields.score"])
    assert tenant.viewer.get(f"/contacts/{c['id']}").json()["data"]["first_name"] != "Zed"


@pytest.fixture
def valued(fields):
    tenant, made = fields
    company = tenant.admin.company()
    make = lambda **values: tenant.admin.contact(company["id"], is_connected=True,
                                                 custom_fields=values)["id"]
    return tenant, made, {
        "a": make(industry="Retail", score=10, vip=True, renewal="2027-01-15", tier="Gold",
                  markets=["NY", "LA"], last_call="2026-01-01T00:00:00Z",
                  hotline="+12125550184", bio="long"),
        "b": make(industry="retail", score=2.5, vip=False, renewal="2026-06-30", tier="Silver",
                  markets=["LA"]),
        "c": make(industry="Banking", score=-3, markets=["SF", "NY", "LA"]),
        "d": make(),
    }


def test_filters_with_every_operator(valued):
    tenant, _, c = valued
    get = lambda **params: ids(tenant.viewer.get("/contacts", params=params))
    A, B, C, D = (c[k] for k in "abcd")
    assert get(**{"custom_fields.industry": "RETAIL"}) == [A, B]
    assert get(**{"custom_fields.industry[$ne]": "retail"}) == [C, D]
    assert get(**{"custom_fields.industry[$in]": ["banking", "retail"]}) == [A, B, C]
    assert get(**{"custom_fields.industry[$nin]": ["banking"]}) == [A, B, D]
    assert get(**{"custom_fields.score[$gt]": "2.5"}) == [A]
    assert get(**{"custom_fields.score[$gte]": "2.5"}) == [A, B]
    assert get(**{"custom_fields.score[$lt]": "0"}) == [C]
    assert get(**{"custom_fields.score[$lte]": "10"}) == [A, B, C]
    assert get(**{"custom_fields.score": "10"}) == [A]
    assert get(**{"custom_fields.vip": "false"}) == [B]
    assert get(**{"custom_fields.vip[$ne]": "true"}) == [B, C, D]
    assert get(**{"custom_fields.renewal[$gte]": "2027-01-01"}) == [A]
    assert get(**{"custom_fields.renewal[$lt]": "01/01/2027"}) == [B]
    assert get(**{"custom_fields.last_call[$lt]": "2026-01-01T01:00:00+00:00"}) == [A]
    assert get(**{"custom_fields.tier": "gold"}) == [A]
    assert get(**{"custom_fields.markets": "ny"}) == [A, C]
    assert get(**{"custom_fields.markets[$all]": ["NY", "LA"]}) == [A, C]
    assert get(**{"custom_fields.markets[$nin]": ["SF"]}) == [A, B, D]
    assert get(**{"custom_fields.hotline": "(212) 555-0184"}) == [A]
    assert get(**{"custom_fields.tier[$gte]": "SILVER"}) == [B]  # folded text order
    assert get(**{"custom_fields.industry[$lt]": "c"}) == [C]
    # Combined with other filters, sorts and search, and counted exactly.
    r = tenant.viewer.get("/contacts", params={"custom_fields.markets": "LA",
                                               "custom_fields.score[$gt]": "0",
                                               "sort": "-id", "limit": 1})
    assert [x["id"] for x in r.json()["data"]] == [B]
    assert r.json()["pagination"]["total"] == 2


@pytest.mark.parametrize("params,field", [
    ({"custom_fields.nope": "x"}, "custom_fields.nope"),
    ({"custom_fields.bio": "long"}, "custom_fields.bio"),
    ({"custom_fields.score": "ten"}, "custom_fields.score"),
    ({"custom_fields.vip": "yes"}, "custom_fields.vip"),
    ({"custom_fields.vip[$gt]": "true"}, "custom_fields.vip"),
    ({"custom_fields.tier[$all]": "Gold"}, "custom_fields.tier"),
    ({"custom_fields.markets[$gt]": "NY"}, "custom_fields.markets"),
    ({"custom_fields.tier": "Platinum"}, "custom_fields.tier"),
    ({"custom_fields.renewal": "someday"}, "custom_fields.renewal"),
    ({"custom_fields.hotline": "12"}, "custom_fields.hotline"),
    ({"custom_fields.score[$regex]": "1"}, "custom_fields.score[$regex]"),
])
def test_bad_custom_filters_are_400_naming_them(valued, params, field):
    tenant, _, _ = valued
    assert_error(tenant.viewer.get("/contacts", params=params), 400, "bad_request", [field])


def test_each_account_filters_by_its_own_definition_of_a_key(valued, server):
    tenant, _, _ = valued
    other = server.tenant()
    define(other.admin, "industry", "text")
    company = other.admin.company()
    mine = other.admin.contact(company["id"], is_connected=True,
                               custom_fields={"industry": "Retail"})
    r = other.viewer.get("/contacts", params={"custom_fields.industry": "retail"})
    assert ids(r) == [mine["id"]]


def test_deleting_a_definition_removes_its_values_everywhere(valued):
    tenant, made, c = valued
    admin = tenant.admin
    # A deleted contact holding a value: it is gone from the snapshot too.
    assert admin.session.delete(f"{tenant.server.api}/contacts/{c['b']}").status_code == 204
    before = tenant.viewer.get(f"/contacts/{c['a']}").json()["data"]
    r = admin.session.delete(f"{tenant.server.api}/custom-fields/{made['industry']['id']}")
    assert r.status_code == 204, r.text
    after = tenant.viewer.get(f"/contacts/{c['a']}").json()["data"]
    assert after["custom_fields"] == {k: v for k, v in before["custom_fields"].items()
                                      if k != "industry"}
    assert after["updated_at"] >= before["updated_at"]
    deleted = admin.get("/contacts", params={"deleted": "true"}).json()["data"]
    assert [d["custom_fields"] for d in deleted if d["id"] == c["b"]] == [
        {"score": 2.5, "vip": False, "renewal": "2026-06-30", "tier": "Silver",
         "markets": ["LA"]}]
    # The same key and type again: no old value comes back, or matches.
    define(admin, "industry", "text")
    restored = admin.post(f"/contacts/{c['b']}/restore")
    assert restored.status_code == 200, restored.text
    assert "industry" not in restored.json()["data"]["custom_fields"]
    assert restored.json()["data"]["custom_fields"]["tier"] == "Silver"
    assert ids(tenant.viewer.get("/contacts", params={"custom_fields.industry[$in]": [
        "retail", "banking"]})) == []
    assert admin.session.delete(
        f"{tenant.server.api}/custom-fields/{made['industry']['id']}").status_code == 404


def test_a_multi_select_with_no_option_is_no_value(fields):
    tenant, made = fields
    company = tenant.admin.company()
    c = tenant.admin.contact(company["id"], custom_fields={"markets": [], "score": 1})
    assert c["custom_fields"] == {"score": 1}
    r = tenant.admin.patch(f"/contacts/{c['id']}", {"custom_fields": {"markets": ["NY"]}})
    assert r.json()["data"]["custom_fields"] == {"score": 1, "markets": ["NY"]}
    r = tenant.admin.patch(f"/contacts/{c['id']}", {"custom_fields": {"markets": []}})
    assert r.json()["data"]["custom_fields"] == {"score": 1}
    # Deleting the field then leaves nothing behind that later writes trip over.
    tenant.admin.patch(f"/contacts/{c['id']}", {"custom_fields": {"markets": ["LA"]}})
    r = tenant.admin.session.delete(f"{tenant.server.api}/custom-fields/{made['markets']['id']}")
    assert r.status_code == 204
    r = tenant.admin.patch(f"/contacts/{c['id']}", {"custom_fields": {"score": 2}})
    assert r.status_code == 200 and r.json()["data"]["custom_fields"] == {"score": 2}
    # null removes a key whether or not it is defined.
    r = tenant.admin.patch(f"/contacts/{c['id']}", {"custom_fields": {"score": None,
                                                                     "markets": None}})
    assert r.status_code == 200 and r.json()["data"]["custom_fields"] == {}


def test_deleted_and_restored_contacts_leave_and_rejoin_filters(valued):
    tenant, _, c = valued
    admin = tenant.admin
    assert admin.session.delete(f"{tenant.server.api}/contacts/{c['a']}").status_code == 204
    get = lambda **params: ids(tenant.viewer.get("/contacts", params=params))
    assert get(**{"custom_fields.tier": "Gold"}) == []
    assert admin.post(f"/contacts/{c['a']}/restore").status_code == 200
    assert get(**{"custom_fields.tier": "Gold"}) == [c["a"]]
    r = admin.session.delete(f"{tenant.server.api}/contacts/{c['a']}",
                             params={"permanent": "true"})
    assert r.status_code == 204
    assert get(**{"custom_fields.tier": "Gold"}) == []


def test_upsert_sets_and_merges_custom_values(fields):
    tenant, _ = fields
    company = tenant.admin.company()
    body = {"contact_type": "sponsor", "company_id": company["id"], "email": "cf@example.com",
            "custom_fields": {"score": 1, "industry": "Retail"}}
    r = tenant.admin.post("/contacts/upsert", body)
    assert r.status_code == 201, r.text
    r = tenant.admin.post("/contacts/upsert", {**body, "custom_fields": {"score": 5}})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["custom_fields"] == {"score": 5, "industry": "Retail"}


def test_a_definition_count_is_bounded(tenant):
    for i in range(500):
        r = tenant.admin.post("/custom-fields", {"key": f"f{i}", "name": "F", "data_type": "text"})
        assert r.status_code == 201, r.text
    assert_error(tenant.admin.post("/custom-fields", {"key": "one_more", "name": "F",
                                                      "data_type": "text"}),
                 422, "validation_error", ["key"])
    assert len(tenant.viewer.get("/custom-fields").json()["data"]) == 500

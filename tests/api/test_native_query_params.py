"""Query parameters on the native API: a route that takes none refuses any, naming each, as the
routes with parameters refuse the ones they do not know; nothing is written by a refused
request."""
import pytest

from conftest import assert_error


@pytest.fixture(scope="module")
def acct(server):
    tenant = server.tenant()
    tenant.company = tenant.admin.company("Params Co")
    tenant.contact = tenant.admin.contact(tenant.company["id"], first_name="Quinn")
    r = tenant.admin.post("/webhooks", {"url": "http://93.184.216.34/hook", "events": ["*"]})
    assert r.status_code == 201, r.text
    tenant.webhook = r.json()["data"]
    return tenant


READS = ["/contacts/{contact}", "/build/contacts/{contact}", "/contacts/hierarchy",
         "/contacts/{contact}/shares", "/companies/{company}", "/custom-fields", "/sources",
         "/hotness-levels", "/settings", "/me", "/webhooks", "/webhooks/{webhook}",
         "/webhooks/{webhook}/deliveries"]


def fill(path, acct):
    return path.format(contact=acct.contact["id"], company=acct.company["id"],
                       webhook=acct.webhook["id"])


@pytest.mark.parametrize("path", READS)
def test_a_read_without_parameters_names_the_one_sent(acct, path):
    error = assert_error(acct.admin.get(fill(path, acct), params={"fields": "id"}), 400,
                         "bad_request", ["fields"])
    assert error["message"] == \
        "unknown query parameter 'fields': this endpoint takes no query parameters"
    assert acct.admin.get(fill(path, acct)).status_code == 200


def test_every_parameter_is_named_once(acct):
    r = acct.admin.get(f"/contacts/{acct.contact['id']}?a=1&b=2&a=3&c%5Bx%5D=4")
    error = assert_error(r, 400, "bad_request")
    assert [d["field"] for d in error["details"]] == ["a", "b", "c[x]"]
    assert error["message"].startswith("unknown query parameter 'a', and more:")


def test_a_refused_write_changes_nothing(acct):
    path = f"/contacts/{acct.contact['id']}"
    r = acct.admin.patch(path + "?notify=false", {"first_name": "Changed"})
    assert_error(r, 400, "bad_request", ["notify"])
    r = acct.admin.post("/contacts?dry_run=true", {"contact_type": "lender_contact",
                                                   "company_id": acct.company["id"],
                                                   "first_name": "Never"})
    assert_error(r, 400, "bad_request", ["dry_run"])
    r = acct.admin.post(f"/webhooks/{acct.webhook['id']}/rotate-secret?force=1")
    assert_error(r, 400, "bad_request", ["force"])
    assert acct.admin.get(path).json()["data"]["first_name"] == "Quinn"
    names = [c["first_name"] for c in
             acct.admin.get("/contacts", params={"is_connected": "all"}).json()["data"]]
    assert "Never" not in names
    assert acct.admin.get(f"/webhooks/{acct.webhook['id']}").json()["data"]["version"] == \
        acct.webhook["version"]


def test_a_query_that_does_not_decode_is_400(acct):
    assert_error(acct.admin.get("/settings?a=%zz"), 400, "bad_request")


@pytest.mark.parametrize("path,params", [
    ("/contacts", {"limit": "1"}),
    ("/contacts/export", {"format": "ndjson"}),
    ("/contacts/{contact}/reports", {"depth": "all"}),
    ("/tags", {"limit": "1"}),
    ("/companies", {"limit": "1"}),
    ("/events", {"limit": "1"}),
    ("/users", {"limit": "1"}),
])
def test_routes_with_parameters_take_theirs_and_name_the_others(acct, path, params):
    assert acct.admin.get(fill(path, acct), params=params).status_code == 200
    assert_error(acct.admin.get(fill(path, acct), params={**params, "bogus": "1"}), 400,
                 "bad_request", ["bogus"])


def test_deletes_take_only_their_flag(acct):
    contact = acct.admin.contact(acct.company["id"], first_name="Gone")
    path = f"/contacts/{contact['id']}"
    assert_error(acct.admin.session.delete(acct.server.api + path + "?purge=true"), 400,
                 "bad_request", ["purge"])
    assert acct.admin.get(path).status_code == 200
    assert acct.admin.session.delete(acct.server.api + path + "?permanent=false").status_code \
        == 204

"""Authentication, roles and tenant isolation."""
import pytest
import requests

from conftest import assert_error


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic abc", "Bearer nope",
                                    "Bearer cdt_" + "A" * 43])
def test_missing_or_invalid_token_is_401(server, header):
    headers = {} if header is None else {"Authorization": header}
    for method, path in [("GET", "/contacts"), ("GET", "/contacts/1"), ("POST", "/contacts"),
                         ("PATCH", "/contacts/1"), ("GET", "/companies"), ("POST", "/companies")]:
        r = requests.request(method, server.api + path, headers=headers, json={})
        assert_error(r, 401, "unauthorized", message="Authentication required")


def test_bearer_scheme_is_case_insensitive(tenant):
    r = requests.get(tenant.server.api + "/contacts",
                     headers={"Authorization": "bearer " + tenant.viewer.token})
    assert r.status_code == 200


def test_viewer_can_read_but_not_write(tenant):
    company = tenant.admin.company()
    contact = tenant.admin.contact(company["id"], is_connected=True)
    assert tenant.viewer.get(f"/contacts/{contact['id']}").status_code == 200
    assert tenant.viewer.get("/contacts").status_code == 200
    r = tenant.viewer.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"]})
    assert_error(r, 403, "forbidden", message="User not authorized to create contact")
    r = tenant.viewer.patch(f"/contacts/{contact['id']}", {"title": "x"})
    assert_error(r, 403, "forbidden", message="User not authorized to update contact")
    assert tenant.admin.get(f"/contacts/{contact['id']}").json()["data"]["title"] is None


def test_viewer_gets_403_even_with_a_bad_body(tenant):
    r = tenant.viewer.post("/contacts", {"email": "bad"})
    assert_error(r, 403, "forbidden")


def test_editor_and_admin_can_create_and_update(tenant):
    company = tenant.editor.company()
    for client in (tenant.editor, tenant.admin):
        contact = client.contact(company["id"])
        r = client.patch(f"/contacts/{contact['id']}", {"title": "Partner"})
        assert r.status_code == 200 and r.json()["data"]["title"] == "Partner"


def test_another_accounts_contacts_are_invisible(server):
    a, b = server.tenant(), server.tenant()
    company = a.admin.company("A Co")
    contact = a.admin.contact(company["id"], last_name="Secret", is_connected=True)
    assert_error(b.admin.get(f"/contacts/{contact['id']}"), 404, "not_found", message="Contact not found")
    r = b.admin.patch(f"/contacts/{contact['id']}", {"title": "Hacked"})
    assert_error(r, 404, "not_found", message="Contact not found")
    assert a.admin.get(f"/contacts/{contact['id']}").json()["data"]["title"] is None
    for params in [{}, {"is_connected": "all"}, {"last_name": "Secret"}, {"id": contact["id"]}]:
        body = b.admin.get("/contacts", params=params).json()
        assert body["data"] == [] and body["pagination"]["total"] == 0
    assert "Secret" not in b.admin.get("/contacts").text


def test_another_accounts_companies_are_invisible_and_unusable(server):
    a, b = server.tenant(), server.tenant()
    company = a.admin.company("A Only")
    assert_error(b.admin.get(f"/companies/{company['id']}"), 404, "not_found")
    assert company["id"] not in [c["id"] for c in b.admin.get("/companies").json()["data"]]
    r = b.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"]})
    error = assert_error(r, 422, "validation_error", ["company_id"])
    assert "A Only" not in error["message"]


def test_owner_account_id_is_the_callers_account(server):
    a, b = server.tenant(), server.tenant()
    ca = a.admin.contact(a.admin.company()["id"])
    cb = b.admin.contact(b.admin.company()["id"])
    assert ca["owner_account_id"] == a.account["id"]
    assert cb["owner_account_id"] == b.account["id"]

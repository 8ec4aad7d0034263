"""Companies on the native API."""
import pytest

from conftest import assert_error

COMPANY_KEYS = {"id", "uid", "name", "website", "phone", "address", "tags", "status", "company_type", "primary_contact_id", "owner_account_id",
                "created_at", "updated_at", "version"}


def test_create_and_get_a_company(tenant):
    r = tenant.editor.post("/companies", {"name": "Eastdil Secured", "company_type": "lender"})
    assert r.status_code == 201, r.text
    data = r.json()["data"]
    assert set(data) == COMPANY_KEYS
    assert data["name"] == "Eastdil Secured" and data["company_type"] == "lender"
    assert data["primary_contact_id"] is None
    assert data["owner_account_id"] == tenant.account["id"]
    assert tenant.viewer.get(f"/companies/{data['id']}").json()["data"] == data


def test_company_type_is_optional(tenant):
    r = tenant.admin.post("/companies", {"name": "Plain Co"})
    assert r.status_code == 201
    assert r.json()["data"]["company_type"] is None


@pytest.mark.parametrize("body,field", [
    ({}, "name"), ({"name": ""}, "name"), ({"name": None}, "name"), ({"name": 5}, "name"),
    ({"name": "x" * 256}, "name"), ({"name": "X", "company_type": "bank"}, "company_type"),
    ({"name": "X", "color": "red"}, "color"), ({"name": "X", "id": 3}, "id")])
def test_bad_company_bodies_are_422_naming_the_field(tenant, body, field):
    assert_error(tenant.admin.post("/companies", body), 422, "validation_error", [field])


def test_companies_list_is_paginated_like_contacts(tenant):
    created = [tenant.admin.company(f"Co {i}")["id"] for i in range(5)]
    r = tenant.viewer.get("/companies", params={"limit": 2}).json()
    assert r["pagination"]["total"] == 5 and r["pagination"]["has_more"] is True
    seen = [c["id"] for c in r["data"]]
    cursor = r["pagination"]["next_cursor"]
    while cursor:
        r = tenant.viewer.get("/companies", params={"limit": 2, "cursor": cursor}).json()
        seen += [c["id"] for c in r["data"]]
        cursor = r["pagination"]["next_cursor"]
    assert seen == created
    assert_error(tenant.viewer.get("/companies", params={"limit": 0}), 400, "bad_request", ["limit"])
    assert_error(tenant.viewer.get("/companies", params={"cursor": "bad"}), 400, "bad_request", ["cursor"])


def test_missing_company_is_404(tenant):
    assert_error(tenant.admin.get("/companies/424242"), 404, "not_found", message="Company not found")
    assert_error(tenant.admin.get("/companies/x"), 400, "bad_request", ["company_id"])


def test_viewer_cannot_create_a_company(tenant):
    assert_error(tenant.viewer.post("/companies", {"name": "Nope"}), 403, "forbidden",
                 message="User not authorized to create company")

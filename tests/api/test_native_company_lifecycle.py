"""Companies grow: website, phone, address, tags, status, PATCH and DELETE on the native API."""
import pytest

from conftest import assert_error


def company_path(company):
    return f"/companies/{company['id']}"


def delete(client, company, **params):
    return client.session.delete(client.server.api + company_path(company), params=params)


def test_new_company_fields_are_validated_and_normalized(tenant):
    c = tenant.admin.company("Acme", website="https://acme.example", phone="(212) 555-0100",
                             address={"line1": "1 Main St", "city": "Austin", "country_code": "us"},
                             tags=["Key", "key", "partner"], status="Inactive")
    assert c["website"] == "https://acme.example" and c["phone"] == "+12125550100"
    assert c["address"]["line1"] == "1 Main St" and c["address"]["country_code"] == "US"
    assert "id" not in c["address"]
    assert c["tags"] == ["Key", "partner"] and c["status"] == "inactive"
    plain = tenant.admin.company("Plain")
    assert (plain["website"], plain["phone"], plain["address"], plain["tags"], plain["status"]) == (
        None, None, None, [], "active")


@pytest.mark.parametrize("body,field", [
    ({"website": "acme.example"}, "website"),
    ({"phone": "call us"}, "phone"),
    ({"address": {"country_code": "XX"}}, "address.country_code"),
    ({"address": {"id": 3}}, "address.id"),
    ({"address": "1 Main St"}, "address"),
    ({"tags": ["a,b"]}, "tags[0]"),
    ({"status": "gone"}, "status"),
    ({"name": "  "}, "name"),
])
def test_bad_company_fields_are_422(tenant, body, field):
    r = tenant.admin.post("/companies", {"name": "Acme", **body})
    assert_error(r, 422, "validation_error", [field])


def test_patch_changes_only_what_is_sent(tenant):
    c = tenant.admin.company("Acme", website="https://acme.example", tags=["x"])
    r = tenant.editor.patch(company_path(c), {"name": " Acme Corp ", "phone": "+44 20 7946 0958"})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["name"] == "Acme Corp" and data["phone"] == "+442079460958"
    assert data["website"] == "https://acme.example" and data["tags"] == ["x"]
    r = tenant.editor.patch(company_path(c), {"website": None, "address": {"city": "Paris"}})
    data = r.json()["data"]
    assert data["website"] is None and data["address"]["city"] == "Paris"
    assert_error(tenant.viewer.patch(company_path(c), {"name": "x"}), 403, "forbidden")
    assert_error(tenant.editor.patch(company_path(c), {"name": None}), 422, "validation_error",
                 ["name"])
    assert_error(tenant.editor.patch(company_path(c), {"primary_contact_id": 1}), 422,
                 "validation_error", ["primary_contact_id"])
    assert_error(tenant.editor.patch("/companies/999999999", {"name": "x"}), 404, "not_found")


def test_delete_is_refused_while_contacts_belong_unless_detached(tenant):
    c = tenant.admin.company("Acme")
    contact = tenant.admin.contact(c["id"], is_primary=True)
    r = delete(tenant.admin, c)
    error = assert_error(r, 409, "conflict")
    assert "1 contacts" in error["message"]
    assert tenant.admin.get(company_path(c)).status_code == 200
    assert_error(delete(tenant.editor, c, detach="true"), 403, "forbidden")
    assert_error(delete(tenant.admin, c, detach="maybe"), 400, "bad_request", ["detach"])
    r = delete(tenant.admin, c, detach="true")
    assert r.status_code == 204, r.text
    assert_error(tenant.admin.get(company_path(c)), 404, "not_found")
    left = tenant.admin.get(f"/contacts/{contact['id']}").json()["data"]
    assert left["company_id"] is None and left["is_primary"] is False
    assert_error(delete(tenant.admin, c), 404, "not_found")


def test_an_empty_company_deletes_and_another_accounts_is_404(tenant, server):
    c = tenant.admin.company("Empty")
    other = server.tenant()
    assert_error(delete(other.admin, c), 404, "not_found")
    assert delete(tenant.admin, c).status_code == 204


def test_a_deleted_contact_of_a_deleted_company_restores_without_it(tenant):
    c = tenant.admin.company("Acme")
    contact = tenant.admin.contact(c["id"], is_primary=True)
    path = tenant.server.api + f"/contacts/{contact['id']}"
    assert tenant.admin.session.delete(path).status_code == 204
    assert delete(tenant.admin, c).status_code == 204  # no contact belongs to it any more
    r = tenant.admin.post(f"/contacts/{contact['id']}/restore")
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["company_id"] is None and data["is_primary"] is False


def test_a_deleted_companys_id_is_never_given_again(tenant):
    first = tenant.admin.company("First")
    contact = tenant.admin.contact(first["id"], is_primary=True)
    assert tenant.admin.session.delete(tenant.server.api + f"/contacts/{contact['id']}").status_code == 204
    assert delete(tenant.admin, first).status_code == 204
    second = tenant.admin.company("Second")
    assert second["id"] > first["id"]
    # The contact deleted with the first company comes back without a company, not in the second.
    restored = tenant.admin.post(f"/contacts/{contact['id']}/restore").json()["data"]
    assert restored["company_id"] is None and restored["is_primary"] is False
    assert tenant.admin.get(f"/companies/{second['id']}").json()["data"]["primary_contact_id"] is None


def test_company_phones_read_in_the_accounts_default_country(tenant):
    r = tenant.admin.post("/companies", {"name": "London Co", "phone": "020 7946 0958"})
    assert_error(r, 422, "validation_error", ["phone"])  # not a US number
    assert tenant.admin.patch("/settings", {"default_country": "GB"}).status_code == 200
    company = tenant.admin.company("London Co", phone="020 7946 0958")
    assert company["phone"] == "+442079460958"

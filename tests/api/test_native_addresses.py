"""Addresses on the native API: the typed list and the flat fields that read its first entry."""
import pytest

from conftest import assert_error

HQ = {"type": "Main Office", "line1": "1428 S. Broadway", "line2": "Suite 4", "city": "Sulphur Springs",
      "state": "TX", "postal_code": "75482", "country_code": "us", "addressee": "Bill Gates",
      "company_name": "Microsoft", "attention": "Legal", "phone": "(212) 555-0184"}


def make(tenant, **fields):
    company = tenant.admin.company()
    return tenant.admin.contact(company["id"], is_connected=True, **fields)


def patch(tenant, contact, body):
    r = tenant.admin.patch(f"/contacts/{contact['id']}", body)
    assert r.status_code == 200, r.text
    return r.json()["data"]


def test_addresses_are_stored_normalized_and_the_first_one_is_the_flat_fields(tenant):
    c = make(tenant, addresses=[HQ, {"type": "home", "city": "Austin"}])
    first, second = c["addresses"]
    assert first == {**HQ, "id": 1, "country_code": "US", "phone": "+12125550184"}
    assert second["id"] == 2 and second["city"] == "Austin" and second["line1"] is None
    assert (c["address"], c["city"], c["state"], c["zip"]) == ("1428 S. Broadway",
                                                               "Sulphur Springs", "TX", "75482")
    assert tenant.admin.get(f"/contacts/{c['id']}").json()["data"]["addresses"] == c["addresses"]


def test_flat_fields_write_the_first_address(tenant):
    c = make(tenant, address="1 Battery Park Plaza", city="New York", state="NY", zip="10004")
    assert c["addresses"] == [{"id": 1, "type": None, "line1": "1 Battery Park Plaza", "line2": None,
                               "city": "New York", "state": "NY", "postal_code": "10004",
                               "country_code": None, "addressee": None, "company_name": None,
                               "attention": None, "phone": None}]
    c = patch(tenant, c, {"city": "Brooklyn"})
    assert c["addresses"][0]["city"] == "Brooklyn" and c["addresses"][0]["line1"] == "1 Battery Park Plaza"
    c = patch(tenant, c, {"address": None, "city": None, "state": None, "zip": None})
    assert c["addresses"] == []  # nothing left of it
    assert make(tenant)["addresses"] == []


def test_replacing_the_list_keeps_ids_sent_and_moves_the_flat_fields(tenant):
    c = make(tenant, addresses=[HQ, {"city": "Austin"}])
    ids = [a["id"] for a in c["addresses"]]
    c = patch(tenant, c, {"addresses": [{"id": ids[1], "city": "Austin", "line1": "1 Congress Ave"},
                                        {"city": "Dallas"}]})
    assert [a["id"] for a in c["addresses"]] == [ids[1], 3]  # a new one never takes a used id
    assert (c["address"], c["city"], c["zip"]) == ("1 Congress Ave", "Austin", None)
    # The flat filter follows the first address.
    r = tenant.admin.get("/contacts", params={"city": "austin"})
    assert [x["id"] for x in r.json()["data"]] == [c["id"]]
    c = patch(tenant, c, {"addresses": []})
    assert c["addresses"] == [] and c["city"] is None and c["address"] is None


@pytest.mark.parametrize("body,field", [
    ({"addresses": [{"city": "x" * 256}]}, "addresses[0].city"),
    ({"addresses": [{"country_code": "USA"}]}, "addresses[0].country_code"),
    ({"addresses": [{"phone": "call me"}]}, "addresses[0].phone"),
    ({"addresses": [{"street": "1 Main"}]}, "addresses[0].street"),
    ({"addresses": ["1 Main St"]}, "addresses[0]"),
    ({"addresses": [{"line1": "a\nb"}]}, "addresses[0].line1"),
    ({"addresses": [{}] * 11}, "addresses"),
    ({"addresses": "1 Main St"}, "addresses"),
    ({"addresses": [{"line1": "1 Main"}], "city": "Austin"}, "city"),
    ({"addresses": [{"id": 1, "line1": "1 Main"}]}, "addresses[0].id"),
])
def test_bad_addresses_are_422_naming_the_member(tenant, body, field):
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        **body})
    assert_error(r, 422, "validation_error", [field])


def test_an_update_may_only_keep_ids_the_contact_has(tenant):
    c = make(tenant, addresses=[{"city": "Austin"}])
    r = tenant.admin.patch(f"/contacts/{c['id']}", {"addresses": [{"id": 99, "city": "Dallas"}]})
    assert_error(r, 422, "validation_error", ["addresses[0].id"])
    r = tenant.admin.patch(f"/contacts/{c['id']}", {"addresses": [{"id": 1}, {"id": 1}]})
    assert_error(r, 422, "validation_error", ["addresses[1].id"])
    assert tenant.admin.get(f"/contacts/{c['id']}").json()["data"]["addresses"][0]["city"] == "Austin"

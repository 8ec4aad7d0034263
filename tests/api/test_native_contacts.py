"""Create, get and update contacts on the native API: fields, validation, phones."""
import re

import pytest

from conftest import assert_error

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
CONTACT_KEYS = {"id", "contact_type", "contact_types", "company_id", "first_name", "last_name",
                "email", "title", "department", "address", "city", "state", "zip", "linkedin_url",
                "phones", "is_primary", "is_connected", "owner_account_id", "owner_user_id", "assigned_user_id", "created_at",
                "updated_at",
                # the union contact's fields (test_native_fields.py)
                "uid", "full_name", "full_name_given", "display_name", "country", "website",
                "code", "tax_id", "description", "notes", "timezone", "birthday", "anniversary",
                "spouse", "preferred_contact_method", "source", "status", "dnd", "dnd_settings",
                "tags", "addresses", "custom_fields", "source_id", "hotness_id",
                "hotness", "reports_to", "version"}

FULL = {
    "contact_type": "lender_contact",
    "first_name": "James",
    "last_name": "Rodriguez",
    "email": "jrodriguez@eastdilsecured.com",
    "title": "Managing Director",
    "department": "Debt Capital Markets",
    "address": "40 West 57th Street",
    "city": "New York",
    "state": "NY",
    "zip": "10019",
    "linkedin_url": "https://linkedin.com/in/james-rodriguez-cre",
    "phones": [{"raw": "(917) 555-0142"}],
}


def test_create_returns_201_with_every_field_of_the_contact_object(tenant):
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {**FULL, "company_id": company["id"]})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["request_id"] == r.headers["X-Request-Id"]
    assert TIMESTAMP.match(body["timestamp"])
    data = body["data"]
    assert set(data) == CONTACT_KEYS
    for key in ("first_name", "last_name", "email", "title", "department", "address", "city",
                "state", "zip", "linkedin_url"):
        assert data[key] == FULL[key]
    assert data["contact_type"] == "lender_contact"
    assert data["contact_types"] == ["lender_contact"]
    assert data["company_id"] == company["id"]
    assert data["phones"] == [{"id": None, "type": "mobile", "raw": "(917) 555-0142",
                               "country": "US", "e164": "+19175550142", "extension": ""}]
    assert data["is_primary"] is False
    assert data["is_connected"] is False
    assert data["owner_account_id"] == tenant.account["id"]
    assert TIMESTAMP.match(data["created_at"]) and data["created_at"] == data["updated_at"]


def test_get_returns_the_created_contact(tenant):
    company = tenant.admin.company()
    created = tenant.admin.contact(company["id"], first_name="Sarah")
    r = tenant.viewer.get(f"/contacts/{created['id']}")
    assert r.status_code == 200
    assert r.json()["data"] == created


def test_build_contacts_aliases_behave_like_contacts(tenant):
    company = tenant.admin.company()
    r = tenant.admin.post("/build/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                              "is_connected": True})
    assert r.status_code == 201, r.text
    contact_id = r.json()["data"]["id"]
    assert tenant.admin.get(f"/build/contacts/{contact_id}").json()["data"]["id"] == contact_id
    r = tenant.admin.patch(f"/build/contacts/{contact_id}", {"title": "Partner"})
    assert r.json()["data"]["title"] == "Partner"
    ids = [c["id"] for c in tenant.admin.get("/build/contacts").json()["data"]]
    assert contact_id in ids


def test_absent_optional_fields_render_as_null_and_phones_as_empty_list(tenant):
    company = tenant.admin.company()
    data = tenant.admin.contact(company["id"])
    assert data["first_name"] is None and data["linkedin_url"] is None
    assert data["phones"] == []


def test_contact_types_accepts_both_types_and_contact_type_is_the_first(tenant):
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"contact_types": ["sponsor", "lender_contact"],
                                        "company_id": company["id"]})
    assert r.status_code == 201
    assert r.json()["data"]["contact_type"] == "sponsor"
    assert r.json()["data"]["contact_types"] == ["sponsor", "lender_contact"]


def test_create_without_contact_type_is_422_with_the_seed_message(tenant):
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"company_id": company["id"]})
    assert_error(r, 422, "validation_error", ["contact_type"], "contact_type is required")


def test_create_without_company_id_is_422(tenant):
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor"})
    assert_error(r, 422, "validation_error", ["company_id"], "company_id is required")


@pytest.mark.parametrize("body,field", [
    ({"contact_type": "investor"}, "contact_type"),
    ({"contact_type": None}, "contact_type"),
    ({"contact_types": []}, "contact_types"),
    ({"contact_types": ["lender_contact", "investor"]}, "contact_types[1]"),
    ({"contact_types": "sponsor"}, "contact_types"),
])
def test_bad_contact_types_are_422(tenant, body, field):
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"company_id": company["id"], **body})
    assert_error(r, 422, "validation_error", [field])


def test_company_id_of_a_missing_company_is_422(tenant):
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": 999999})
    assert_error(r, 422, "validation_error", ["company_id"])


def test_is_primary_makes_the_contact_the_only_primary_of_its_company(tenant):
    company = tenant.admin.company()
    first = tenant.admin.contact(company["id"], is_primary=True)
    assert first["is_primary"] is True
    second = tenant.admin.contact(company["id"], is_primary=True)
    assert second["is_primary"] is True
    assert tenant.admin.get(f"/contacts/{first['id']}").json()["data"]["is_primary"] is False
    company_now = tenant.admin.get(f"/companies/{company['id']}").json()["data"]
    assert company_now["primary_contact_id"] == second["id"]
    other = tenant.admin.company("Other Co")
    third = tenant.admin.contact(other["id"], is_primary=True)
    assert tenant.admin.get(f"/contacts/{second['id']}").json()["data"]["is_primary"] is True
    assert third["is_primary"] is True


def test_validation_reports_every_failing_field_together(tenant):
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {
        "contact_type": "lender_contact", "company_id": company["id"],
        "email": "not-an-email", "first_name": 5, "last_name": "x" * 256,
        "linkedin_url": "ftp://example.com", "foo": 1, "id": 7, "owner_account_id": 1,
        "created_at": "2020-01-01T00:00:00Z", "updated_at": "x",
        "phones": [{"raw": "12"}, {"raw": "2125550184", "type": "pager", "country": "ZZ"}],
    })
    error = assert_error(r, 422, "validation_error",
                         ["email", "first_name", "last_name", "linkedin_url", "foo", "id",
                          "owner_account_id", "created_at", "updated_at", "phones[0].raw",
                          "phones[1].type", "phones[1].country"])
    assert error["message"] == error["details"][0]["message"]


def test_a_failed_create_writes_nothing(tenant):
    company = tenant.admin.company()
    before = tenant.admin.get("/contacts", params={"is_connected": "all"}).json()["pagination"]["total"]
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        "is_connected": True, "phones": [{"raw": "bad"}]})
    assert r.status_code == 422
    after = tenant.admin.get("/contacts", params={"is_connected": "all"}).json()["pagination"]["total"]
    assert after == before


@pytest.mark.parametrize("length,status", [(255, 201), (256, 422)])
def test_strings_are_limited_to_255_characters(tenant, length, status):
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        "title": "é" * length})
    assert r.status_code == status, r.text


@pytest.mark.parametrize("email,status", [
    ("schen@meridiancapital.com", 201), ("a" * 64 + "@" + "b" * 60 + "." + "c" * 60 + "." + "d" * 63 + ".com", 201),
    ("a" * 64 + "@" + "b" * 60 + "." + "c" * 60 + "." + "d" * 63 + ".coms", 422),
    ("not-an-email", 422), ("a@b", 422), ("a b@c.com", 422), ("@c.com", 422)])
def test_email_is_checked(tenant, email, status):
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        "email": email})
    assert r.status_code == status, r.text
    if status == 422:
        assert_error(r, 422, "validation_error", ["email"])


@pytest.mark.parametrize("url,status", [
    ("https://linkedin.com/in/x", 201), ("http://www.linkedin.com/in/x", 201),
    ("ftp://linkedin.com/in/x", 422), ("linkedin.com/in/x", 422), ("https://", 422)])
def test_linkedin_url_must_be_http(tenant, url, status):
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        "linkedin_url": url})
    assert r.status_code == status, r.text


@pytest.mark.parametrize("body", ["{", "[1, 2]", "\"text\"", "", "{\"a\": }"])
def test_malformed_or_non_object_json_is_400(tenant, body):
    r = tenant.admin.session.post(tenant.server.api + "/contacts", data=body,
                                  headers={"Content-Type": "application/json"})
    assert_error(r, 400, "bad_request")


@pytest.mark.parametrize("raw,country,e164", [
    ("(212) 555-0184", None, "+12125550184"),
    ("212.555.0184", None, "+12125550184"),
    ("212-555-0184", None, "+12125550184"),
    ("+1 212 555 0184", None, "+12125550184"),
    ("1 (212) 555-0184", None, "+12125550184"),
    ("020 7946 0958", "GB", "+442079460958"),
    ("020 7946 0958", "gb", "+442079460958"),
    ("030 123456", "DE", "+4930123456"),
    ("01 23 45 67 89", "FR", "+33123456789"),
    ("+44 20 7946 0958", "US", "+442079460958"),
])
def test_phones_are_normalized_to_e164(tenant, raw, country, e164):
    company = tenant.admin.company()
    phone = {"raw": raw, "type": "office"}
    if country:
        phone["country"] = country
    data = tenant.admin.contact(company["id"], phones=[phone])
    assert data["phones"][0]["e164"] == e164
    assert data["phones"][0]["raw"] == raw
    # The country shown is the number's own region, whatever hint parsed it.
    region = {"+44": "GB", "+49": "DE", "+33": "FR"}.get(e164[:3], "US")
    assert data["phones"][0]["country"] == region
    assert data["phones"][0]["type"] == "office"


def test_phone_extension_from_raw_or_given(tenant):
    company = tenant.admin.company()
    data = tenant.admin.contact(company["id"], phones=[
        {"raw": "212-555-0184 ext. 12"}, {"raw": "212-555-0185", "extension": "77", "type": "fax"}])
    assert data["phones"][0]["extension"] == "12"
    assert data["phones"][0]["e164"] == "+12125550184"
    assert data["phones"][1]["extension"] == "77"


@pytest.mark.parametrize("phone,field", [
    ({"raw": "12"}, "phones[0].raw"),
    ({"raw": "not a phone"}, "phones[0].raw"),
    ({"raw": "(212) 555-01"}, "phones[0].raw"),
    ({"type": "office"}, "phones[0].raw"),
    ({"raw": 2125550184}, "phones[0].raw"),
    ({"raw": "2125550184", "type": "pager"}, "phones[0].type"),
    ({"raw": "2125550184", "country": "ZZ"}, "phones[0].country"),
    ({"raw": "2125550184", "country": "usa"}, "phones[0].country"),
    ({"raw": "2125550184", "e164": "+12125550184"}, "phones[0].e164"),
    ({"raw": "2125550184", "color": "red"}, "phones[0].color"),
    ("2125550184", "phones[0]"),
])
def test_bad_phones_are_422_naming_the_phone_field(tenant, phone, field):
    company = tenant.admin.company()
    r = tenant.admin.post("/contacts", {"contact_type": "sponsor", "company_id": company["id"],
                                        "phones": [phone]})
    assert_error(r, 422, "validation_error", [field])


def test_patch_changes_only_the_fields_sent(tenant):
    company = tenant.admin.company()
    created = tenant.admin.contact(company["id"], first_name="Sarah", last_name="Chen",
                                   title="Senior Vice President",
                                   phones=[{"raw": "(212) 555-0184", "type": "office"}])
    r = tenant.editor.patch(f"/contacts/{created['id']}", {"title": "Executive Vice President"})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["title"] == "Executive Vice President"
    for key in ("first_name", "last_name", "phones", "contact_type", "company_id", "created_at"):
        assert data[key] == created[key]
    assert data["updated_at"] >= created["updated_at"]
    assert tenant.admin.get(f"/contacts/{created['id']}").json()["data"] == data


def test_patch_phones_replaces_the_list_and_empty_list_clears_it(tenant):
    company = tenant.admin.company()
    created = tenant.admin.contact(company["id"], phones=[{"raw": "212-555-0184"}, {"raw": "212-555-0185"}])
    r = tenant.admin.patch(f"/contacts/{created['id']}", {"phones": [{"raw": "+44 20 7946 0958"}]})
    assert [p["e164"] for p in r.json()["data"]["phones"]] == ["+442079460958"]
    r = tenant.admin.patch(f"/contacts/{created['id']}", {"phones": []})
    assert r.json()["data"]["phones"] == []


def test_patch_null_clears_a_field_and_is_connected_can_be_set(tenant):
    company = tenant.admin.company()
    created = tenant.admin.contact(company["id"], title="VP")
    r = tenant.admin.patch(f"/contacts/{created['id']}", {"title": None, "is_connected": True})
    assert r.json()["data"]["title"] is None
    assert r.json()["data"]["is_connected"] is True


@pytest.mark.parametrize("field,value", [
    ("contact_type", "sponsor"), ("contact_types", ["sponsor"]), ("company_id", 1),
    ("is_primary", True)])
def test_patch_of_a_fixed_field_is_422_naming_it(tenant, field, value):
    company = tenant.admin.company()
    created = tenant.admin.contact(company["id"])
    r = tenant.admin.patch(f"/contacts/{created['id']}", {field: value, "title": "x"})
    error = assert_error(r, 422, "validation_error", [field])
    assert "not updatable" in error["message"]
    assert tenant.admin.get(f"/contacts/{created['id']}").json()["data"]["title"] is None


@pytest.mark.parametrize("body,field", [
    ({"email": "nope"}, "email"), ({"first_name": 1}, "first_name"),
    ({"is_connected": "yes"}, "is_connected"), ({"phones": None}, "phones"),
    ({"phones": [{"raw": "1"}]}, "phones[0].raw"), ({"id": 5}, "id"), ({"bogus": 1}, "bogus")])
def test_patch_validation_names_the_field(tenant, body, field):
    company = tenant.admin.company()
    created = tenant.admin.contact(company["id"])
    r = tenant.admin.patch(f"/contacts/{created['id']}", body)
    assert_error(r, 422, "validation_error", [field])


def test_missing_contact_is_404_with_the_seed_message(tenant):
    assert_error(tenant.admin.get("/contacts/987654321"), 404, "not_found", message="Contact not found")
    assert_error(tenant.admin.patch("/contacts/987654321", {"title": "x"}), 404, "not_found",
                 message="Contact not found")


@pytest.mark.parametrize("bad_id", ["abc", "0", "-1", "1.5", "99999999999999999999"])
def test_non_integer_contact_id_is_400_naming_contact_id(tenant, bad_id):
    assert_error(tenant.admin.get(f"/contacts/{bad_id}"), 400, "bad_request", ["contact_id"])

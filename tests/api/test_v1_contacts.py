"""Seed 003's Contacts API under /api/v1: the seed's examples verbatim, the contact JSON, status
and isActive, custom fields, the list and its filters, hierarchy, company, department and
contact-method reads, set-primary, errors, rate-limit headers and the native API's view."""
import contextlib
import json
import math
import re
import subprocess
import time
import uuid
from urllib.parse import quote

import pytest
import requests

from conftest import Client, Server, free_port, start_server

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
NOWHERE = "00000000-0000-4000-8000-000000000000"  # a well-formed UUID that names nothing

CONTACT_KEYS = {"id", "organizationId", "name", "displayName", "code", "entityTypes", "email",
                "phone", "website", "address", "parentEntityId", "primaryContactId", "taxId",
                "description", "notes", "customFields", "metadata", "status", "isActive",
                "createdAt", "updatedAt"}
ADDRESS_KEYS = {"id", "addressee", "companyName", "attention", "phoneNumber", "line1", "line2",
                "city", "stateProvince", "postalCode", "countryCode"}
METADATA_KEYS = {"title", "department", "reportsTo", "mobilePhone", "workPhone",
                 "preferredContactMethod"}
EMPTY_METADATA = dict.fromkeys(METADATA_KEYS)
EMPTY_ADDRESS = dict.fromkeys(ADDRESS_KEYS - {"id"})


def seed_create_body(company_uid):
    """The seed's curl create body; only parentEntityId names a real company."""
    return {
        "name": "John Smith",
        "displayName": "John",
        "email": "john.smith@acme.com",
        "phone": "555-123-4567",
        "entityTypes": ["Contact"],
        "parentEntityId": company_uid,
        "address": {
            "line1": "123 Main St",
            "city": "San Francisco",
            "stateProvince": "CA",
            "postalCode": "94105",
            "countryCode": "US"
        },
        "metadata": {
            "title": "Sales Director",
            "department": "Sales",
            "workPhone": "555-123-4568",
            "preferredContactMethod": "email"
        },
        "status": "active"
    }


SEED_PUT_BODY = {
    "displayName": "Johnny",
    "metadata": {
        "title": "VP of Sales",
        "mobilePhone": "555-999-8888",
        "preferredContactMethod": "mobile"
    }
}


def seed_created(company_uid, org_uid):
    """The seed's create response without id, address id and timestamps."""
    return {
        "organizationId": org_uid, "name": "John Smith", "displayName": "John", "code": None,
        "entityTypes": ["Contact"], "email": "john.smith@acme.com", "phone": "555-123-4567",
        "website": None,
        "address": {**EMPTY_ADDRESS, "line1": "123 Main St", "city": "San Francisco",
                    "stateProvince": "CA", "postalCode": "94105", "countryCode": "US"},
        "parentEntityId": company_uid, "primaryContactId": None, "taxId": None,
        "description": None, "notes": None, "customFields": None,
        "metadata": {"title": "Sales Director", "department": "Sales", "reportsTo": None,
                     "mobilePhone": None, "workPhone": "555-123-4568",
                     "preferredContactMethod": "email"},
        "status": "active", "isActive": True}


def stripped(contact):
    """A contact without the values the server makes up (id, address id, timestamps)."""
    rest = {k: v for k, v in contact.items() if k not in ("id", "createdAt", "updatedAt")}
    if isinstance(rest.get("address"), dict):
        rest["address"] = {k: v for k, v in rest["address"].items() if k != "id"}
    return rest


class V1:
    """A requests session speaking to /api/v1 with one token."""

    def __init__(self, server, token):
        self.base = f"{server.url}/api/v1"
        self.session = requests.Session()
        if token is not None:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path, **kw):
        return self.session.get(self.base + path, **kw)

    def post(self, path, body=None, **kw):
        if body is None:
            return self.session.post(self.base + path, **kw)
        return self.session.post(self.base + path, json=body, **kw)

    def put(self, path, body=None, **kw):
        return self.session.put(self.base + path, json=body, **kw)

    def delete(self, path, **kw):
        return self.session.delete(self.base + path, **kw)

    def create(self, **fields):
        r = self.post("/contacts", fields)
        assert r.status_code == 201, r.text
        return r.json()

    def update(self, contact_id, body):
        r = self.put(f"/contacts/{contact_id}", body)
        assert r.status_code == 200, r.text
        return r.json()

    def read(self, contact_id):
        r = self.get(f"/contacts/{contact_id}")
        assert r.status_code == 200, r.text
        return r.json()

    def page(self, path="/contacts", **params):
        r = self.get(path, params=params)
        assert r.status_code == 200, r.text
        return r.json()


class Org:
    """A fresh account seen through /api/v1, with its native tenant for companies."""

    def __init__(self, tenant):
        self.tenant = tenant
        self.server = tenant.server
        self.uid = tenant.account["uid"]
        self.admin = V1(tenant.server, tenant.admin.token)
        self.editor = V1(tenant.server, tenant.editor.token)
        self.viewer = V1(tenant.server, tenant.viewer.token)

    def company(self, name="Acme Corporation"):
        return self.tenant.admin.company(name)


@pytest.fixture
def org(tenant):
    return Org(tenant)


def assert_v1_error(response, status, code, fields=()):
    """Checks seed 003's error envelope, the status, the code and the detail fields named."""
    assert response.status_code == status, response.text
    body = response.json()
    assert {"error", "message", "details"} <= set(body), body
    assert body["error"] == code, body
    assert isinstance(body["message"], str) and body["message"], body
    assert isinstance(body["details"], list), body
    for detail in body["details"]:
        assert {"field", "message"} <= set(detail), body
    named = [d["field"] for d in body["details"]]
    for field in fields:
        assert field in named, (field, body)
    return body


def ids(body):
    return sorted(c["id"] for c in body["data"])


def assert_envelope(body, total, page=1, limit=20):
    assert {"data", "total", "page", "limit", "totalPages"} <= set(body), body
    assert (body["total"], body["page"], body["limit"]) == (total, page, limit), body
    assert body["totalPages"] == math.ceil(total / limit), body


def native_contact(tenant, email, uid):
    """The native view of a contact made on /api/v1, found by its email and matched on uid."""
    r = tenant.admin.get("/contacts", params={"is_connected": "all", "search": email})
    assert r.status_code == 200, r.text
    found = [c for c in r.json()["data"] if c["uid"] == uid]
    assert len(found) == 1, r.text
    return found[0]


def unique_email(prefix="person"):
    return f"{prefix}.{uuid.uuid4().hex[:10]}@example.com"


# --- the seed's create, get, list and update, verbatim ------------------------------------------

def test_the_seed_create_answers_201_with_the_seeds_values(org):
    company = org.company()
    r = org.admin.post("/contacts", seed_create_body(company["uid"]))
    assert r.status_code == 201, r.text
    got = r.json()
    assert set(got) == CONTACT_KEYS
    assert UUID.match(got["id"])
    assert stripped(got) == seed_created(company["uid"], org.uid)
    assert set(got["address"]) == ADDRESS_KEYS and UUID.match(got["address"]["id"])
    assert TIMESTAMP.match(got["createdAt"]) and TIMESTAMP.match(got["updatedAt"])
    assert got["createdAt"] == got["updatedAt"]


def test_get_returns_the_created_contact(org):
    created = org.admin.create(**seed_create_body(org.company()["uid"]))
    r = org.viewer.get(f"/contacts/{created['id']}")
    assert r.status_code == 200, r.text
    assert r.json() == created


def test_the_seed_list_request_finds_the_seed_contact(org):
    created = org.admin.create(**seed_create_body(org.company()["uid"]))
    org.admin.create(name="Johanna Inactive", email="jo@acme.com", status="inactive")
    org.admin.create(name="Alice Brown", email="alice@acme.com")
    r = org.viewer.get("/contacts?page=1&limit=20&status=active&search=john")
    assert r.status_code == 200, r.text
    body = r.json()
    assert_envelope(body, total=1)
    assert body["data"] == [created]


def test_the_seed_update_gives_the_seeds_update_response(org):
    company = org.company()
    created = org.admin.create(**seed_create_body(company["uid"]))
    time.sleep(0.01)
    r = org.admin.put(f"/contacts/{created['id']}", SEED_PUT_BODY)
    assert r.status_code == 200, r.text
    got = r.json()
    expected = seed_created(company["uid"], org.uid)
    expected["displayName"] = "Johnny"
    expected["metadata"].update(title="VP of Sales", mobilePhone="555-999-8888",
                                preferredContactMethod="mobile")
    assert set(got) == CONTACT_KEYS
    assert stripped(got) == expected
    assert got["id"] == created["id"]
    assert got["address"]["id"] == created["address"]["id"]
    assert got["createdAt"] == created["createdAt"]
    assert TIMESTAMP.match(got["updatedAt"]) and got["updatedAt"] >= got["createdAt"]
    assert org.viewer.get(f"/contacts/{created['id']}").json() == got


# --- the contact JSON ----------------------------------------------------------------------------

def test_a_bare_contact_has_every_key_null_when_empty(org):
    got = org.admin.create(name="Bare Person")
    assert set(got) == CONTACT_KEYS
    assert got["organizationId"] == org.uid and got["name"] == "Bare Person"
    for key in ("displayName", "code", "email", "phone", "website", "address", "parentEntityId",
                "primaryContactId", "taxId", "description", "notes", "customFields"):
        assert got[key] is None, key
    assert got["metadata"] == EMPTY_METADATA
    assert got["entityTypes"] == ["Contact"]
    assert (got["status"], got["isActive"]) == ("active", True)


def test_every_writable_field_round_trips(org):
    body = {"name": "Dana Scully", "displayName": "Dana", "code": "DS-1",
            "email": "dana@fbi.gov", "phone": "(202) 555-0100", "website": "https://fbi.gov",
            "taxId": "12-3456789", "description": "Agent", "notes": "Skeptic",
            "address": {"addressee": "D. Scully", "companyName": "FBI", "attention": "X-Files",
                        "phoneNumber": "202-555-0101", "line1": "935 Pennsylvania Ave",
                        "line2": "Basement", "city": "Washington", "stateProvince": "DC",
                        "postalCode": "20535", "countryCode": "US"},
            "metadata": {"title": "Special Agent", "department": "X-Files",
                         "mobilePhone": "+1 202 555 0102", "workPhone": "202.555.0103",
                         "preferredContactMethod": "phone"}}
    got = org.admin.create(**body)
    for key in ("name", "displayName", "code", "email", "phone", "website", "taxId",
                "description", "notes"):
        assert got[key] == body[key], key
    # The address's phone is one string, kept in E.164 where it parses (the contact's own
    # numbers keep what was sent beside their E.164 form).
    assert stripped(got)["address"] == {**body["address"], "phoneNumber": "+12025550101"}
    assert got["metadata"] == {**body["metadata"], "reportsTo": None}
    assert org.viewer.read(got["id"]) == got


def test_phones_are_kept_exactly_as_sent(org):
    got = org.admin.create(name="Phone Person", phone="555-123-4567",
                           metadata={"mobilePhone": "(415) 555-0100",
                                     "workPhone": "+1 415 555 0199"})
    assert got["phone"] == "555-123-4567"
    assert got["metadata"]["mobilePhone"] == "(415) 555-0100"
    assert got["metadata"]["workPhone"] == "+1 415 555 0199"
    again = org.viewer.read(got["id"])
    assert again["phone"] == "555-123-4567"
    assert again["metadata"]["mobilePhone"] == "(415) 555-0100"


def test_address_merges_key_by_key_and_keeps_its_id(org):
    created = org.admin.create(name="Addr Person",
                               address={"line1": "1 Elm St", "city": "Austin",
                                        "countryCode": "US"})
    assert set(created["address"]) == ADDRESS_KEYS
    address_id = created["address"]["id"]
    assert UUID.match(address_id)
    got = org.admin.update(created["id"], {"address": {"line2": "Suite 5", "city": "Dallas"}})
    assert got["address"] == {**EMPTY_ADDRESS, "id": address_id, "line1": "1 Elm St",
                              "line2": "Suite 5", "city": "Dallas", "countryCode": "US"}
    assert org.viewer.read(created["id"])["address"]["id"] == address_id


def test_update_is_partial(org):
    created = org.admin.create(**seed_create_body(org.company()["uid"]))
    got = org.admin.update(created["id"], {"notes": "Met at the conference"})
    assert got["notes"] == "Met at the conference"
    assert stripped(got) == {**stripped(created), "notes": "Met at the conference"}


def test_metadata_reports_to_names_a_contact(org):
    boss = org.admin.create(name="Big Boss")
    report = org.admin.create(name="Small Report", metadata={"reportsTo": boss["id"]})
    assert report["metadata"]["reportsTo"] == boss["id"]
    assert org.viewer.read(report["id"])["metadata"]["reportsTo"] == boss["id"]


# --- status and isActive -------------------------------------------------------------------------

@pytest.mark.parametrize("status,active", [("active", True), ("inactive", False),
                                           ("archived", False)])
def test_is_active_is_true_only_for_active_status(org, status, active):
    got = org.admin.create(name=f"Status {status}", status=status)
    assert (got["status"], got["isActive"]) == (status, active)
    assert org.viewer.read(got["id"])["isActive"] is active


def test_writing_is_active_moves_the_status(org):
    created = org.admin.create(name="Toggle Person")
    got = org.admin.update(created["id"], {"isActive": False})
    assert (got["status"], got["isActive"]) == ("inactive", False)
    got = org.admin.update(created["id"], {"isActive": True})
    assert (got["status"], got["isActive"]) == ("active", True)


@pytest.mark.parametrize("status,active", [("archived", True), ("active", False),
                                           ("inactive", True)])
def test_inconsistent_status_and_is_active_are_400(org, status, active):
    r = org.admin.post("/contacts", {"name": "Mixed", "status": status, "isActive": active})
    assert_v1_error(r, 400, "VALIDATION_ERROR")
    created = org.admin.create(name="Steady")
    r = org.admin.put(f"/contacts/{created['id']}", {"status": status, "isActive": active})
    assert_v1_error(r, 400, "VALIDATION_ERROR")
    assert org.viewer.read(created["id"])["status"] == "active"


def test_an_unknown_status_is_400_naming_status(org):
    r = org.admin.post("/contacts", {"name": "Gone", "status": "deleted"})
    assert_v1_error(r, 400, "VALIDATION_ERROR", ["status"])


# --- entityTypes, parentEntityId, validation ---------------------------------------------------

@pytest.mark.parametrize("types", [["Vendor"], [], "Contact", ["contacts"]])
def test_entity_types_must_be_an_array_including_contact(org, types):
    r = org.admin.post("/contacts", {"name": "Typed", "entityTypes": types})
    assert_v1_error(r, 400, "VALIDATION_ERROR", ["entityTypes"])


def test_entity_types_render_as_contact_only(org):
    got = org.admin.create(name="Typed", entityTypes=["Contact", "Customer"])
    assert got["entityTypes"] == ["Contact"]


def test_an_unknown_or_foreign_parent_company_is_404(org, server):
    r = org.admin.post("/contacts", {"name": "Orphan", "parentEntityId": NOWHERE})
    assert_v1_error(r, 404, "COMPANY_NOT_FOUND")
    foreign = server.tenant().admin.company("Theirs")
    r = org.admin.post("/contacts", {"name": "Orphan", "parentEntityId": foreign["uid"]})
    assert_v1_error(r, 404, "COMPANY_NOT_FOUND")
    assert org.viewer.page()["total"] == 0


def test_a_body_without_name_is_400_naming_name(org):
    r = org.admin.post("/contacts", {"email": "nameless@example.com"})
    assert_v1_error(r, 400, "VALIDATION_ERROR", ["name"])


def test_a_bad_email_is_400_naming_email_on_create_and_update(org):
    r = org.admin.post("/contacts", {"name": "Bad Mail", "email": "not-an-email"})
    assert_v1_error(r, 400, "VALIDATION_ERROR", ["email"])
    created = org.admin.create(name="Good Mail", email="good@example.com")
    r = org.admin.put(f"/contacts/{created['id']}", {"email": "still not an email"})
    assert_v1_error(r, 400, "VALIDATION_ERROR", ["email"])
    assert org.viewer.read(created["id"])["email"] == "good@example.com"


def test_bad_json_is_400(org):
    r = org.admin.session.post(f"{org.admin.base}/contacts", data='{"name": "John',
                               headers={"Content-Type": "application/json"})
    assert_v1_error(r, 400, "VALIDATION_ERROR")


def test_an_unknown_preferred_contact_method_is_400(org):
    r = org.admin.post("/contacts", {"name": "Fax Fan",
                                     "metadata": {"preferredContactMethod": "fax"}})
    body = assert_v1_error(r, 400, "VALIDATION_ERROR")
    assert any("preferredContactMethod" in d["field"] for d in body["details"]), body


# --- custom fields -------------------------------------------------------------------------------

def test_custom_fields_are_defined_on_first_use_and_read_back(org):
    got = org.admin.create(name="Custom Person",
                           customFields={"tier": "gold", "score": 42, "vip": True})
    assert got["customFields"] == {"tier": "gold", "score": 42, "vip": True}
    assert org.viewer.read(got["id"])["customFields"] == {"tier": "gold", "score": 42,
                                                          "vip": True}
    r = org.tenant.admin.get("/custom-fields")
    assert r.status_code == 200, r.text
    types = {f["key"]: f["data_type"] for f in r.json()["data"]}
    assert types == {"tier": "text", "score": "number", "vip": "boolean"}


def test_custom_fields_merge_key_by_key_and_null_removes(org):
    created = org.admin.create(name="Merge Person",
                               customFields={"tier": "gold", "score": 42, "vip": True})
    got = org.admin.update(created["id"],
                           {"customFields": {"score": 50, "vip": None, "region": "west"}})
    assert got["customFields"] == {"tier": "gold", "score": 50, "region": "west"}
    assert org.viewer.read(created["id"])["customFields"] == got["customFields"]
    got = org.admin.update(created["id"],
                           {"customFields": {"tier": None, "score": None, "region": None}})
    assert got["customFields"] is None


# --- the list ------------------------------------------------------------------------------------

def test_list_pages_with_total_and_total_pages(org):
    names = ["Alpha Ant", "Bravo Bee", "Charlie Cat", "Delta Dog", "Echo Eel"]
    made = {n: org.admin.create(name=n)["id"] for n in names}
    body = org.viewer.page()
    assert_envelope(body, total=5)
    assert ids(body) == sorted(made.values())
    pages = [org.viewer.page(page=p, limit=2, orderBy="name", orderDirection="asc")
             for p in (1, 2, 3)]
    for p, got in enumerate(pages, start=1):
        assert_envelope(got, total=5, page=p, limit=2)
    assert [c["name"] for got in pages for c in got["data"]] == names
    beyond = org.viewer.page(page=4, limit=2)
    assert beyond["data"] == [] and beyond["total"] == 5


def test_list_items_are_whole_contacts(org):
    created = org.admin.create(**seed_create_body(org.company()["uid"]))
    item = org.viewer.page()["data"][0]
    assert set(item) == CONTACT_KEYS and item == created


def test_list_orders_by_name_created_and_updated(org):
    made = [org.admin.create(name=n) for n in ("Mike Moss", "Anna Apple", "Zoe Zinc")]
    asc = org.viewer.page(orderBy="name", orderDirection="asc")
    assert [c["name"] for c in asc["data"]] == ["Anna Apple", "Mike Moss", "Zoe Zinc"]
    desc = org.viewer.page(orderBy="name", orderDirection="desc")
    assert [c["name"] for c in desc["data"]] == ["Zoe Zinc", "Mike Moss", "Anna Apple"]
    created = [c["createdAt"] for c in org.viewer.page(orderBy="createdAt",
                                                       orderDirection="desc")["data"]]
    assert created == sorted(created, reverse=True)
    time.sleep(1.1)  # timestamps count seconds: the update must land in a later one
    org.admin.update(made[0]["id"], {"notes": "touched"})
    latest = org.viewer.page(orderBy="updatedAt", orderDirection="desc")["data"]
    assert latest[0]["id"] == made[0]["id"]
    oldest = org.viewer.page(orderBy="updatedAt", orderDirection="asc")["data"]
    assert oldest[-1]["id"] == made[0]["id"]


def test_list_filters_by_status_and_is_active(org):
    active = org.admin.create(name="On One")["id"]
    inactive = org.admin.create(name="Off One", status="inactive")["id"]
    archived = org.admin.create(name="Old One", status="archived")["id"]
    assert ids(org.viewer.page(status="active")) == [active]
    assert ids(org.viewer.page(status="inactive")) == [inactive]
    assert ids(org.viewer.page(status="archived")) == [archived]
    assert ids(org.viewer.page(isActive="true")) == [active]
    assert ids(org.viewer.page(isActive="false")) == sorted([inactive, archived])
    assert org.viewer.page(isActive="false")["total"] == 2


def test_list_searches_name_email_and_phone(org):
    alice = org.admin.create(name="Alice Walker", email="alice@alpha.io", phone="555-010-1111")
    bob = org.admin.create(name="Bob Stone", email="bstone@beta.io", phone="555-020-2222")
    carol = org.admin.create(name="Carol King", email="carol@gamma.io")
    assert ids(org.viewer.page(search="alice")) == [alice["id"]]
    assert ids(org.viewer.page(search="walker")) == [alice["id"]]
    assert ids(org.viewer.page(search="CAROL")) == [carol["id"]]
    assert ids(org.viewer.page(search="bstone@beta.io")) == [bob["id"]]
    assert ids(org.viewer.page(search="555-020-2222")) == [bob["id"]]
    nothing = org.viewer.page(search="zzzzzz")
    assert nothing["data"] == [] and nothing["total"] == 0


def test_list_filters_by_parent_entity(org):
    acme, globex = org.company("Acme"), org.company("Globex")
    a = org.admin.create(name="At Acme", parentEntityId=acme["uid"])["id"]
    org.admin.create(name="At Globex", parentEntityId=globex["uid"])
    org.admin.create(name="Nowhere")
    body = org.viewer.page(parentEntityId=acme["uid"])
    assert ids(body) == [a] and body["total"] == 1


@pytest.mark.parametrize("params,field", [
    ({"limit": "101"}, "limit"), ({"limit": "0"}, "limit"), ({"limit": "ten"}, "limit"),
    ({"page": "0"}, "page"), ({"page": "x"}, "page"), ({"orderBy": "email"}, "orderBy"),
    ({"orderDirection": "sideways"}, "orderDirection"), ({"status": "deleted"}, "status"),
    ({"isActive": "maybe"}, "isActive"), ({"parentEntityId": "not-a-uuid"}, "parentEntityId"),
    ({"colour": "red"}, "colour")])
def test_bad_or_unknown_list_parameters_are_400_naming_them(org, params, field):
    assert_v1_error(org.viewer.get("/contacts", params=params), 400, "VALIDATION_ERROR", [field])


def test_routes_without_parameters_refuse_them_by_name_and_change_nothing(org):
    company = org.company("Params Inc")
    contact = org.admin.create(name="Kept Name")
    path = f"/contacts/{contact['id']}"
    for r, field in ((org.viewer.get(path + "?fields=name"), "fields"),
                     (org.viewer.get("/contacts/hierarchy?depth=2"), "depth"),
                     (org.admin.put(path + "?dryRun=1", {"name": "Changed"}), "dryRun"),
                     (org.admin.post("/contacts?dryRun=1", {"name": "Never Made"}), "dryRun"),
                     (org.admin.delete(path + "?hard=true"), "hard"),
                     (org.admin.post(f"{path}/set-primary/{company['uid']}?x=1"), "x")):
        assert_v1_error(r, 400, "VALIDATION_ERROR", [field])
    assert org.viewer.read(contact["id"])["name"] == "Kept Name"
    assert [c["name"] for c in org.viewer.page()["data"]] == ["Kept Name"]
    assert org.viewer.get(path).status_code == 200


def test_limit_100_is_accepted(org):
    org.admin.create(name="Only One")
    assert_envelope(org.viewer.page(limit=100), total=1, limit=100)


def test_an_account_lists_only_its_own_contacts(org, server):
    org.admin.create(name="Mine Only")
    other = Org(server.tenant())
    body = other.viewer.page()
    assert body["data"] == []
    assert_envelope(body, total=0)


# --- get, update and delete by id ---------------------------------------------------------------

def test_unknown_foreign_or_malformed_ids_are_contact_not_found(org, server):
    native = org.tenant.admin.contact(org.company()["id"])
    theirs = Org(server.tenant())
    foreign = theirs.admin.create(name="Theirs")
    for contact_id in (NOWHERE, foreign["id"], "not-a-uuid", str(native["id"])):
        assert_v1_error(org.admin.get(f"/contacts/{contact_id}"), 404, "CONTACT_NOT_FOUND")
        r = org.admin.put(f"/contacts/{contact_id}", {"notes": "x"})
        assert_v1_error(r, 404, "CONTACT_NOT_FOUND")
        assert_v1_error(org.admin.delete(f"/contacts/{contact_id}"), 404, "CONTACT_NOT_FOUND")
    # Neither the other account's contact nor the native one was touched.
    assert theirs.viewer.read(foreign["id"]) == foreign
    assert org.viewer.read(native["uid"])["notes"] is None


def test_delete_is_204_and_the_contact_is_gone(org):
    created = org.admin.create(name="Short Lived")
    kept = org.admin.create(name="Long Lived")
    r = org.admin.delete(f"/contacts/{created['id']}")
    assert r.status_code == 204, r.text
    assert r.content == b""
    assert_v1_error(org.admin.get(f"/contacts/{created['id']}"), 404, "CONTACT_NOT_FOUND")
    assert_v1_error(org.admin.delete(f"/contacts/{created['id']}"), 404, "CONTACT_NOT_FOUND")
    assert ids(org.viewer.page()) == [kept["id"]]


# --- hierarchy, company, department, contact method -----------------------------------------

def brief(contact):
    return {"id": contact["id"], "name": contact["name"], "displayName": contact["displayName"],
            "metadata": {"title": contact["metadata"]["title"],
                         "department": contact["metadata"]["department"]}}


def test_hierarchy_maps_each_manager_to_its_direct_reports(org, server):
    boss = org.admin.create(name="Ann Boss", displayName="Ann",
                            metadata={"title": "VP", "department": "Sales"})
    a = org.admin.create(name="John Smith", displayName="John",
                         metadata={"title": "Sales Manager", "department": "Sales",
                                   "reportsTo": boss["id"]})
    b = org.admin.create(name="Jane Doe", displayName="Jane",
                         metadata={"title": "Account Executive", "department": "Sales",
                                   "reportsTo": boss["id"]})
    c = org.admin.create(name="Junior Rep", metadata={"reportsTo": a["id"]})
    org.admin.create(name="Loner")
    r = org.viewer.get("/contacts/hierarchy")
    assert r.status_code == 200, r.text
    got = r.json()
    assert set(got) == {boss["id"], a["id"]}
    assert sorted(got[boss["id"]], key=lambda x: x["id"]) == sorted([brief(a), brief(b)],
                                                                    key=lambda x: x["id"])
    assert got[a["id"]] == [brief(c)]
    assert Org(server.tenant()).viewer.page("/contacts/hierarchy") == {}


def test_each_answer_carries_the_version_that_if_match_and_if_none_match_name(org):
    r = org.admin.post("/contacts", {"name": "Ada Lovelace"})
    assert r.status_code == 201 and r.headers["ETag"] == '"1"', (r.status_code, r.headers)
    path = f"/contacts/{r.json()['id']}"
    assert org.viewer.get(path, headers={"If-None-Match": '"1"'}).status_code == 304
    r = org.admin.put(path, {"displayName": "Ada"}, headers={"If-Match": '"1"'})
    assert r.status_code == 200 and r.headers["ETag"] == '"2"', r.text
    assert_v1_error(org.admin.put(path, {"displayName": "Countess"}, headers={"If-Match": '"1"'}),
                    412, "PRECONDITION_FAILED")
    r = org.viewer.get(path, headers={"If-None-Match": '"1"'})
    assert r.status_code == 200 and r.json()["displayName"] == "Ada", r.text


def test_another_method_on_the_hierarchy_is_405_not_a_contact_named_hierarchy(org):
    r = org.admin.put("/contacts/hierarchy", {"name": "Nobody"})
    assert_v1_error(r, 405, "METHOD_NOT_ALLOWED")
    assert r.headers["Allow"] == "GET, HEAD", r.headers


def test_clearing_reports_to_takes_a_report_out_of_the_hierarchy(org):
    boss = org.admin.create(name="Boss Person")
    report = org.admin.create(name="Report Person", metadata={"reportsTo": boss["id"]})
    assert list(org.viewer.page("/contacts/hierarchy")) == [boss["id"]]
    got = org.admin.update(report["id"], {"metadata": {"reportsTo": None}})
    assert got["metadata"]["reportsTo"] is None
    assert org.viewer.page("/contacts/hierarchy") == {}


def test_contacts_of_a_company(org, server):
    acme, globex = org.company("Acme"), org.company("Globex")
    john = org.admin.create(**seed_create_body(acme["uid"]))
    sarah = org.admin.create(name="Sarah Johnson", displayName="Sarah",
                             email="sarah.johnson@acme.com", phone="555-234-5678",
                             parentEntityId=acme["uid"],
                             metadata={"title": "Marketing Manager", "department": "Marketing"})
    org.admin.create(name="Elsewhere", parentEntityId=globex["uid"])
    org.admin.create(name="Nowhere")
    r = org.viewer.get(f"/contacts/company/{acme['uid']}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert ids(body) == sorted([john["id"], sarah["id"]])
    assert body["total"] == 2 and body["page"] == 1
    assert body["totalPages"] == math.ceil(2 / body["limit"])
    for item in body["data"]:
        assert {"id", "name", "displayName", "email", "phone", "metadata", "status"} <= set(item)
    item = next(i for i in body["data"] if i["id"] == sarah["id"])
    assert (item["name"], item["displayName"], item["email"], item["phone"], item["status"]) == (
        "Sarah Johnson", "Sarah", "sarah.johnson@acme.com", "555-234-5678", "active")
    assert item["metadata"]["title"] == "Marketing Manager"
    assert item["metadata"]["department"] == "Marketing"
    assert_v1_error(org.viewer.get(f"/contacts/company/{NOWHERE}"), 404, "COMPANY_NOT_FOUND")
    foreign = server.tenant().admin.company("Theirs")
    assert_v1_error(org.viewer.get(f"/contacts/company/{foreign['uid']}"), 404,
                    "COMPANY_NOT_FOUND")


def test_contacts_of_a_department_case_insensitively(org):
    a = org.admin.create(name="Sales One", metadata={"department": "Sales"})
    b = org.admin.create(name="Sales Two", metadata={"department": "sales"})
    org.admin.create(name="Marketer", metadata={"department": "Marketing"})
    org.admin.create(name="No Department")
    body = org.viewer.page("/contacts/department/SALES")
    assert ids(body) == sorted([a["id"], b["id"]])
    assert body["total"] == 2 and body["page"] == 1
    assert body["totalPages"] == math.ceil(2 / body["limit"])
    spaced = org.admin.create(name="Capital", metadata={"department": "Debt Capital Markets"})
    body = org.viewer.page("/contacts/department/" + quote("Debt Capital Markets"))
    assert ids(body) == [spaced["id"]]
    empty = org.viewer.page("/contacts/department/Legal")
    assert empty["data"] == [] and empty["total"] == 0


def test_contacts_by_preferred_contact_method(org):
    made = {m: org.admin.create(name=f"Prefers {m}", metadata={"preferredContactMethod": m})
            for m in ("email", "phone", "mobile")}
    org.admin.create(name="No Preference")
    for method, contact in made.items():
        body = org.viewer.page(f"/contacts/contact-method/{method}")
        assert ids(body) == [contact["id"]], method
        assert body["total"] == 1 and body["page"] == 1
        assert body["data"][0]["metadata"]["preferredContactMethod"] == method
    assert_v1_error(org.viewer.get("/contacts/contact-method/fax"), 400, "VALIDATION_ERROR")


# --- set-primary ---------------------------------------------------------------------------------

def test_set_primary_makes_the_contact_the_companys_primary(org):
    company = org.company("Acme Corporation")
    john = org.admin.create(**seed_create_body(company["uid"]))
    r = org.admin.post(f"/contacts/{john['id']}/set-primary/{company['uid']}")
    assert r.status_code == 200, r.text
    assert r.json() == {
        "contact": {"id": john["id"], "name": "John Smith", "displayName": "John",
                    "email": "john.smith@acme.com", "parentEntityId": company["uid"]},
        "company": {"id": company["uid"], "name": "Acme Corporation",
                    "primaryContactId": john["id"]}}
    native = native_contact(org.tenant, "john.smith@acme.com", john["id"])
    got = org.tenant.admin.get(f"/companies/{company['id']}").json()["data"]
    assert got["primary_contact_id"] == native["id"]
    assert org.viewer.read(john["id"])["primaryContactId"] is None


def test_set_primary_again_moves_the_primary(org):
    company = org.company()
    first = org.admin.create(name="First Pick", email=unique_email("first"),
                             parentEntityId=company["uid"])
    second = org.admin.create(name="Second Pick", email=unique_email("second"),
                              parentEntityId=company["uid"])
    for contact in (first, second):
        r = org.admin.post(f"/contacts/{contact['id']}/set-primary/{company['uid']}")
        assert r.status_code == 200, r.text
    assert r.json()["company"]["primaryContactId"] == second["id"]
    native = native_contact(org.tenant, second["email"], second["id"])
    got = org.tenant.admin.get(f"/companies/{company['id']}").json()["data"]
    assert got["primary_contact_id"] == native["id"]


def test_set_primary_refuses_a_contact_of_another_or_no_company(org):
    company, other = org.company("Acme"), org.company("Globex")
    elsewhere = org.admin.create(name="Elsewhere", parentEntityId=other["uid"])
    nowhere = org.admin.create(name="Nowhere")
    for contact in (elsewhere, nowhere):
        r = org.admin.post(f"/contacts/{contact['id']}/set-primary/{company['uid']}")
        assert_v1_error(r, 400, "INVALID_ENTITY_TYPE")
    got = org.tenant.admin.get(f"/companies/{company['id']}").json()["data"]
    assert got["primary_contact_id"] is None


def test_set_primary_with_unknown_contact_or_company_is_404(org):
    company = org.company()
    contact = org.admin.create(name="Known", parentEntityId=company["uid"])
    r = org.admin.post(f"/contacts/{NOWHERE}/set-primary/{company['uid']}")
    assert_v1_error(r, 404, "CONTACT_NOT_FOUND")
    r = org.admin.post(f"/contacts/{contact['id']}/set-primary/{NOWHERE}")
    assert_v1_error(r, 404, "COMPANY_NOT_FOUND")
    got = org.tenant.admin.get(f"/companies/{company['id']}").json()["data"]
    assert got["primary_contact_id"] is None


# --- authentication, roles, unknown paths -------------------------------------------------------

def test_missing_or_bad_token_is_401(org):
    for client in (V1(org.server, None), V1(org.server, "not-a-real-token")):
        assert_v1_error(client.get("/contacts"), 401, "UNAUTHORIZED")
        assert_v1_error(client.post("/contacts", {"name": "Anon"}), 401, "UNAUTHORIZED")
    assert org.viewer.page()["total"] == 0


def test_a_viewer_reads_but_cannot_write(org):
    created = org.editor.create(name="Edited In")
    assert org.viewer.read(created["id"]) == created
    assert_v1_error(org.viewer.post("/contacts", {"name": "Viewer Made"}), 403, "FORBIDDEN")
    assert_v1_error(org.viewer.put(f"/contacts/{created['id']}", {"notes": "x"}), 403,
                    "FORBIDDEN")
    assert_v1_error(org.viewer.delete(f"/contacts/{created['id']}"), 403, "FORBIDDEN")
    assert ids(org.viewer.page()) == [created["id"]]
    assert org.viewer.read(created["id"])["notes"] is None


def test_an_unknown_path_is_404_in_the_same_envelope(org):
    assert_v1_error(org.admin.get("/nothing-here"), 404, "NOT_FOUND")
    assert_v1_error(org.admin.get(f"/contacts/{NOWHERE}/bogus/x"), 404, "NOT_FOUND")


# --- rate limits ---------------------------------------------------------------------------------

@contextlib.contextmanager
def limited_server(tmp_path, *args):
    db = tmp_path / "v1-limits.db"
    port = free_port()
    proc = start_server(db, port, args=list(args))
    try:
        yield Server(db, port, proc)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def fresh_v1(server):
    account = server.account()
    return V1(server, server.token(account["id"], "admin"))


def test_rate_limit_headers_count_down(tmp_path):
    with limited_server(tmp_path, "--rate-limit", "1000/h", "--rate-burst", "100/min") as srv:
        client = fresh_v1(srv)
        before = time.time()
        seen = []
        for _ in range(3):
            r = client.get("/contacts")
            assert r.status_code == 200, r.text
            seen.append(r.headers)
        after = time.time()
        remaining = [int(h["X-RateLimit-Remaining"]) for h in seen]
        # Decreasing (the burst refills 1.67 a second, so two steps may rarely round equal).
        assert remaining == sorted(remaining, reverse=True) and remaining[0] > remaining[-1]
        assert remaining[0] < int(seen[0]["X-RateLimit-Limit"])
        assert all(h["X-RateLimit-Limit"] in ("100", "1000") for h in seen)
        for h in seen:
            assert before < int(h["X-RateLimit-Reset"]) <= after + 3600 + 2


def test_exceeding_the_burst_is_429_with_retry_after(tmp_path):
    with limited_server(tmp_path, "--rate-burst", "3/min") as srv:
        client = fresh_v1(srv)
        for _ in range(3):
            assert client.get("/contacts").status_code == 200
        r = client.get("/contacts")
        assert_v1_error(r, 429, "RATE_LIMIT_EXCEEDED")
        assert int(r.headers["Retry-After"]) >= 1


# --- the native API's view ---------------------------------------------------------------------

def test_a_v1_contact_reads_on_the_native_api(org):
    company = org.company()
    email = unique_email("ada")
    created = org.admin.create(name="Ada Lovelace", displayName="Ada", email=email,
                               parentEntityId=company["uid"], status="inactive",
                               metadata={"title": "Analyst", "department": "Engines"})
    native = native_contact(org.tenant, email, created["id"])
    assert native["full_name"] == "Ada Lovelace"
    assert native["display_name"] == "Ada"
    assert native["email"] == email
    assert (native["title"], native["department"]) == ("Analyst", "Engines")
    assert native["status"] == "inactive"
    assert native["company_id"] == company["id"]


def test_a_native_contact_reads_on_v1(org):
    company = org.company()
    native = org.tenant.admin.contact(company["id"], first_name="Grace", last_name="Hopper",
                                      email="grace@navy.mil", title="Rear Admiral")
    got = org.viewer.read(native["uid"])
    assert set(got) == CONTACT_KEYS
    assert got["id"] == native["uid"] and got["organizationId"] == org.uid
    assert got["name"] == "Grace Hopper"
    assert got["email"] == "grace@navy.mil"
    assert got["metadata"]["title"] == "Rear Admiral"
    assert got["parentEntityId"] == company["uid"]
    assert got["entityTypes"] == ["Contact"] and got["primaryContactId"] is None


# --- the seed's Python example -----------------------------------------------------------------

def test_the_seeds_python_example_runs_as_written(server, capsys):
    account = server.account()
    token = server.token(account["id"], "admin")
    base_url = f"{server.url}/api/v1"
    headers = {
        'Authorization': f'Bearer {token}',
        'Content-Type': 'application/json'
    }

    # Create a contact
    def create_contact(contact_data):
        response = requests.post(
            f'{base_url}/contacts',
            headers=headers,
            json=contact_data
        )
        response.raise_for_status()
        return response.json()

    # List contacts with filters
    def list_contacts(page=1, limit=20, status='active', search=None):
        params = {
            'page': page,
            'limit': limit,
            'status': status
        }
        if search:
            params['search'] = search
        response = requests.get(
            f'{base_url}/contacts',
            headers=headers,
            params=params
        )
        response.raise_for_status()
        return response.json()

    # Get contact hierarchy
    def get_contact_hierarchy():
        response = requests.get(
            f'{base_url}/contacts/hierarchy',
            headers=headers
        )
        response.raise_for_status()
        return response.json()

    # Set primary contact for company
    def set_primary_contact(contact_id, company_id):
        response = requests.post(
            f'{base_url}/contacts/{contact_id}/set-primary/{company_id}',
            headers=headers
        )
        response.raise_for_status()
        return response.json()

    # Example usage
    new_contact = create_contact({
        'name': 'Jane Doe',
        'email': 'jane.doe@example.com',
        'entityTypes': ['Contact'],
        'phone': '555-987-6543',
        'metadata': {
            'title': 'Product Manager',
            'department': 'Product',
            'preferredContactMethod': 'email'
        }
    })
    print(f"Created contact: {new_contact['id']}")

    # List all active contacts
    contacts = list_contacts(status='active')
    print(f"Found {contacts['total']} active contacts")

    out = capsys.readouterr().out.splitlines()
    created_line = out[0]
    assert created_line.startswith("Created contact: ")
    assert UUID.match(created_line[len("Created contact: "):])
    assert out[1] == "Found 1 active contacts"
    assert contacts["data"][0]["id"] == new_contact["id"]
    assert new_contact["phone"] == "555-987-6543"

    # The other two functions, as written (set-primary sends the JSON Content-Type, no body).
    assert get_contact_hierarchy() == {}
    company = Client(server, token).company("Example Co")
    member = create_contact({'name': 'Sam Lead', 'email': 'sam.lead@example.com',
                             'parentEntityId': company['uid']})
    result = set_primary_contact(member['id'], company['uid'])
    assert result['company'] == {'id': company['uid'], 'name': 'Example Co',
                                 'primaryContactId': member['id']}


def test_without_order_by_the_list_is_in_creation_order(org):
    made = [org.admin.create(name=n)["id"] for n in ("Zed Last", "Amy First", "Kim Mid")]
    in_order = lambda body: [c["id"] for c in body["data"]]
    assert in_order(org.viewer.page()) == made
    assert in_order(org.viewer.page(orderDirection="desc")) == made[::-1]
    assert in_order(org.viewer.page(page=2, limit=1)) == made[1:2]


def test_a_contact_read_can_be_written_back_unchanged(org):
    company = org.company()
    created = org.admin.create(**seed_create_body(company["uid"]))
    again = org.admin.update(created["id"], created)
    assert stripped(again) == stripped(created)
    assert again["address"]["id"] == created["address"]["id"]


def test_put_moves_a_contact_to_another_company_and_its_former_loses_it_as_primary(org):
    first, second = org.company("First Co"), org.company("Second Harbor Co")
    created = org.admin.create(name="Mover", parentEntityId=first["uid"])
    r = org.admin.post(f"/contacts/{created['id']}/set-primary/{first['uid']}")
    assert r.status_code == 200, r.text
    moved = org.admin.update(created["id"], {"parentEntityId": second["uid"]})
    assert moved["parentEntityId"] == second["uid"]
    assert org.viewer.read(created["id"])["parentEntityId"] == second["uid"]
    native = org.tenant.admin.get(f"/companies/{first['id']}").json()["data"]
    assert native["primary_contact_id"] is None
    assert [c["id"] for c in org.viewer.page(f"/contacts/company/{second['uid']}")["data"]] == [
        created["id"]]
    assert org.viewer.page(f"/contacts/company/{first['uid']}")["data"] == []
    # Found by its new company's name, no longer by the former's.
    assert created["id"] in ids(org.viewer.page(search="Harbor"))
    events = org.tenant.admin.get("/events").json()["data"]
    assert any(e["type"] == "company.updated" and e["data"]["id"] == first["id"] and
               e["previous"] == {"primary_contact_id": native_id(org, created["id"])}
               for e in events), events
    # Another organization's company, or none at all, is no company to move to.
    r = org.admin.put(f"/contacts/{created['id']}",
                      {"parentEntityId": "00000000-0000-4000-8000-000000000000"})
    assert_v1_error(r, 404, "COMPANY_NOT_FOUND")
    alone = org.admin.update(created["id"], {"parentEntityId": None})
    assert alone["parentEntityId"] is None


def native_id(org, uid):
    r = org.tenant.admin.get("/contacts", params={"is_connected": "all", "limit": 200})
    return next(c["id"] for c in r.json()["data"] if c["uid"] == uid)



def own_editor(org):
    """An editor of the org who sees only the contacts it owns (seed 002's visibility)."""
    r = org.tenant.admin.post("/users", {"role": "editor", "visibility": "own"})
    assert r.status_code == 201, r.text
    r = org.tenant.admin.post(f"/users/{r.json()['data']['id']}/tokens", {})
    assert r.status_code == 201, r.text
    return V1(org.server, r.json()["data"]["token"])


def test_a_contact_an_own_user_does_not_see_is_missing_whatever_the_request(org):
    company = org.company()
    hidden = org.admin.create(name="Hidden Person", parentEntityId=company["uid"])
    missing = "00000000-0000-4000-8000-000000000000"
    editor = own_editor(org)
    mine = editor.create(name="Mine")
    for contact_id in (hidden["id"], missing):
        assert_v1_error(editor.get(f"/contacts/{contact_id}"), 404, "CONTACT_NOT_FOUND")
        # A bad body does not tell a hidden contact from a missing one.
        assert_v1_error(editor.put(f"/contacts/{contact_id}", {"email": "bad"}), 404,
                        "CONTACT_NOT_FOUND")
        assert_v1_error(editor.delete(f"/contacts/{contact_id}"), 404, "CONTACT_NOT_FOUND")
        # A parameter the route does not take is refused before the contact is looked up: the
        # same answer for both.
        assert_v1_error(editor.delete(f"/contacts/{contact_id}", params={"x": "1"}), 400,
                        "VALIDATION_ERROR", ["x"])
        assert_v1_error(editor.post(f"/contacts/{contact_id}/set-primary/{missing}"), 404,
                        "CONTACT_NOT_FOUND")
    assert [c["id"] for c in editor.page()["data"]] == [mine["id"]]
    assert org.viewer.read(hidden["id"])["name"] == "Hidden Person"


def test_a_contact_with_two_work_numbers_keeps_both_when_written_back(org):
    created = org.admin.create(name="Two Works", metadata={"workPhone": "(202) 555-0100"})
    r = org.tenant.admin.get("/contacts", params={"is_connected": "all", "search": "Two Works"})
    native_id = [c["id"] for c in r.json()["data"] if c["uid"] == created["id"]][0]
    phones = [{"raw": "(202) 555-0100", "type": "work"}, {"raw": "(202) 555-0199", "type": "work"},
              {"raw": "(202) 555-0142", "type": "office"}]
    r = org.tenant.admin.patch(f"/contacts/{native_id}", {"phones": phones})
    assert r.status_code == 200, r.text
    shown = org.viewer.read(created["id"])
    assert shown["phone"] is None  # an office number is not the main one
    again = org.admin.update(created["id"], shown)
    assert again["metadata"]["workPhone"] == "(202) 555-0100"
    r = org.tenant.admin.get(f"/contacts/{native_id}")
    assert [p["raw"] for p in r.json()["data"]["phones"]] == [p["raw"] for p in phones]


@pytest.mark.parametrize("name", ["", "   ", None])
def test_a_blank_name_is_400_on_create_and_update(org, name):
    assert_v1_error(org.admin.post("/contacts", {"name": name}), 400, "VALIDATION_ERROR", ["name"])
    created = org.admin.create(name="Named")
    r = org.admin.put(f"/contacts/{created['id']}", {"name": name})
    assert_v1_error(r, 400, "VALIDATION_ERROR", ["name"])
    assert org.viewer.read(created["id"])["name"] == "Named"


def test_a_refused_write_defines_no_custom_field(org):
    r = org.admin.post("/contacts", {"name": "Refused", "email": "not-an-email",
                                     "customFields": {"neverDefined": "x"}})
    assert_v1_error(r, 400, "VALIDATION_ERROR", ["email"])
    keys = [f["key"] for f in org.tenant.admin.get("/custom-fields").json()["data"]]
    assert "neverDefined" not in keys


# --- the seed's JavaScript example -------------------------------------------------------------

SEED_JS = r"""
// Using fetch API
const baseUrl = '__BASE__';
const token = '__TOKEN__';
// Create a contact
async function createContact(contactData) {
const response = await fetch(`${baseUrl}/contacts`, {
method: 'POST',
headers: {
'Authorization': `Bearer ${token}`,
'Content-Type': 'application/json'
},
body: JSON.stringify(contactData)
});
if (!response.ok) {
throw new Error(`Error: ${response.status}`);
}
return response.json();
}
// List contacts for a company
async function getCompanyContacts(companyId) {
const response = await fetch(`${baseUrl}/contacts/company/${companyId}`, {
headers: {
'Authorization': `Bearer ${token}`
}
});
if (!response.ok) {
throw new Error(`Error: ${response.status}`);
}
return response.json();
}
// Update contact
async function updateContact(contactId, updates) {
const response = await fetch(`${baseUrl}/contacts/${contactId}`, {
method: 'PUT',
headers: {
'Authorization': `Bearer ${token}`,
'Content-Type': 'application/json'
},
body: JSON.stringify(updates)
});
if (!response.ok) {
throw new Error(`Error: ${response.status}`);
}
return response.json();
}
// Example usage
const newContact = await createContact({
name: 'John Smith',
email: 'john.smith@acme.com',
entityTypes: ['Contact'],
parentEntityId: 'd45f8e21-3ab2-4389-9e0d-9c12654b8e7a',
metadata: {
title: 'Sales Director',
department: 'Sales',
preferredContactMethod: 'email'
}
});
console.log('Created contact:', newContact);
"""

# What the test adds after the seed's code: its other two functions, and the results as JSON.
JS_AFTER = r"""
const listed = await getCompanyContacts(newContact.parentEntityId);
const updated = await updateContact(newContact.id, {displayName: 'Johnny'});
console.log('RESULT ' + JSON.stringify({newContact, listed, updated}));
"""


def test_the_seeds_javascript_example_runs_in_node(server, tmp_path):
    """The seed's fetch code as printed (Node's fetch), with the base URL, the token and the
    example's company UUID replaced by this server's, this account's token and a real company."""
    account = server.account()
    token = server.token(account["id"], "admin")
    company = Client(server, token).company("Acme Corporation")
    code = (SEED_JS.replace("__BASE__", f"{server.url}/api/v1").replace("__TOKEN__", token)
            .replace("d45f8e21-3ab2-4389-9e0d-9c12654b8e7a", company["uid"]))
    script = tmp_path / "seed_example.mjs"  # top-level await: an ES module
    script.write_text(code + JS_AFTER)
    out = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "Created contact:" in out.stdout
    result = json.loads(out.stdout.split("RESULT ", 1)[1])
    created = result["newContact"]
    assert created["name"] == "John Smith" and created["parentEntityId"] == company["uid"]
    assert created["metadata"]["department"] == "Sales"
    assert [c["id"] for c in result["listed"]["data"]] == [created["id"]]
    assert result["updated"]["displayName"] == "Johnny"
    assert result["updated"]["metadata"]["title"] == "Sales Director"

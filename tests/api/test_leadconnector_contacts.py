"""Seed 004's HighLevel (LeadConnector) Contacts API under /compat/leadconnector, black-box over
HTTP.

Proves: the seed's curl create replayed byte for byte (its locationId the account's uid) answers
the seed's example response member for member and in its order, and the scraped
`[email protected]` text is refused with nothing stored; every request needs a Version header
(2021-07-28 or 2023-02-21) after its Bearer token; errors have NestJS's {statusCode, message,
error} shape (a list of field messages on 422, in the seed's camelCase names); locationId is
the account's uid (422 missing, 403 another, before any field is checked); create needs an email
or a phone, refuses unknown and unsupported members and bad values naming them with nothing
stored, reads every date form and phones in the body's country or the account's; names derive
unless sent, companyName finds or makes one native company, assignedTo is a user of the
account, dndSettings and customFields (by id or key) round-trip and reach the native API; GET
has ETags (304), PUT changes only what it is sent (412 on a stale If-Match), DELETE is
restorable natively; upsert matches email case-insensitively before phone, the oldest first, and
answers its traceId; search filters every field with every operator, groups, sorts, pages and
full-text queries; the deprecated list pages through its nextPageUrl; the duplicate lookup picks
email before number; tags are added and removed case-insensitively within their limits;
readonly/write scopes (401), roles (403), `own` visibility and other accounts (404) hold on every
path; duplicates refused by the account's setting are 400; idempotency keys replay and rate
limits answer 429 in the same shape, as do requests over a size limit (413, 414, 431); a bad
filter value or sort is 422 naming the filter in the seed's terms.
"""
import json
import re
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
import requests

from conftest import Client

BASE = "/compat/leadconnector"
VERSION = "2021-07-28"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$")
REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
           405: "Method Not Allowed", 412: "Precondition Failed", 413: "Payload Too Large",
           414: "URI Too Long", 415: "Unsupported Media Type",
           422: "Unprocessable Entity", 429: "Too Many Requests",
           431: "Request Header Fields Too Large"}
NOT_FOUND = {"statusCode": 404, "message": "Contact not found", "error": "Not Found"}
WRONG_LOCATION = {"statusCode": 403, "message": "The token does not have access to this location.",
                  "error": "Forbidden"}
NO_SCOPE = {"statusCode": 401, "message": "The token is not authorized for this scope.",
            "error": "Unauthorized"}
UNAUTHENTICATED = {"statusCode": 401, "message": "Authentication required", "error": "Unauthorized"}
NEEDS_EMAIL_OR_PHONE = "email or phone is required: a contact needs at least one of them"
DOB_MESSAGE = ("dateOfBirth must be a date: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYY_MM_DD, "
               "MM-DD-YYYY, MM/DD/YYYY, MM.DD.YYYY or MM_DD_YYYY")
# Every member of a contact, in the order the API writes them.
CONTACT_KEYS = ["id", "firstName", "lastName", "name", "email", "phone", "locationId", "tags",
                "source", "companyName", "address1", "city", "state", "postalCode", "country",
                "timezone", "website", "dateOfBirth", "dnd", "dndSettings", "customFields",
                "assignedTo", "dateAdded", "dateUpdated"]

# --- the seed ------------------------------------------------------------------------------------

SEED_LOCATION = "ve9EPM428h8vShlRW1KT"
# The seed's -d text exactly, but for the e-mail address its page scrape hid.
SEED_BODY = """{
    "firstName": "Jane",
    "lastName": "Smith",
    "email": "jane@smithco.com",
    "phone": "+15551234567",
    "locationId": "ve9EPM428h8vShlRW1KT",
    "tags": ["new-lead", "website"],
    "source": "api",
    "companyName": "Smith Co",
    "address1": "456 Oak Ave",
    "city": "Austin",
    "state": "TX",
    "postalCode": "78702",
    "country": "US",
    "timezone": "America/Chicago"
  }"""
# What the seed's page shows for it: Cloudflare's e-mail obfuscation (with a no-break space).
SCRAPED_EMAIL = "[email\u00a0protected]"
# The seed's example response, member for member, in its order.
SEED_RESPONSE = {
    "id": "ocQHyuzHvuMOe5N5jjXF", "firstName": "Jane", "lastName": "Smith", "name": "Jane Smith",
    "email": "jane@smithco.com", "phone": "+15551234567", "locationId": "ve9EPM428h8vShlRW1KT",
    "tags": ["new-lead", "website"], "source": "api", "companyName": "Smith Co",
    "address1": "456 Oak Ave", "city": "Austin", "state": "TX", "postalCode": "78702",
    "country": "US", "timezone": "America/Chicago", "dateAdded": "2024-06-15T10:00:00.000Z",
    "dateUpdated": "2024-06-15T10:00:00.000Z"}


class LeadConnector:
    """A requests session speaking to /compat/leadconnector as HighLevel's clients do: a Bearer
    token, a Version header and Content-Type: application/json on every request."""

    def __init__(self, server, token, location, version=VERSION):
        self.server = server
        self.location = location
        self.session = requests.Session()
        self.session.headers["Content-Type"] = "application/json"
        if version is not None:
            self.session.headers["Version"] = version
        if token is not None:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def request(self, method, path, body=None, **kw):
        if body is not None:
            text = body if isinstance(body, (str, bytes)) else json.dumps(body)
            kw["data"] = text.encode() if isinstance(text, str) else text
        return self.session.request(method, self.server.url + BASE + path, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body, **kw):
        return self.request("PUT", path, body, **kw)

    def delete(self, path, body=None, **kw):
        return self.request("DELETE", path, body, **kw)

    def create(self, **fields):
        r = self.post("/contacts/", {"locationId": self.location, **fields})
        assert r.status_code == 201, r.text
        return r.json()["contact"]

    def read(self, contact_id):
        r = self.get(f"/contacts/{contact_id}")
        assert r.status_code == 200, r.text
        return r.json()["contact"]

    def search(self, **body):
        r = self.post("/contacts/search", {"locationId": self.location, **body})
        assert r.status_code == 200, r.text
        return r.json()

    def ids(self, **body):
        found = self.search(**body)
        return [c["id"] for c in found["contacts"]]

    def total(self):
        return self.search(pageLimit=1)["total"]


class Account:
    """A fresh account (the `tenant` fixture's): its admin on both APIs, its viewer and editor
    here, and helpers for users, scoped tokens, custom fields and settings."""

    def __init__(self, tenant):
        self.server = tenant.server
        self.id = tenant.account["id"]
        self.uid = tenant.account["uid"]
        self.native = tenant.admin
        self.lc = LeadConnector(self.server, tenant.admin.token, self.uid)
        self.viewer = LeadConnector(self.server, tenant.viewer.token, self.uid)
        self.editor = LeadConnector(self.server, tenant.editor.token, self.uid)
        self.user_id = self.native.get("/me").json()["data"]["id"]

    def make(self, path, **body):
        r = self.native.post(path, body)
        assert r.status_code == 201, r.text
        return r.json()["data"]

    def user(self, visibility="own"):
        user = self.make("/users", role="editor", visibility=visibility)
        token = self.make(f"/users/{user['id']}/tokens")["token"]
        return SimpleNamespace(id=user["id"], lc=LeadConnector(self.server, token, self.uid),
                               native=Client(self.server, token))

    def scoped(self, *scopes):
        token = self.make(f"/users/{self.user_id}/tokens", scopes=list(scopes))["token"]
        return LeadConnector(self.server, token, self.uid)

    def field(self, key, data_type):
        return self.make("/custom-fields", key=key, name=key.title(), data_type=data_type)

    def settings(self, **body):
        r = self.native.patch("/settings", body)
        assert r.status_code == 200, r.text

    def native_contact(self, contact_id):
        r = self.native.get(f"/contacts/{contact_id}")
        assert r.status_code == 200, r.text
        return r.json()["data"]


@pytest.fixture
def acct(tenant):
    return Account(tenant)


def assert_lc_error(r, status, message):
    """NestJS's error body, exactly: {statusCode, message, error}."""
    assert r.status_code == status, r.text
    assert r.json() == {"statusCode": status, "message": message, "error": REASONS[status]}


def ms(timestamp):
    """A contact's `...T10:00:00.000Z` time in milliseconds since the epoch."""
    moment = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S.000Z").replace(tzinfo=timezone.utc)
    return int(moment.timestamp()) * 1000


def by_id(values):
    """customFields entries in the order of their definitions' ids (the API's order is not the
    seed's to say)."""
    return sorted(values, key=lambda entry: int(entry["id"]))


def F(field, operator, value=None):
    """One search filter."""
    return {"field": field, "operator": operator, **({} if value is None else {"value": value})}


# --- the seed replayed ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed(server):
    """The account whose uid is the seed's locationId (uids are unique: made once), its token
    and a client for it."""
    made = server.cli("accounts", "create", "--name", "HighLevel seed", "--uid", SEED_LOCATION)
    account = json.loads(made.stdout)
    assert account["uid"] == SEED_LOCATION
    token = server.token(account["id"])
    return SimpleNamespace(account=account, token=token,
                           lc=LeadConnector(server, token, SEED_LOCATION))


def seed_post(server, token, body):
    """The seed's curl request: its three headers and its body's bytes."""
    return requests.post(server.url + BASE + "/contacts/", data=body.encode(),
                         headers={"Authorization": f"Bearer {token}", "Version": "2021-07-28",
                                  "Content-Type": "application/json"})


def test_the_seed_create_replayed_verbatim_answers_the_seed_example(server, seed):
    r = seed_post(server, seed.token, SEED_BODY)
    assert r.status_code == 201, r.text
    assert list(r.json()) == ["contact"]
    contact = r.json()["contact"]
    for key, value in SEED_RESPONSE.items():
        if key == "id":
            assert isinstance(contact["id"], str) and contact["id"], contact
        elif key in ("dateAdded", "dateUpdated"):
            assert TIMESTAMP.match(contact[key]), contact
        else:
            assert contact[key] == value, key
    assert contact["dateAdded"] == contact["dateUpdated"]
    seed_keys = list(SEED_RESPONSE)
    assert list(contact)[:16] == seed_keys[:16]
    assert [key for key in contact if key in SEED_RESPONSE] == seed_keys
    # Nothing else but the members every contact has.
    assert contact == {**SEED_RESPONSE, "id": contact["id"], "dnd": False, "customFields": [],
                       "dateAdded": contact["dateAdded"], "dateUpdated": contact["dateAdded"]}
    assert seed.lc.read(contact["id"]) == contact


def test_the_scraped_seed_email_is_422_and_nothing_is_stored(server, seed):
    before = seed.lc.total()
    r = seed_post(server, seed.token, SEED_BODY.replace("jane@smithco.com", SCRAPED_EMAIL))
    assert r.status_code == 422, r.text
    assert "email must be a valid email address" in r.json()["message"]
    assert r.json() == {"statusCode": 422, "message": ["email must be a valid email address"],
                        "error": "Unprocessable Entity"}
    assert seed.lc.total() == before


# --- headers and authentication ------------------------------------------------------------------

ENDPOINTS = [("GET", "/contacts/1", None), ("POST", "/contacts/", {"email": "a@example.com"}),
             ("POST", "/contacts/search", {}), ("DELETE", "/contacts/1", None)]


def test_a_missing_version_header_is_400_on_every_endpoint(acct):
    contact = acct.lc.create(email="kept@example.com")
    unversioned = LeadConnector(acct.server, acct.native.token, acct.uid, version=None)
    for method, path, body in ENDPOINTS:
        path = path.replace("/1", f"/{contact['id']}")
        body = None if body is None else {"locationId": acct.uid, **body}
        assert_lc_error(unversioned.request(method, path, body), 400,
                        "Version header was not found")
    assert acct.lc.total() == 1 and acct.lc.read(contact["id"]) == contact


def test_an_unknown_version_is_400_quoting_it(acct):
    for version in ("2021-07-29", "v1"):
        other = LeadConnector(acct.server, acct.native.token, acct.uid, version=version)
        r = other.post("/contacts/", {"locationId": acct.uid, "email": "a@example.com"})
        assert_lc_error(r, 400, f"Version header is invalid: '{version}'; use 2021-07-28 or "
                                "2023-02-21")
    assert acct.lc.total() == 0


def test_both_versions_are_served(acct):
    for version in ("2021-07-28", "2023-02-21"):
        client = LeadConnector(acct.server, acct.native.token, acct.uid, version=version)
        created = client.create(email=f"{version}@example.com")
        assert client.read(created["id"]) == created
        assert client.search(filters=[F("id", "eq", created["id"])])["total"] == 1
    assert acct.lc.total() == 2


def test_authentication_is_checked_before_the_version_header(acct):
    contact = acct.lc.create(email="kept@example.com")
    for token in (None, "not-a-token"):
        for version in (None, VERSION):
            client = LeadConnector(acct.server, token, acct.uid, version=version)
            for r in (client.get(f"/contacts/{contact['id']}"),
                      client.post("/contacts/", {"locationId": acct.uid, "email": "x@example.com"}),
                      client.delete(f"/contacts/{contact['id']}")):
                assert r.status_code == 401 and r.json() == UNAUTHENTICATED, r.text
    assert acct.lc.total() == 1 and acct.lc.read(contact["id"]) == contact


def test_get_and_delete_without_a_body_take_a_json_content_type(acct):
    contact = acct.lc.create(email="ada@example.com")
    path = f"{acct.server.url}{BASE}/contacts/{contact['id']}"
    headers = dict(acct.lc.session.headers)
    assert headers["Content-Type"] == "application/json"
    r = requests.get(path, headers=headers)
    assert r.status_code == 200 and r.json() == {"contact": contact}, r.text
    r = requests.delete(path, headers=headers)
    assert r.status_code == 200 and r.json() == {"succeded": True}, r.text


def test_a_non_json_content_type_is_415_and_other_routes_keep_the_shape(acct):
    contact = acct.lc.create(email="ada@example.com")
    r = acct.lc.post("/contacts/", {"locationId": acct.uid, "email": "b@example.com"},
                     headers={"Content-Type": "text/plain"})
    assert_lc_error(r, 415, "Content-Type must be application/json")
    assert_lc_error(acct.lc.request("PATCH", f"/contacts/{contact['id']}", {"city": "Reno"}), 405,
                    "Method PATCH is not allowed on this path; allowed: DELETE, GET, HEAD, PUT")
    # /contacts/search is the search, whatever the method: never the contact whose id is "search".
    assert_lc_error(acct.lc.get("/contacts/search"), 405,
                    "Method GET is not allowed on this path; allowed: POST")
    assert_lc_error(acct.lc.get("/nothing"), 404, f"No such endpoint: {BASE}/nothing")
    assert acct.lc.total() == 1 and acct.lc.read(contact["id"]) == contact


def test_a_body_that_is_not_a_json_object_is_400(acct):
    for raw, message in (("{not json", "Request body is not valid JSON"),
                         ("", "Request body is not valid JSON"),
                         ("[1, 2]", "Request body must be a JSON object"),
                         ('"Jane"', "Request body must be a JSON object")):
        assert_lc_error(acct.lc.post("/contacts/", raw), 400, message)
    assert acct.lc.total() == 0


# --- create --------------------------------------------------------------------------------------

def test_a_minimal_contact_has_only_the_members_with_a_value(acct):
    r = acct.lc.post("/contacts", {"locationId": acct.uid, "email": "ada@example.com"})
    assert r.status_code == 201, r.text
    contact = r.json()["contact"]
    assert list(contact) == ["id", "email", "locationId", "tags", "dnd", "customFields",
                             "dateAdded", "dateUpdated"]
    assert contact == {"id": contact["id"], "email": "ada@example.com", "locationId": acct.uid,
                       "tags": [], "dnd": False, "customFields": [],
                       "dateAdded": contact["dateAdded"], "dateUpdated": contact["dateAdded"]}
    assert contact["id"].isdigit() and TIMESTAMP.match(contact["dateAdded"])
    assert acct.native_contact(contact["id"])["id"] == int(contact["id"])


def test_every_member_round_trips_in_order_and_reaches_the_native_api(acct):
    mate = acct.user("account")
    score, industry = acct.field("score", "number"), acct.field("industry", "text")
    body = {
        "firstName": "Ada", "lastName": "Lovelace", "name": "Countess of Lovelace",
        "email": "ada@example.com", "phone": "(512) 555-0100", "locationId": acct.uid,
        "tags": ["math", "poet"], "source": "referral", "companyName": "Analytical Engines",
        "address1": "12 St James's Sq", "city": "London", "state": "LND",
        "postalCode": "SW1Y 4JH", "country": "US", "timezone": "Europe/London",
        "website": "https://ada.example", "dateOfBirth": "12/10/1815", "dnd": True,
        "dndSettings": {"SMS": {"status": "active", "message": "opted out", "code": "21610"},
                        "Email": {"status": "permanent"}},
        "customFields": [{"id": str(score["id"]), "value": 42},
                         {"key": "contact.industry", "field_value": "Computing"}],
        "assignedTo": str(mate.id)}
    contact = acct.lc.create(**body)
    assert list(contact) == CONTACT_KEYS
    assert by_id(contact["customFields"]) == by_id([
        {"id": str(score["id"]), "value": 42}, {"id": str(industry["id"]), "value": "Computing"}])
    assert contact == {
        **body, "id": contact["id"], "phone": "+15125550100", "dateOfBirth": "1815-12-10",
        "customFields": contact["customFields"],
        "dateAdded": contact["dateAdded"], "dateUpdated": contact["dateAdded"]}
    assert acct.lc.read(contact["id"]) == contact

    native = acct.native_contact(contact["id"])
    assert [p["e164"] for p in native["phones"]] == ["+15125550100"]
    assert native["tags"] == ["math", "poet"]
    assert (native["birthday"], native["timezone"], native["website"]) == (
        "1815-12-10", "Europe/London", "https://ada.example")
    assert native["dnd"] is True and native["dnd_settings"] == {
        "sms": {"status": "active", "message": "opted out", "code": "21610"},
        "email": {"status": "permanent"}}
    assert native["custom_fields"] == {"score": 42, "industry": "Computing"}
    assert (native["assigned_user_id"], native["owner_user_id"]) == (mate.id, acct.user_id)
    assert (native["first_name"], native["full_name"]) == ("Ada", "Countess of Lovelace")
    company = acct.native.get(f"/companies/{native['company_id']}").json()["data"]
    assert company["name"] == "Analytical Engines"


def test_the_trailing_slash_is_optional(acct):
    for path, phone in (("/contacts", "+15125550100"), ("/contacts/", "+15125550101")):
        r = acct.lc.post(path, {"locationId": acct.uid, "phone": phone})
        assert r.status_code == 201, r.text
        assert acct.lc.read(r.json()["contact"]["id"])["phone"] == phone
    assert acct.lc.total() == 2


def test_create_needs_an_email_or_a_phone(acct):
    for body in ({}, {"email": ""}, {"email": "   ", "phone": ""},
                 {"firstName": "Ada", "email": None}):
        r = acct.lc.post("/contacts/", {"locationId": acct.uid, **body})
        assert_lc_error(r, 422, [NEEDS_EMAIL_OR_PHONE])
    assert acct.lc.total() == 0


def test_a_missing_location_id_is_422_among_the_other_messages(acct):
    assert_lc_error(acct.lc.post("/contacts/", {"email": "ada@example.com"}), 422,
                    ["locationId should not be empty"])
    r = acct.lc.post("/contacts/", {"firstName": "Ada"})
    assert_lc_error(r, 422, ["locationId should not be empty", NEEDS_EMAIL_OR_PHONE])
    assert acct.lc.total() == 0


def test_another_location_is_403_before_the_fields_are_checked(acct, server):
    kept = acct.lc.create(email="kept@example.com")
    other = server.account()["uid"]
    body = {"locationId": other, "email": "not-an-email", "nickname": "Trey"}
    for method, path in (("POST", "/contacts/"), ("POST", "/contacts/upsert"),
                         ("PUT", f"/contacts/{kept['id']}")):
        r = acct.lc.request(method, path, body)
        assert r.status_code == 403 and r.json() == WRONG_LOCATION, (path, r.text)
    r = acct.lc.post("/contacts/search", {"locationId": other, "pageLimit": 0, "nickname": 1})
    assert r.status_code == 403 and r.json() == WRONG_LOCATION, r.text
    assert acct.lc.total() == 1 and acct.lc.read(kept["id"]) == kept


@pytest.mark.parametrize("member, message", [
    ("nickname", "nickname is not a known field"),
    ("gender", "gender is not supported by this server"),
    ("inboundDndSettings", "inboundDndSettings is not supported by this server")])
def test_unknown_and_unsupported_members_are_422(acct, member, message):
    kept = acct.lc.create(email="kept@example.com")
    body = {"email": "ada@example.com", member: {"SMS": {"status": "active"}}}
    assert_lc_error(acct.lc.post("/contacts/", {"locationId": acct.uid, **body}), 422, [message])
    assert_lc_error(acct.lc.put(f"/contacts/{kept['id']}", body), 422, [message])
    assert acct.lc.total() == 1 and acct.lc.read(kept["id"]) == kept


BAD_MEMBERS = [
    ({"email": "bill-at-microsoft"}, "email must be a valid email address"),
    ({"phone": "junk"}, "phone is not a phone number"),
    ({"timezone": "Mars/Olympus"},
     "timezone must be an IANA time zone name such as America/Chicago"),
    ({"country": "XX"}, "country must be an ISO 3166-1 alpha-2 country code such as US"),
    ({"website": "ftp://ada.example"}, "website must be an http or https URL"),
    ({"dateOfBirth": "1990-13-01"}, DOB_MESSAGE),
    ({"dnd": "yes"}, "dnd must be true or false"),
    ({"tags": "vip"}, "tags must be an array of strings"),
    ({"city": "x" * 256}, "city must be at most 255 characters"),
    ({"assignedTo": "abc"}, "assignedTo must be the id of a user of your account"),
    ({"customFields": [{"id": "999999", "value": 1}]},
     "customFields[0].id must be the id of a custom field of this location"),
    ({"dndSettings": {"SMS": {"status": "bogus"}}},
     "dndSettings.SMS.status must be active, inactive or permanent"),
]


@pytest.mark.parametrize("body, message", BAD_MEMBERS, ids=[m.split()[0] for _, m in BAD_MEMBERS])
def test_a_bad_member_is_422_naming_it_and_nothing_is_stored(acct, body, message):
    kept = acct.lc.create(email="kept@example.com", phone="+15125550100")
    r = acct.lc.post("/contacts/", {"locationId": acct.uid, "email": "ada@example.com", **body})
    assert_lc_error(r, 422, [message])
    assert_lc_error(acct.lc.put(f"/contacts/{kept['id']}", body), 422, [message])
    assert acct.lc.total() == 1 and acct.lc.read(kept["id"]) == kept


def test_date_of_birth_takes_every_documented_form(acct):
    for written in ("1990/05/17", "05/17/1990", "1990-05-17", "05-17-1990", "1990.05.17",
                    "05.17.1990", "1990_05_17", "05_17_1990"):
        contact = acct.lc.create(email="ada@example.com", dateOfBirth=written)
        assert contact["dateOfBirth"] == "1990-05-17", written
        assert acct.native_contact(contact["id"])["birthday"] == "1990-05-17", written


def test_phones_are_e164_read_in_the_body_country(acct):
    for phone, country, e164 in (("+15551234567", None, "+15551234567"),  # merely possible
                                 ("(512) 555-0100", None, "+15125550100"),
                                 ("020 7183 8750", "GB", "+442071838750"),
                                 ("020 7183 8750", "gb", "+442071838750")):
        body = {"phone": phone} if country is None else {"phone": phone, "country": country}
        contact = acct.lc.create(**body)
        assert contact["phone"] == e164, phone
        assert contact.get("country") == (None if country is None else "GB")
        assert [p["e164"] for p in acct.native_contact(contact["id"])["phones"]] == [e164]


def test_a_national_number_is_read_in_the_account_default_country(acct):
    body = {"locationId": acct.uid, "phone": "020 7183 8750"}
    assert_lc_error(acct.lc.post("/contacts/", body), 422, ["phone is not a valid phone number"])
    acct.settings(default_country="GB")
    contact = acct.lc.create(phone="020 7183 8750")
    assert contact["phone"] == "+442071838750" and "country" not in contact
    contact = acct.lc.create(phone="(512) 555-0100", country="US")
    assert contact["phone"] == "+15125550100"


def test_the_name_derives_from_first_and_last_unless_sent(acct):
    contact = acct.lc.create(email="ada@example.com", firstName="Ada", lastName="Lovelace")
    assert contact["name"] == "Ada Lovelace"
    path = f"/contacts/{contact['id']}"
    r = acct.lc.put(path, {"firstName": "Augusta"})
    assert r.status_code == 200 and r.json()["contact"]["name"] == "Augusta Lovelace", r.text
    r = acct.lc.put(path, {"name": "Countess"})
    assert r.status_code == 200 and r.json()["contact"]["name"] == "Countess", r.text
    r = acct.lc.put(path, {"firstName": "Ada"})
    assert r.status_code == 200, r.text
    assert (r.json()["contact"]["firstName"], r.json()["contact"]["name"]) == ("Ada", "Countess")
    r = acct.lc.put(path, {"name": None})
    assert r.status_code == 200 and r.json()["contact"]["name"] == "Ada Lovelace", r.text
    only_last = acct.lc.create(email="b@example.com", lastName="Byron")
    assert (only_last["name"], "firstName" in only_last) == ("Byron", False)


def test_company_name_finds_the_company_case_insensitively_or_creates_one(acct):
    smith = acct.native.company("Smith Co")
    jane = acct.lc.create(email="jane@example.com", companyName="SMITH CO")
    assert jane["companyName"] == "Smith Co"
    assert acct.native_contact(jane["id"])["company_id"] == smith["id"]
    bob = acct.lc.create(email="bob@example.com", companyName="Jones LLC")
    assert bob["companyName"] == "Jones LLC"
    jones = acct.native_contact(bob["id"])["company_id"]
    assert jones not in (None, smith["id"])
    assert acct.native.get(f"/companies/{jones}").json()["data"]["name"] == "Jones LLC"
    again = acct.lc.create(email="amy@example.com", companyName="jones llc")
    assert acct.native_contact(again["id"])["company_id"] == jones
    assert len(acct.native.get("/companies").json()["data"]) == 2
    r = acct.lc.put(f"/contacts/{bob['id']}", {"companyName": None})
    assert r.status_code == 200 and "companyName" not in r.json()["contact"], r.text
    assert acct.native_contact(bob["id"])["company_id"] is None


def test_assigned_to_is_a_user_of_the_account(acct, server):
    mate = acct.user("account")
    contact = acct.lc.create(email="ada@example.com", assignedTo=str(mate.id))
    assert contact["assignedTo"] == str(mate.id)
    path = f"/contacts/{contact['id']}"
    foreign = Account(server.tenant()).user_id
    for bad in (str(foreign), "999999999"):
        body = {"locationId": acct.uid, "email": "b@example.com", "assignedTo": bad}
        message = ["assignedTo must be the id of a user of your account"]
        assert_lc_error(acct.lc.post("/contacts/", body), 422, message)
        assert_lc_error(acct.lc.put(path, {"assignedTo": bad}), 422, message)
    assert acct.lc.total() == 1 and acct.lc.read(contact["id"]) == contact
    r = acct.lc.put(path, {"assignedTo": None})
    assert r.status_code == 200 and "assignedTo" not in r.json()["contact"], r.text
    assert acct.native_contact(contact["id"])["assigned_user_id"] is None


def test_dnd_settings_are_replaced_when_sent_and_cleared_by_an_empty_object(acct):
    contact = acct.lc.create(email="ada@example.com", dnd=False,
                             dndSettings={"Call": {"status": "inactive"}})
    assert contact["dnd"] is False and contact["dndSettings"] == {"Call": {"status": "inactive"}}
    path = f"/contacts/{contact['id']}"
    every = {channel: {"status": "active"} for channel in
             ("Call", "Email", "SMS", "WhatsApp", "GMB", "FB")}
    r = acct.lc.put(path, {"dndSettings": every, "dnd": True})
    assert r.status_code == 200, r.text
    assert r.json()["contact"]["dndSettings"] == every and r.json()["contact"]["dnd"] is True
    native = acct.native_contact(contact["id"])["dnd_settings"]
    assert native == {c: {"status": "active"} for c in
                      ("call", "email", "sms", "whatsapp", "gmb", "fb")}
    r = acct.lc.put(path, {"dndSettings": {}})
    assert r.status_code == 200 and "dndSettings" not in r.json()["contact"], r.text
    assert acct.native_contact(contact["id"])["dnd_settings"] == {}
    assert acct.lc.read(contact["id"])["dnd"] is True


def test_custom_fields_by_id_or_key_and_null_removes_one(acct):
    score, industry = acct.field("score", "number"), acct.field("industry", "text")
    contact = acct.lc.create(email="ada@example.com",
                             customFields=[{"key": "score", "value": 7},
                                           {"id": int(industry["id"]), "value": "Retail"}])
    assert by_id(contact["customFields"]) == by_id([
        {"id": str(score["id"]), "value": 7}, {"id": str(industry["id"]), "value": "Retail"}])
    path = f"/contacts/{contact['id']}"
    r = acct.lc.put(path, {"customFields": [{"id": str(score["id"]), "value": None}]})
    assert r.status_code == 200, r.text
    assert r.json()["contact"]["customFields"] == [{"id": str(industry["id"]), "value": "Retail"}]
    assert acct.native_contact(contact["id"])["custom_fields"] == {"industry": "Retail"}
    kept = acct.lc.read(contact["id"])
    r = acct.lc.put(path, {"customFields": [{"key": "score", "value": "many"}]})
    assert_lc_error(r, 422, ["customFields.score must be a number"])
    assert acct.lc.read(contact["id"]) == kept


def test_tags_on_create_are_trimmed_and_deduplicated_case_insensitively(acct):
    contact = acct.lc.create(email="ada@example.com", tags=["VIP", "vip", " buyer ", "Buyer"])
    assert contact["tags"] == ["VIP", "buyer"]
    assert acct.native_contact(contact["id"])["tags"] == ["VIP", "buyer"]
    body = {"locationId": acct.uid, "email": "b@example.com",
            "tags": [f"t{i}" for i in range(101)]}
    assert_lc_error(acct.lc.post("/contacts/", body), 422, ["tags holds at most 100 strings"])
    assert acct.lc.total() == 1


@pytest.mark.parametrize("member", ["email", "phone"])
def test_a_refused_duplicate_is_400_naming_the_existing_contact(acct, member):
    first = acct.lc.create(email="dup@example.com", phone="+15125550100")
    acct.settings(duplicate_contacts="reject")
    body = {"email": "DUP@example.com"} if member == "email" else {"phone": "512-555-0100"}
    r = acct.lc.post("/contacts/", {"locationId": acct.uid, **body})
    assert_lc_error(r, 400, "This account does not allow duplicate contacts; it already has "
                            f"contact {first['id']}")
    assert acct.lc.total() == 1
    assert acct.lc.create(email="new@example.com")["email"] == "new@example.com"


# --- get, put, delete ----------------------------------------------------------------------------

def test_a_get_takes_no_query_parameters(acct):
    contact = acct.lc.create(email="ada@example.com")
    for query in ("?locationId=" + acct.uid, "?fields=email"):
        assert_lc_error(acct.lc.get(f"/contacts/{contact['id']}{query}"), 400,
                        "This request takes no query parameters")


def test_an_id_that_is_no_contact_of_the_caller_is_404_on_every_path(acct, server):
    mine = acct.lc.create(email="ada@example.com", tags=["kept"])
    theirs = Account(server.tenant()).lc.create(email="eve@example.com", tags=["kept"])
    for contact_id in ("abc", "999999999", "0", theirs["id"]):
        path = f"/contacts/{contact_id}"
        for r in (acct.lc.get(path), acct.lc.put(path, {"firstName": "Eve"}),
                  acct.lc.delete(path), acct.lc.post(path + "/tags", {"tags": ["x"]}),
                  acct.lc.delete(path + "/tags", {"tags": ["kept"]})):
            assert r.status_code == 404 and r.json() == NOT_FOUND, (r.request.method, path)
    assert acct.lc.read(mine["id"]) == mine
    assert acct.lc.ids() == [mine["id"]]


def test_etags_answer_304_until_the_contact_changes(acct):
    contact = acct.lc.create(email="ada@example.com")
    path = f"/contacts/{contact['id']}"
    first = acct.lc.get(path)
    etag = first.headers["ETag"]
    assert re.fullmatch(r'"\d+"', etag), etag
    r = acct.lc.get(path, headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.content == b"" and r.headers["ETag"] == etag
    assert acct.lc.put(path, {"city": "Reno"}).status_code == 200
    r = acct.lc.get(path, headers={"If-None-Match": etag})
    assert r.status_code == 200 and r.json()["contact"]["city"] == "Reno", r.text
    assert r.headers["ETag"] != etag


def test_put_changes_only_the_members_sent(acct):
    contact = acct.lc.create(email="ada@example.com", firstName="Ada", lastName="Lovelace",
                             phone="+15125550100", tags=["math"], city="London", dnd=True)
    path = f"/contacts/{contact['id']}"
    r = acct.lc.put(path, {"city": "Paris", "tags": ["poet"], "locationId": acct.uid})
    assert r.status_code == 200, r.text
    assert list(r.json()) == ["succeded", "contact"] and r.json()["succeded"] is True
    updated = r.json()["contact"]
    assert updated == {**contact, "city": "Paris", "tags": ["poet"],
                       "dateUpdated": updated["dateUpdated"]}
    assert TIMESTAMP.match(updated["dateUpdated"])
    assert updated["dateUpdated"] >= contact["dateAdded"]
    assert acct.lc.read(contact["id"]) == updated
    r = acct.lc.put(path, {})
    assert r.status_code == 200 and r.json()["contact"] == acct.lc.read(contact["id"]), r.text
    r = acct.lc.put(path, {"locationId": acct.uid, "createNewIfDuplicateAllowed": False})
    assert_lc_error(r, 422, ["createNewIfDuplicateAllowed is not a known field"])


def test_put_removes_what_is_sent_as_null(acct):
    contact = acct.lc.create(email="ada@example.com", phone="+15125550100", city="London",
                             website="https://ada.example", tags=["math"])
    r = acct.lc.put(f"/contacts/{contact['id']}", {"phone": None, "city": None, "website": None,
                                                   "tags": []})
    assert r.status_code == 200, r.text
    updated = r.json()["contact"]
    assert updated == {"id": contact["id"], "email": "ada@example.com", "locationId": acct.uid,
                       "tags": [], "dnd": False, "customFields": [],
                       "dateAdded": contact["dateAdded"], "dateUpdated": updated["dateUpdated"]}
    assert acct.native_contact(contact["id"])["phones"] == []


def test_a_stale_if_match_is_412_for_put_and_delete(acct):
    contact = acct.lc.create(email="ada@example.com")
    path = f"/contacts/{contact['id']}"
    etag = acct.lc.get(path).headers["ETag"]
    version = int(etag.strip('"'))
    r = acct.lc.put(path, {"city": "Reno"}, headers={"If-Match": etag})
    assert r.status_code == 200, r.text
    stale = f"The contact changed: it is at version {version + 1}, not the one this request " \
            "was made for"
    assert_lc_error(acct.lc.put(path, {"city": "Oslo"}, headers={"If-Match": etag}), 412, stale)
    assert_lc_error(acct.lc.delete(path, headers={"If-Match": etag}), 412, stale)
    current = acct.lc.get(path)
    assert current.json()["contact"]["city"] == "Reno"
    r = acct.lc.delete(path, headers={"If-Match": current.headers["ETag"]})
    assert r.status_code == 200 and r.json() == {"succeded": True}, r.text


def test_delete_hides_the_contact_and_the_native_api_restores_it(acct):
    contact = acct.lc.create(email="ada@example.com", tags=["math"])
    path = f"/contacts/{contact['id']}"
    r = acct.lc.delete(path)
    assert r.status_code == 200 and r.json() == {"succeded": True}, r.text
    for r in (acct.lc.get(path), acct.lc.delete(path), acct.lc.put(path, {"city": "Reno"})):
        assert r.status_code == 404 and r.json() == NOT_FOUND, r.text
    assert acct.lc.total() == 0
    r = acct.native.post(f"/contacts/{contact['id']}/restore")
    assert r.status_code == 200, r.text
    restored = acct.lc.read(contact["id"])
    assert restored == {**contact, "dateUpdated": restored["dateUpdated"]}
    assert acct.lc.ids() == [contact["id"]]


def test_only_the_owner_or_an_admin_deletes(acct):
    admins = acct.lc.create(email="admin@example.com")
    editors = acct.editor.create(email="editor@example.com")
    assert_lc_error(acct.editor.delete(f"/contacts/{admins['id']}"), 403,
                    "Only the owner may delete this contact")
    assert acct.lc.read(admins["id"]) == admins
    r = acct.editor.delete(f"/contacts/{editors['id']}")
    assert r.status_code == 200 and r.json() == {"succeded": True}, r.text
    assert acct.lc.ids() == [admins["id"]]


# --- upsert --------------------------------------------------------------------------------------

def test_an_upsert_without_a_match_creates_and_answers_its_trace_id(acct):
    r = acct.lc.post("/contacts/upsert", {"locationId": acct.uid, "email": "ada@example.com",
                                          "firstName": "Ada"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert list(body) == ["new", "contact", "traceId"]
    assert body["new"] is True and body["traceId"] == r.headers["X-Request-Id"]
    assert body["contact"] == acct.lc.read(body["contact"]["id"])
    assert body["contact"]["name"] == "Ada" and acct.lc.total() == 1


def test_an_upsert_matches_an_email_case_insensitively_and_sets_what_it_sends(acct):
    ada = acct.lc.create(email="ada@example.com", firstName="Ada", city="London", tags=["math"])
    r = acct.lc.post("/contacts/upsert", {"locationId": acct.uid, "email": "ADA@EXAMPLE.COM",
                                          "city": "Paris", "lastName": "Lovelace"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["new"] is False and body["traceId"] == r.headers["X-Request-Id"]
    assert body["contact"] == {**ada, "email": "ADA@EXAMPLE.COM", "city": "Paris",
                               "lastName": "Lovelace", "name": "Ada Lovelace",
                               "dateUpdated": body["contact"]["dateUpdated"]}
    assert list(body["contact"]) == [k for k in CONTACT_KEYS if k in body["contact"]]
    assert acct.lc.total() == 1 and acct.lc.read(ada["id"]) == body["contact"]


def test_an_upsert_matches_a_phone_in_any_form(acct):
    bob = acct.lc.create(phone="+15125550100", firstName="Bob")
    r = acct.lc.post("/contacts/upsert", {"locationId": acct.uid, "phone": "(512) 555-0100",
                                          "email": "bob@example.com"})
    assert r.status_code == 200, r.text
    assert (r.json()["new"], r.json()["contact"]["id"]) == (False, bob["id"])
    assert r.json()["contact"]["email"] == "bob@example.com"
    assert acct.lc.total() == 1


def test_an_upsert_prefers_the_oldest_email_match_over_any_phone_match(acct):
    by_phone = acct.lc.create(phone="+15125550100", firstName="Phone")
    first = acct.lc.create(email="amy@example.com", firstName="First")
    acct.lc.create(email="AMY@example.com", phone="+15125550100", firstName="Second")
    r = acct.lc.post("/contacts/upsert", {"locationId": acct.uid, "email": "amy@example.com",
                                          "phone": "+15125550100", "city": "Reno"})
    assert r.status_code == 200, r.text
    assert (r.json()["new"], r.json()["contact"]["id"]) == (False, first["id"])
    assert r.json()["contact"]["phone"] == "+15125550100"
    # No email match: the oldest phone match.
    r = acct.lc.post("/contacts/upsert", {"locationId": acct.uid, "email": "zed@example.com",
                                          "phone": "512.555.0100", "city": "Oslo"})
    assert r.status_code == 200, r.text
    assert (r.json()["new"], r.json()["contact"]["id"]) == (False, by_phone["id"])
    assert r.json()["contact"]["email"] == "zed@example.com"
    assert acct.lc.total() == 3


def test_create_new_if_duplicate_allowed_true_is_refused(acct):
    ada = acct.lc.create(email="ada@example.com")
    body = {"locationId": acct.uid, "email": "ada@example.com", "city": "Reno"}
    r = acct.lc.post("/contacts/upsert", {**body, "createNewIfDuplicateAllowed": True})
    assert_lc_error(r, 422, [
        "createNewIfDuplicateAllowed is not supported: an upsert updates the contact it "
        "matches; POST /contacts/ creates one"])
    assert acct.lc.read(ada["id"]) == ada
    r = acct.lc.post("/contacts/upsert", {**body, "createNewIfDuplicateAllowed": False})
    assert r.status_code == 200, r.text
    assert (r.json()["new"], r.json()["contact"]["id"]) == (False, ada["id"])
    assert acct.lc.total() == 1


def test_an_upsert_needs_a_location_and_an_email_or_phone(acct):
    assert_lc_error(acct.lc.post("/contacts/upsert", {"lastName": "Lovelace"}), 422,
                    ["locationId should not be empty", NEEDS_EMAIL_OR_PHONE])
    assert_lc_error(acct.lc.post("/contacts/upsert", {"locationId": acct.uid, "city": "Reno"}),
                    422, [NEEDS_EMAIL_OR_PHONE])
    assert_lc_error(acct.lc.post("/contacts/upsert", {"locationId": acct.uid, "email": "x"}),
                    422, ["email must be a valid email address"])
    assert acct.lc.total() == 0


def test_an_upsert_updates_its_match_when_duplicates_are_refused(acct):
    ada = acct.lc.create(email="ada@example.com")
    acct.settings(duplicate_contacts="reject")
    r = acct.lc.post("/contacts/upsert", {"locationId": acct.uid, "email": "Ada@Example.com",
                                          "city": "Reno"})
    assert r.status_code == 200, r.text
    assert (r.json()["new"], r.json()["contact"]["id"], r.json()["contact"]["city"]) == (
        False, ada["id"], "Reno")
    assert acct.lc.total() == 1


# --- search --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def people(server):
    """Its own account, only read: Ann, Bob and Cat with many members, Dan with a phone only."""
    acct = Account(server.tenant())
    score, industry = acct.field("score", "number"), acct.field("industry", "text")
    mate = acct.user("account")
    refs = {"score": str(score["id"]), "industry": str(industry["id"]), "mate": str(mate.id)}
    refs["ann"] = acct.lc.create(
        firstName="Ann", lastName="Archer", email="ann@alpha.example", phone="+15125550101",
        companyName="Alpha Inc", address1="1 Oak St", city="Austin", state="TX",
        postalCode="78701", country="US", timezone="America/Chicago",
        website="https://ann.example", source="web", tags=["vip", "buyer"], dnd=True,
        dateOfBirth="1980-01-15", assignedTo=str(mate.id),
        customFields=[{"id": refs["score"], "value": 10},
                      {"id": refs["industry"], "value": "Retail"}])["id"]
    refs["bob"] = acct.lc.create(
        firstName="Bob", lastName="Baker", email="bob@beta.example", phone="+15125550102",
        companyName="Beta LLC", address1="22 Elm Ave", city="Dallas", state="TX",
        postalCode="75201", country="US", timezone="America/Chicago", source="referral",
        tags=["buyer"], dnd=False, dateOfBirth="1990-06-30",
        customFields=[{"id": refs["score"], "value": 20}])["id"]
    refs["cat"] = acct.lc.create(
        firstName="Cat", lastName="Carter", email="cat@alpha.example", phone="020 7183 8750",
        country="gb", companyName="alpha inc", city="London", timezone="Europe/London",
        tags=["VIP"], dateOfBirth="1975-12-01", source="web",
        customFields=[{"id": refs["industry"], "value": "Finance"}])["id"]
    refs["dan"] = acct.lc.create(firstName="Dan", phone="+15125550104")["id"]
    return SimpleNamespace(lc=acct.lc, refs=refs)


def found(people, names):
    return [people.refs[name] for name in names.split()]


FILTERS = {  # filters ({name} a reference of the fixture) and the contacts found, in id order
    "names": [
        ([F("firstName", "eq", "ann")], "ann"),
        ([F("firstNameLowerCase", "eq", "BOB")], "bob"),
        ([F("lastNameLowerCase", "eq", "carter")], "cat"),
        ([F("name", "eq", "cat carter")], "cat"),
        ([F("fullNameLowerCase", "contains", "AR")], "ann cat")],
    "email": [
        ([F("email", "contains", "ALPHA")], "ann cat"),
        ([F("email", "not_contains", "alpha")], "bob dan"),
        ([F("email", "not_eq", "ANN@alpha.example")], "bob cat dan"),
        ([F("email", "eq", ["ann@alpha.example", "BOB@BETA.EXAMPLE"])], "ann bob"),
        ([F("email", "not_eq", ["ann@alpha.example", "bob@beta.example"])], "cat dan"),
        ([F("email", "exists")], "ann bob cat"),
        ([F("email", "not_exists")], "dan")],
    "phone and company": [
        ([F("phone", "eq", "(512) 555-0102")], "bob"),
        ([F("phone", "not_eq", "+15125550102")], "ann cat dan"),
        ([F("companyName", "eq", "ALPHA INC")], "ann cat"),
        ([F("companyName", "contains", "et")], "bob"),
        ([F("companyName", "not_exists")], "dan")],
    "address and other text": [
        ([F("address1", "contains", "oak")], "ann"),
        ([F("address", "eq", "22 elm ave")], "bob"),
        ([F("city", "eq", "london")], "cat"),
        ([F("state", "eq", "tx"), F("postalCode", "eq", "75201")], "bob"),
        ([F("country", "eq", "gb")], "cat"),
        ([F("timezone", "eq", ["Europe/London", "America/Chicago"])], "ann bob cat"),
        ([F("website", "eq", "HTTPS://ANN.EXAMPLE")], "ann"),
        ([F("source", "eq", "WEB")], "ann cat")],
    "tags": [
        ([F("tags", "contains", "VIP")], "ann cat"),
        ([F("tags", "eq", "vip")], "ann cat"),
        ([F("tags", "contains", ["buyer", "vip"])], "ann bob cat"),
        ([F("tags", "not_contains", "vip")], "bob dan"),
        ([F("tags", "not_contains", ["vip", "BUYER"])], "dan"),
        ([F("tags", "not_exists")], "dan")],
    "dnd, birthday and assignee": [
        ([F("dnd", "eq", True)], "ann"),
        ([F("dnd", "not_eq", True)], "bob cat dan"),
        ([F("dateOfBirth", "range", {"gte": "1980-01-01", "lt": "1991-01-01"})], "ann bob"),
        ([F("dateOfBirth", "eq", "12/01/1975")], "cat"),
        ([F("assignedTo", "eq", "{mate}")], "ann"),
        ([F("assignedTo", "not_exists")], "bob cat dan")],
    "custom fields": [
        ([F("customFields.{score}", "range", {"gte": 15})], "bob"),
        ([F("customFields.{score}", "eq", 10)], "ann"),
        ([F("customFields.{industry}", "eq", "retail")], "ann"),
        ([F("customFields.{industry}", "not_exists")], "bob dan")],
    "ids and groups": [
        ([F("id", "eq", ["{ann}", "{dan}"])], "ann dan"),
        ([F("id", "range", {"gt": "{bob}"})], "cat dan"),
        ([F("lastName", "contains", "ar"), F("city", "eq", "austin")], "ann"),
        ([{"group": "AND", "filters": [F("city", "eq", "dallas"), F("dnd", "eq", False)]}],
         "bob"),
        ([{"group": "OR", "filters": [F("city", "eq", "dallas"), F("tags", "contains", "VIP")]},
          F("country", "eq", "us")], "ann bob"),
        ([{"group": "OR", "filters": [
            F("city", "eq", "dallas"),
            {"group": "AND", "filters": [F("tags", "contains", "vip"),
                                         F("country", "eq", "gb")]}]}], "bob cat")],
}


def resolve(value, refs):
    """`value` with every {name} of a string replaced by the fixture's reference."""
    if isinstance(value, str):
        return value.format(**refs)
    if isinstance(value, list):
        return [resolve(v, refs) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, refs) for k, v in value.items()}
    return value


@pytest.mark.parametrize("group", list(FILTERS))
def test_filters_find_exactly_their_contacts(people, group):
    for filters, names in FILTERS[group]:
        body = people.lc.search(filters=resolve(filters, people.refs),
                                sort=[{"field": "id", "direction": "asc"}])
        expected = found(people, names)
        assert [c["id"] for c in body["contacts"]] == expected, filters
        assert body["total"] == len(expected), filters


SORTS = [  # sort keys, the contacts having a value in ascending order
    ([("firstName", "asc")], "ann bob cat dan"),
    ([("city", "asc")], "ann bob cat"),
    ([("dateOfBirth", "asc")], "cat ann bob"),
    ([("postalCode", "asc")], "bob ann"),
    ([("companyName", "asc"), ("firstName", "desc")], "cat ann bob"),
]


@pytest.mark.parametrize("keys, ascending", SORTS, ids=[str(k) for k, _ in SORTS])
def test_sort_orders_both_ways(people, keys, ascending):
    valued = [F(keys[0][0], "exists")]
    sort = [{"field": field, "direction": direction} for field, direction in keys]
    assert people.lc.ids(filters=valued, sort=sort) == found(people, ascending)
    flipped = [{"field": field, "direction": "desc" if direction == "asc" else "asc"}
               for field, direction in keys]
    assert people.lc.ids(filters=valued, sort=flipped) == found(people, ascending)[::-1]


def test_query_is_a_full_text_search(people):
    for query, names in (("ann", "ann"), ("Arch", "ann"), ("alpha", "ann cat"),
                         ("bob@beta.example", "bob"), ("5125550101", "ann"), ("zzz", ""),
                         ("   ", "ann bob cat dan")):
        body = people.lc.search(query=query, sort=[{"field": "id", "direction": "asc"}])
        expected = found(people, names)
        assert [c["id"] for c in body["contacts"]] == expected, query
        assert body["total"] == len(expected), query


def test_search_pages_by_page_and_page_limit(people):
    by_id = [{"field": "id", "direction": "asc"}]
    everyone = found(people, "ann bob cat dan")
    for page, limit, expected in ((1, 3, everyone[:3]), (2, 3, everyone[3:]), (2, 2, everyone[2:]),
                                  (3, 2, []), (1, 500, everyone)):
        body = people.lc.search(page=page, pageLimit=limit, sort=by_id)
        assert ([c["id"] for c in body["contacts"]], body["total"]) == (expected, 4), (page, limit)
    body = people.lc.search(filters=[F("id", "eq", people.refs["bob"])])
    assert body == {"contacts": [people.lc.read(people.refs["bob"])], "total": 1}


def test_search_and_list_pages_hold_20_by_default(acct):
    made = [acct.lc.create(email=f"p{i}@example.com")["id"] for i in range(21)]
    body = acct.lc.search(sort=[{"field": "id", "direction": "asc"}])
    assert [c["id"] for c in body["contacts"]] == made[:20] and body["total"] == 21
    r = acct.lc.get(f"/contacts/?locationId={acct.uid}")
    assert r.status_code == 200, r.text
    assert [c["id"] for c in r.json()["contacts"]] == made[:20]
    assert (r.json()["count"], r.json()["meta"]["startAfterId"]) == (21, made[19])


SEARCH_ERRORS = [
    ({"pageLimit": 0}, "pageLimit must be an integer between 1 and 500"),
    ({"page": 0}, "page must be an integer from 1, and page * pageLimit at most 10000000"),
    ({"searchAfter": [1, 2]}, "searchAfter is not supported; page through with page and pageLimit"),
    ({"filters": [F("email", "eq", "x"), F("nickname", "eq", "x")]},
     "filters[1].field: 'nickname' cannot be searched on"),
    ({"filters": [F("email", "like", "x")]},
     "filters[0].operator must be one of eq, not_eq, contains, not_contains, exists, not_exists "
     "and range"),
    ({"filters": [F("email", "exists", "x")]}, "filters[0].value is not taken by exists"),
    ({"filters": [{"group": "OR", "filters": []}, {"group": "OR", "filters": []}]},
     "filters[1]: a search takes at most one OR group"),
    ({"filters": [{"group": "AND", "filters": [{"group": "AND", "filters": []}]}]},
     "filters[0].filters[0] must be a filter (groups nest one level)"),
    ({"filters": [F("customFields.999999", "exists")]},
     "filters[0].field: no custom field of this location has the id or key '999999'"),
    ({"sort": [{"field": "email", "direction": "up"}]}, "sort[0].direction must be asc or desc"),
]


@pytest.mark.parametrize("body, message", SEARCH_ERRORS, ids=[m[:40] for _, m in SEARCH_ERRORS])
def test_a_bad_search_is_422_naming_what_is_wrong(people, body, message):
    r = people.lc.post("/contacts/search", {"locationId": people.lc.location, **body})
    assert_lc_error(r, 422, [message])


def test_a_search_needs_its_location(people):
    assert_lc_error(people.lc.post("/contacts/search", {"pageLimit": 5}), 422,
                    ["locationId should not be empty"])
    assert_lc_error(people.lc.post("/contacts/search?page=2", {"locationId": people.lc.location}),
                    400, "This request takes no query parameters")


@pytest.fixture(scope="module")
def dated(server):
    """Its own account, only read: two contacts with known times (written through
    /compat/liondesk, which takes them) and one made now."""
    acct = Account(server.tenant())
    liondesk = requests.Session()
    liondesk.headers["Authorization"] = f"Bearer {acct.native.token}"
    refs = {}
    for name, created, modified in (("old", "2016-03-01T00:00:00Z", "2017-01-01T00:00:00Z"),
                                    ("mid", "2019-09-09T00:00:00Z", "2020-02-02T00:00:00Z")):
        r = liondesk.post(f"{server.url}/compat/liondesk/contacts",
                          json={"first_name": name, "email": f"{name}@example.com",
                                "created_at": created, "modified_at": modified})
        assert r.status_code == 201, r.text
        refs[name] = str(r.json()["id"])
    refs["new"] = acct.lc.create(email="new@example.com")["id"]
    return SimpleNamespace(lc=acct.lc, refs=refs)


DATE_FILTERS = [
    (F("dateAdded", "range", {"lt": "2019-01-01T00:00:00Z"}), "old"),
    (F("dateAdded", "range", {"gte": 1456790400000, "lte": 1568000000000}), "old mid"),
    (F("dateAdded", "range", {"gt": 1456790400000, "lt": "2020-01-01"}), "mid"),
    (F("dateAdded", "range", {"gte": "2021-01-01T00:00:00Z"}), "new"),
    (F("dateAdded", "eq", 1456790400000), "old"),
    (F("dateUpdated", "range", {"lt": "2018-01-01T00:00:00Z"}), "old"),
    (F("dateUpdated", "range", {"gte": 1580601600000}), "mid new"),
]


def test_times_filter_as_iso_strings_or_milliseconds(dated):
    old = dated.lc.read(dated.refs["old"])
    assert (old["dateAdded"], old["dateUpdated"]) == ("2016-03-01T00:00:00.000Z",
                                                      "2017-01-01T00:00:00.000Z")
    for condition, names in DATE_FILTERS:
        expected = [dated.refs[name] for name in names.split()]
        found_ids = dated.lc.ids(filters=[condition], sort=[{"field": "id", "direction": "asc"}])
        assert found_ids == expected, condition
    assert dated.lc.ids(sort=[{"field": "dateAdded", "direction": "desc"}]) == [
        dated.refs["new"], dated.refs["mid"], dated.refs["old"]]


# --- the deprecated list -------------------------------------------------------------------------

def test_the_list_pages_through_its_next_page_url(acct):
    made = [acct.lc.create(email=f"p{i}@example.com", firstName=f"P{i}") for i in range(5)]
    target = f"/contacts/?locationId={acct.uid}&limit=2"
    pages = []
    while target is not None:
        r = acct.lc.get(target)
        assert r.status_code == 200, r.text
        body = r.json()
        assert list(body) == ["contacts", "count", "meta"] and body["count"] == 5
        assert list(body["meta"]) == ["total", "nextPageUrl", "startAfterId", "startAfter"]
        pages.append(body["contacts"])
        meta = body["meta"]
        assert meta["total"] == 5
        if meta["nextPageUrl"] is None:
            assert (meta["startAfterId"], meta["startAfter"]) == (None, None)
            target = None
            continue
        last = body["contacts"][-1]
        assert (meta["startAfterId"], meta["startAfter"]) == (last["id"], ms(last["dateAdded"]))
        assert meta["nextPageUrl"] == (
            f"{BASE}/contacts/?locationId={acct.uid}&limit=2&startAfter={ms(last['dateAdded'])}"
            f"&startAfterId={last['id']}")
        target = meta["nextPageUrl"].removeprefix(BASE)
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [c for page in pages for c in page] == made


def test_the_list_query_filters_and_its_next_page_keeps_it(acct):
    quartz = [acct.lc.create(email=f"q{i}@example.com", lastName="Quartz")["id"]
              for i in range(2)]
    acct.lc.create(email="s@example.com", lastName="Stone")
    r = acct.lc.get(f"/contacts/?locationId={acct.uid}&query=quartz&limit=1")
    assert r.status_code == 200, r.text
    body = r.json()
    assert [c["id"] for c in body["contacts"]] == quartz[:1] and body["count"] == 2
    assert "&query=quartz&" in body["meta"]["nextPageUrl"]
    r = acct.lc.get(body["meta"]["nextPageUrl"].removeprefix(BASE))
    assert [c["id"] for c in r.json()["contacts"]] == quartz[1:]
    assert r.json()["meta"] == {"total": 2, "nextPageUrl": None, "startAfterId": None,
                                "startAfter": None}


LIST_ERRORS = [
    ("limit=0", 422, ["limit must be an integer between 1 and 100"]),
    ("limit=101", 422, ["limit must be an integer between 1 and 100"]),
    ("startAfterId=abc", 422, ["startAfterId must be the id of a contact"]),
    ("", 422, ["locationId should not be empty"]),
    ("locationId=elsewhere", 403, WRONG_LOCATION["message"]),
]


@pytest.mark.parametrize("query, status, message", LIST_ERRORS, ids=[q for q, _, _ in LIST_ERRORS])
def test_bad_list_parameters(acct, query, status, message):
    if query and not query.startswith("locationId"):
        query = f"locationId={acct.uid}&{query}"
    assert_lc_error(acct.lc.get(f"/contacts/?{query}"), status, message)


def test_an_unknown_or_repeated_list_parameter_is_400(acct):
    for query, text in (("foo=1", "unknown query parameter 'foo'"),
                        ("limit=1&limit=2", "query parameter 'limit' is given more than once")):
        r = acct.lc.get(f"/contacts/?locationId={acct.uid}&{query}")
        assert r.status_code == 400, r.text
        body = r.json()
        assert (body["statusCode"], body["error"]) == (400, "Bad Request"), body
        assert body["message"] == text, body


# --- the duplicate lookup ------------------------------------------------------------------------

def test_the_duplicate_lookup_matches_email_first_then_number(acct):
    first = acct.lc.create(email="dup@example.com", phone="+15125550140")
    acct.lc.create(email="DUP@example.com")
    by_phone = acct.lc.create(phone="+15125550141")
    acct.lc.create(phone="+15125550141", email="other@example.com")

    def lookup(query):
        r = acct.lc.get(f"/contacts/search/duplicate?locationId={acct.uid}&{query}")
        assert r.status_code == 200, r.text
        assert list(r.json()) == ["contact"]
        return r.json()["contact"]

    assert lookup("email=DUP%40EXAMPLE.COM") == acct.lc.read(first["id"])
    assert lookup("number=%2B15125550141") == acct.lc.read(by_phone["id"])
    assert lookup("number=512-555-0141")["id"] == by_phone["id"]
    assert lookup("email=nobody%40example.com&number=%2B15125550140")["id"] == first["id"]
    assert lookup("email=dup%40example.com&number=%2B15125550141")["id"] == first["id"]
    assert lookup("email=nobody%40example.com&number=%2B15125550199") is None
    assert lookup("email=nobody%40example.com") is None


def test_the_duplicate_lookup_needs_its_location(acct):
    lookup = "/contacts/search/duplicate?"
    assert_lc_error(acct.lc.get(lookup + "email=a%40example.com"), 422,
                    ["locationId should not be empty"])
    assert_lc_error(acct.lc.get(lookup + "locationId=elsewhere&email=a%40example.com"), 403,
                    WRONG_LOCATION["message"])


# --- tags ----------------------------------------------------------------------------------------

def test_tags_are_added_and_removed_case_insensitively(acct):
    contact = acct.lc.create(email="ada@example.com", tags=["new-lead", "website"])
    path = f"/contacts/{contact['id']}/tags"
    r = acct.lc.post(path, {"tags": ["VIP", "NEW-LEAD", "vip", "Extra"]})
    assert r.status_code == 201 and r.json() == {"tags": ["new-lead", "website", "VIP", "Extra"]}
    r = acct.lc.delete(path, {"tags": ["WEBSITE", "absent"]})
    assert r.status_code == 200 and r.json() == {"tags": ["new-lead", "VIP", "Extra"]}, r.text
    assert acct.lc.read(contact["id"])["tags"] == ["new-lead", "VIP", "Extra"]
    assert acct.native_contact(contact["id"])["tags"] == ["new-lead", "VIP", "Extra"]
    r = acct.lc.post(path, {"tags": []})
    assert r.status_code == 201 and r.json() == {"tags": ["new-lead", "VIP", "Extra"]}, r.text


def test_a_contact_holds_at_most_100_tags_of_at_most_64_characters(acct):
    contact = acct.lc.create(email="ada@example.com", tags=[f"t{i}" for i in range(98)])
    path = f"/contacts/{contact['id']}/tags"
    assert_lc_error(acct.lc.post(path, {"tags": ["x" * 65]}), 422,
                    ["tags must be 1 to 64 characters"])
    assert_lc_error(acct.lc.post(path, {"tags": ["a", "b", "c"]}), 422,
                    ["tags: a contact holds at most 100 tags; it has 98"])
    assert acct.lc.read(contact["id"])["tags"] == [f"t{i}" for i in range(98)]
    r = acct.lc.post(path, {"tags": ["x" * 64, "T0", "b"]})
    assert r.status_code == 201, r.text
    assert r.json()["tags"] == [f"t{i}" for i in range(98)] + ["x" * 64, "b"]


def test_a_bad_tags_body_is_422(acct):
    contact = acct.lc.create(email="ada@example.com", tags=["kept"])
    path = f"/contacts/{contact['id']}/tags"
    for body, message in (({}, "tags is required"),
                          ({"tags": "vip"}, "tags must be an array of strings"),
                          ({"tags": ["vip"], "x": 1}, "x is not a known field")):
        assert_lc_error(acct.lc.post(path, body), 422, [message])
        assert_lc_error(acct.lc.delete(path, body), 422, [message])
    assert acct.lc.read(contact["id"]) == contact


# --- scopes, roles, visibility -------------------------------------------------------------------

WRITES = [("POST", "/contacts/", {"email": "x@example.com"}),
          ("POST", "/contacts/upsert", {"email": "ada@example.com", "city": "Reno"}),
          ("PUT", "/contacts/{id}", {"city": "Oslo"}),
          ("POST", "/contacts/{id}/tags", {"tags": ["x"]}),
          ("DELETE", "/contacts/{id}/tags", {"tags": ["kept"]}),
          ("DELETE", "/contacts/{id}", None)]


def write_request(client, acct, contact, method, path, body):
    if body is not None and method == "POST" and "{id}" not in path:
        body = {"locationId": acct.uid, **body}
    return client.request(method, path.format(id=contact["id"]), body)


def test_a_readonly_token_writes_nothing(acct):
    contact = acct.lc.create(email="ada@example.com", tags=["kept"])
    reader = acct.scoped("contacts.readonly")
    for method, path, body in WRITES:
        r = write_request(reader, acct, contact, method, path, body)
        assert r.status_code == 401 and r.json() == NO_SCOPE, (method, path, r.text)
    assert acct.lc.total() == 1 and acct.lc.read(contact["id"]) == contact


def test_a_readonly_token_reads_everything(acct):
    contact = acct.lc.create(email="ada@example.com", tags=["kept"])
    reader = acct.scoped("contacts.readonly")
    assert reader.read(contact["id"]) == contact
    assert reader.search() == {"contacts": [contact], "total": 1}
    r = reader.get(f"/contacts/?locationId={acct.uid}")
    assert r.status_code == 200 and r.json()["contacts"] == [contact], r.text
    r = reader.get(f"/contacts/search/duplicate?locationId={acct.uid}&email=ada%40example.com")
    assert r.status_code == 200 and r.json() == {"contact": contact}, r.text


def test_a_write_token_reads_and_writes(acct):
    contact = acct.lc.create(email="ada@example.com", tags=["kept"])
    writer = acct.scoped("contacts.write")
    assert writer.read(contact["id"]) == contact
    answers = [write_request(writer, acct, contact, method, path, body)
               for method, path, body in WRITES]
    assert [r.status_code for r in answers] == [201, 200, 200, 201, 200, 200]
    created = answers[0].json()["contact"]
    assert created["email"] == "x@example.com"
    upserted = answers[1].json()
    assert (upserted["new"], upserted["contact"]["id"]) == (False, contact["id"])
    assert upserted["contact"]["city"] == "Reno"
    assert answers[2].json()["contact"]["city"] == "Oslo"
    assert [r.json() for r in answers[3:]] == [{"tags": ["kept", "x"]}, {"tags": ["x"]},
                                               {"succeded": True}]
    assert acct.lc.ids() == [created["id"]]


def test_a_viewer_reads_and_is_403_on_writes(acct):
    contact = acct.lc.create(email="ada@example.com", tags=["kept"])
    assert acct.viewer.read(contact["id"]) == contact
    assert acct.viewer.search() == {"contacts": [contact], "total": 1}
    for method, path, body in WRITES:
        r = write_request(acct.viewer, acct, contact, method, path, body)
        action = "update" if "{id}" in path else "create"
        assert_lc_error(r, 403, f"User not authorized to {action} contact")
    assert acct.lc.total() == 1 and acct.lc.read(contact["id"]) == contact


@pytest.fixture
def shared(acct):
    """Zelda, owned by an `own` user, assigned to another and shared with a third; a stranger
    (also `own`) and the admin's own contact, which none of them sees."""
    who = {name: acct.user("own") for name in ("owner", "assignee", "sharee", "stranger")}
    zelda = who["owner"].lc.create(email="zelda@example.com", lastName="Quartz",
                                   assignedTo=str(who["assignee"].id))
    r = who["owner"].native.post(f"/contacts/{zelda['id']}/shares", {"user_id": who["sharee"].id})
    assert r.status_code == 201, r.text
    acct.lc.create(email="admin@example.com", lastName="Quartz")
    return acct, who, zelda


@pytest.mark.parametrize("who, sees", [("owner", True), ("assignee", True), ("sharee", True),
                                       ("stranger", False)])
def test_own_users_see_what_they_own_are_assigned_or_were_shared(shared, who, sees):
    acct, users, zelda = shared
    client = users[who].lc
    path = f"/contacts/{zelda['id']}"
    expected = [zelda["id"]] if sees else []
    assert client.ids(filters=[F("lastName", "eq", "quartz")]) == expected
    r = client.get(f"/contacts/?locationId={acct.uid}")
    assert [c["id"] for c in r.json()["contacts"]] == expected and r.json()["count"] == len(
        expected)
    r = client.get(f"/contacts/search/duplicate?locationId={acct.uid}&email=zelda%40example.com")
    assert r.json() == {"contact": zelda if sees else None}
    if sees:
        assert client.read(zelda["id"]) == zelda
        r = client.put(path, {"city": who})
        assert r.status_code == 200 and r.json()["contact"]["city"] == who, r.text
    else:
        for r in (client.get(path), client.put(path, {"city": "x"}), client.delete(path),
                  client.post(path + "/tags", {"tags": ["x"]})):
            assert r.status_code == 404 and r.json() == NOT_FOUND, r.text
        assert acct.lc.read(zelda["id"]) == zelda


def test_an_own_users_upsert_matches_only_what_it_sees(shared):
    acct, users, zelda = shared
    r = users["stranger"].lc.post("/contacts/upsert", {"locationId": acct.uid,
                                                       "email": "zelda@example.com"})
    assert r.status_code == 200 and r.json()["new"] is True, r.text
    assert r.json()["contact"]["id"] != zelda["id"]
    r = users["sharee"].lc.post("/contacts/upsert", {"locationId": acct.uid,
                                                     "email": "ZELDA@example.com", "city": "Oslo"})
    assert r.status_code == 200, r.text
    assert (r.json()["new"], r.json()["contact"]["id"]) == (False, zelda["id"])
    assert acct.lc.read(zelda["id"])["city"] == "Oslo"


def test_another_account_finds_nothing_of_this_one(acct, server):
    zelda = acct.lc.create(email="zelda@example.com", lastName="Quartz")
    other = Account(server.tenant())
    assert other.lc.search(query="quartz") == {"contacts": [], "total": 0}
    assert other.lc.search(filters=[F("id", "eq", zelda["id"])]) == {"contacts": [], "total": 0}
    r = other.lc.get(f"/contacts/search/duplicate?locationId={other.uid}"
                     "&email=zelda%40example.com")
    assert r.json() == {"contact": None}
    r = other.lc.post("/contacts/search", {"locationId": acct.uid})
    assert r.status_code == 403 and r.json() == WRONG_LOCATION, r.text


# --- idempotency and rate limits -----------------------------------------------------------------

def test_an_idempotency_key_replays_a_create(acct):
    key = {"Idempotency-Key": "create-ada"}
    body = {"locationId": acct.uid, "email": "ada@example.com"}
    first = acct.lc.post("/contacts/", body, headers=key)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers, first.text
    again = acct.lc.post("/contacts/", body, headers=key)
    assert again.status_code == 201 and again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert acct.lc.total() == 1
    r = acct.lc.post("/contacts/", {**body, "email": "bob@example.com"}, headers=key)
    assert r.status_code == 422, r.text
    assert r.json()["statusCode"] == 422 and r.json()["error"] == "Unprocessable Entity"
    assert len(r.json()["message"]) == 1
    assert acct.lc.total() == 1


def test_a_reused_idempotency_key_is_named_in_its_message(acct):
    key = {"Idempotency-Key": "create-ada"}
    body = {"locationId": acct.uid, "email": "ada@example.com"}
    assert acct.lc.post("/contacts/", body, headers=key).status_code == 201
    r = acct.lc.post("/contacts/", {**body, "email": "bob@example.com"}, headers=key)
    assert r.status_code == 422, r.text
    [message] = r.json()["message"]
    assert message.startswith("Idempotency-Key"), message


def test_the_rate_limit_answers_429_in_the_same_shape(acct, server):
    server.cli("accounts", "update", str(acct.id), "--rate-burst", "3/min")
    try:
        for _ in range(3):
            assert acct.lc.get(f"/contacts/?locationId={acct.uid}").status_code == 200
        for r in (acct.lc.get(f"/contacts/?locationId={acct.uid}"),
                  acct.lc.post("/contacts/", {"locationId": acct.uid, "email": "a@example.com"})):
            assert r.status_code == 429, r.text
            body = r.json()
            assert set(body) == {"statusCode", "message", "error"}
            assert (body["statusCode"], body["error"]) == (429, "Too Many Requests")
            assert body["message"].startswith("Rate limit exceeded: 3 requests per 60 s"), body
            assert int(r.headers["Retry-After"]) >= 1
    finally:
        server.cli("accounts", "update", str(acct.id), "--rate-burst", "unlimited")
    assert acct.lc.total() == 0


# --- edges: size limits, custom fields, bad values, sorts ---------------------------------------

@pytest.mark.parametrize("status", [413, 414, 431])
def test_requests_over_a_size_limit_keep_the_nestjs_shape(acct, status):
    if status == 413:
        body = json.dumps({"locationId": acct.uid, "email": "a@example.com",
                           "city": "x" * (1024 * 1024)})
        r = acct.lc.post("/contacts/", body)
    elif status == 414:
        r = acct.lc.get(f"/contacts/?locationId={'x' * 20000}")
    else:
        r = acct.lc.get("/contacts/1", headers={"X-Padding": "y" * 70000})
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"statusCode", "message", "error"}, body
    assert (body["statusCode"], body["error"]) == (status, REASONS[status])
    assert isinstance(body["message"], str)


def test_contains_searches_a_text_custom_field(people):
    condition = F(f"customFields.{people.refs['industry']}", "contains", "fin")
    r = people.lc.post("/contacts/search", {"locationId": people.lc.location,
                                            "filters": [condition]})
    assert r.status_code == 200, r.text
    assert [c["id"] for c in r.json()["contacts"]] == [people.refs["cat"]]


def test_timezone_values_are_iana_names_as_written(people):
    """IANA names are case-sensitive, for writes and searches alike (contactd's choice)."""
    r = people.lc.post("/contacts/search", {"locationId": people.lc.location,
                                            "filters": [F("timezone", "eq", "Europe/London")]})
    assert r.status_code == 200, r.text
    assert [c["id"] for c in r.json()["contacts"]] == [people.refs["cat"]]
    r = people.lc.post("/contacts/search", {"locationId": people.lc.location,
                                            "filters": [F("timezone", "eq", "europe/london")]})
    assert_lc_error(r, 422, ["filters[0]: timezone must be an IANA time zone name such as "
                             "America/Chicago"])


BAD_VALUES = [  # each named by its filter, in the seed's names
    F("id", "eq", "abc"),
    F("dateAdded", "range", {"gte": "yesterday"}),
    F("dateOfBirth", "eq", "someday"),
    F("phone", "contains", "555"),
]


@pytest.mark.parametrize("condition", BAD_VALUES, ids=[json.dumps(f) for f in BAD_VALUES])
def test_a_bad_filter_value_is_422_naming_the_filter_in_the_seed_names(people, condition):
    r = people.lc.post("/contacts/search", {"locationId": people.lc.location,
                                            "filters": [F("email", "exists"), condition]})
    assert r.status_code == 422, r.text
    [message] = r.json()["message"]
    assert message.startswith("filters[1]"), message
    for native in ("birthday", "$contains", "created_at", "custom_fields"):
        assert native not in message, message


@pytest.mark.parametrize("field", ["phone", "customFields.{score}"])
def test_an_unsortable_field_is_422_naming_sort_0(people, field):
    field = field.format(**people.refs)
    r = people.lc.post("/contacts/search", {"locationId": people.lc.location,
                                            "sort": [{"field": field, "direction": "asc"}]})
    assert r.status_code == 422, r.text
    [message] = r.json()["message"]
    assert message.startswith("sort[0].field") and "custom_fields" not in message, message


@pytest.mark.parametrize("target", ["/contacts/?locationId={uid}&foo=1",
                                    "/contacts/?locationId={uid}&limit=1&limit=2",
                                    "/contacts/search/duplicate?locationId={uid}&phone=1"])
def test_a_400_for_a_query_parameter_has_a_string_message(acct, target):
    r = acct.lc.get(target.format(uid=acct.uid))
    assert r.status_code == 400, r.text
    assert isinstance(r.json()["message"], str), r.json()


def test_a_bad_duplicate_number_is_422_like_other_bad_parameters(acct):
    r = acct.lc.get(f"/contacts/search/duplicate?locationId={acct.uid}&number=junk")
    assert_lc_error(r, 422, ["number must be a phone number: junk"])


# --- bounds and the review's edges ---------------------------------------------------------------

def test_a_scope_refusal_says_so_in_www_authenticate(acct):
    reader = acct.scoped("contacts.readonly")
    r = reader.post("/contacts/", {"locationId": acct.uid, "email": "x@example.com"})
    assert r.status_code == 401 and r.json() == NO_SCOPE, r.text
    assert r.headers["WWW-Authenticate"] == 'Bearer error="insufficient_scope"'


def test_a_search_reads_at_most_20_conditions_and_5_sort_keys(acct):
    many = [F("city", "eq", f"c{i}") for i in range(21)]
    r = acct.lc.post("/contacts/search", {"locationId": acct.uid, "filters": many})
    assert_lc_error(r, 422, ["filters hold at most 20 conditions; filters[20] is one too many"])
    # Inside groups alike: what lies past the bound is not read.
    group = {"group": "AND", "filters": [F("city", "eq", f"c{i}") for i in range(5000)]}
    r = acct.lc.post("/contacts/search", {"locationId": acct.uid, "filters": [group]})
    assert_lc_error(r, 422, ["filters hold at most 20 conditions; filters[0].filters[20] is one "
                             "too many"])
    keys = [{"field": "email", "direction": "asc"}] * 6
    r = acct.lc.post("/contacts/search", {"locationId": acct.uid, "sort": keys})
    assert_lc_error(r, 422, ["sort takes at most 5 fields"])


@pytest.mark.parametrize("bound", [-9223372036854775808, 18446744073709551615,
                                   253402300800000, -62135596800001])
def test_a_time_outside_the_years_1_to_9999_is_422(acct, bound):
    condition = F("dateAdded", "range", {"gt": bound})
    r = acct.lc.post("/contacts/search", {"locationId": acct.uid, "filters": [condition]})
    if bound > 2**63:
        assert_lc_error(r, 422, ["filters[0].value.gt must be a string, a number or a boolean"])
    else:
        assert_lc_error(r, 422, ["filters[0].value.gt must be a time in milliseconds of the years "
                                 "0001 to 9999"])


def test_the_first_and_last_millisecond_of_iso_dates_are_bounds(acct):
    contact = acct.lc.create(email="a@example.com")
    for bounds in ({"gt": -62135596800000}, {"lte": 253402300799999}):
        found = acct.lc.search(filters=[F("dateAdded", "range", bounds)])
        assert [c["id"] for c in found["contacts"]] == [contact["id"]], bounds


def test_phone_exists_counts_numbers_kept_as_free_text(acct):
    # /compat/liondesk keeps a number that does not parse as sent; it is still a phone here.
    r = acct.native.session.post(acct.server.url + "/compat/liondesk/contacts",
                                 json={"first_name": "Free", "mobile_phone": "call the desk"})
    assert r.status_code == 201, r.text
    free = str(r.json()["id"])
    none = acct.lc.create(email="none@example.com")
    assert acct.lc.read(free)["phone"] == "call the desk"
    assert acct.lc.ids(filters=[F("phone", "exists")]) == [free]
    assert acct.lc.ids(filters=[F("phone", "not_exists")]) == [none["id"]]


def test_a_country_that_is_none_does_not_spoil_the_phone(acct):
    for country in ("", "USA", " us "):
        r = acct.lc.post("/contacts/", {"locationId": acct.uid, "phone": "+15551234567",
                                        "country": country})
        if country == " us ":
            assert r.status_code == 201, r.text  # trimmed, upper-cased: US
            assert r.json()["contact"]["country"] == "US"
            continue
        assert r.status_code == 422, r.text
        [message] = r.json()["message"]
        assert message.startswith("country must be an ISO 3166-1 alpha-2"), message


def test_create_takes_no_query_parameters(acct):
    r = acct.lc.post("/contacts/?x=1", {"locationId": acct.uid, "email": "a@example.com"})
    assert r.status_code == 400 and r.json()["message"] == \
        "This request takes no query parameters", r.text
    assert acct.lc.total() == 0


def test_each_custom_field_error_names_its_field(acct):
    acct.field("score", "number")
    acct.field("rank", "number")
    refs = {f["key"]: f["id"] for f in acct.native.get("/custom-fields").json()["data"]}
    r = acct.lc.post("/contacts/", {"locationId": acct.uid, "email": "a@example.com",
                                    "customFields": [{"id": str(refs["score"]), "value": "x"},
                                                     {"key": "rank", "field_value": "y"}]})
    assert_lc_error(r, 422, ["customFields.score must be a number",
                             "customFields.rank must be a number"])


def test_an_account_uid_given_empty_is_refused(server):
    r = server.cli("accounts", "create", "--name", "x", "--uid", "", check=False)
    assert r.returncode != 0
    assert "uid must be 1 to 64 of A-Z, a-z, 0-9, _ and -" in r.stderr

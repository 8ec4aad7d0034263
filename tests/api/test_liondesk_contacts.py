"""Seed 002's LionDesk Contacts API under /compat/liondesk, black-box over HTTP.

Proves: the seed's POST, PATCH, GET, find and DELETE replayed verbatim (double slash, Bill Gates
body) answer the seed's record form key for key, with the account's hotness level, source and
custom fields; every filter example of the seed, sent byte for byte, finds the contacts it names
in a data set built for it, and the other query encodings (qs indexes, `[]`, percent-encoding,
$or, $select, $sort on two keys, phone spellings, tags, company, case) agree; each field limit
refuses one character more with nothing stored and takes the limit itself; phones stay as sent
while the native API holds their E.164 form; company names find or make one native company;
tags split on commas; read-only members are ignored; `own` users see, change and remove
according to the seed's owner/assignee/share rule; errors have Feathers' shape (401, 403, 404,
405, 412, 400 naming fields); ETags; and another account never reaches the contact.
Also: scoped tokens (readonly reads whole records and writes nothing; write answers whole
records and names only existing companies); a record written back keeps its company among
namesakes; blank phones and spouse members are no value; created_at/modified_at rules; spouse
members patched one by one; every operator and $sort key over a data set ordering each field
differently; $or for an `own` user; remove answers what a GET returned and honours If-Match; a
$select has no ETag.
"""
import json
import re
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
import requests

from conftest import Client
from rawhttp import exchange

BASE = "/compat/liondesk"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$")
RECORD_KEYS = ["id", "owner_user_id", "assigned_user_id", "first_name", "last_name", "email",
               "mobile_phone", "home_phone", "office_phone", "fax", "company", "birthday",
               "anniversary", "spouse_name", "spouse_email", "spouse_phone", "spouse_birthday",
               "tags", "created_at", "modified_at", "hotness_id", "source_id", "addresses",
               "hotness", "custom_fields", "source"]
ADDRESS_KEYS = ["id", "type", "street_address_1", "street_address_2", "zip", "city", "state",
                "created_at", "modified_at"]
ERROR_KEYS = {"name", "message", "code", "className", "errors"}
CLASS_NAMES = {"BadRequest": "bad-request", "NotAuthenticated": "not-authenticated",
               "Forbidden": "forbidden", "NotFound": "not-found",
               "MethodNotAllowed": "method-not-allowed",
               "PreconditionFailed": "precondition-failed"}

# The seed's "Submit one Contact" body; the three ids are replaced by the account's own.
SEED_BODY = {
    "assigned_user_id": 2, "first_name": "Bill", "last_name": "Gates",
    "email": "bill@microsoft.com", "mobile_phone": "1 (604) 555-4572",
    "home_phone": "1 (604) 555-1124", "office_phone": "1 (208) 555-4432",
    "fax": "1 (306) 555-0449", "company": "Microsoft", "birthday": "1955-10-28",
    "anniversary": "2017-10-31", "spouse_name": "Melinda Gates",
    "spouse_email": "melinda@gatesfoundation.com", "spouse_phone": "1 (604) 555-1124",
    "spouse_birthday": "1964-08-15", "tags": "Pending", "created_at": "2016-07-01T12:12:11.000Z",
    "modified_at": "2018-01-09T12:24:09.000Z", "hotness_id": 12, "source_id": 12}
SEED_ADDRESS = {"type": "Main Office", "street_address_1": "1428 S. Broadway",
                "street_address_2": "", "zip": "75482", "city": "Sulphur Springs", "state": ""}
UNLISTED = ("assigned_user_id", "hotness_id", "source_id")
PLAIN_BILL = {k: v for k, v in SEED_BODY.items() if k not in UNLISTED}


class LionDesk:
    """A requests session speaking to /compat/liondesk with the seed's headers."""

    def __init__(self, server, token):
        self.server = server
        self.token = token
        self.session = requests.Session()
        self.session.headers["Content-Type"] = "application/json"
        if token is not None:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def request(self, method, path, body=None, **kw):
        if body is not None:
            kw["data"] = body if isinstance(body, str) else json.dumps(body)
        return self.session.request(method, self.server.url + BASE + path, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body, **kw)

    def patch(self, path, body, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def raw_get(self, target):
        """GET with the target's bytes as written: requests (urllib3 2) would percent-encode
        the seed's `[` and `]`."""
        head = (f"GET {BASE}{target} HTTP/1.1\r\nHost: 127.0.0.1:{self.server.port}\r\n"
                f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
                "Connection: close\r\n\r\n")
        return exchange(self.server.port, head.encode("ascii")).as_requests()

    def create(self, **fields):
        r = self.post("/contacts", fields)
        assert r.status_code == 201, r.text
        return r.json()

    def read(self, contact_id):
        r = self.get(f"/contacts/{contact_id}")
        assert r.status_code == 200, r.text
        return r.json()

    def find(self, query="", path="/contacts"):
        r = self.raw_get(path + ("?" + query if query else ""))
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"total", "limit", "skip", "data"}, body
        return body


class Account:
    """A fresh account: its admin on both APIs, and helpers for its users and lists."""

    def __init__(self, server):
        self.server = server
        self.id = server.account()["id"]
        token = server.token(self.id, "admin")
        self.native = Client(server, token)
        self.ld = LionDesk(server, token)
        self.user_id = self.native.get("/me").json()["data"]["id"]

    def make(self, path, **body):
        r = self.native.post(path, body)
        assert r.status_code == 201, r.text
        return r.json()["data"]

    def user(self, visibility="own"):
        user = self.make("/users", role="editor", visibility=visibility)
        token = self.make(f"/users/{user['id']}/tokens")["token"]
        return SimpleNamespace(id=user["id"], ld=LionDesk(self.server, token),
                               native=Client(self.server, token))

    def scoped(self, *scopes):
        """A LionDesk client with a new token of the admin narrowed to `scopes`."""
        token = self.make(f"/users/{self.user_id}/tokens", scopes=list(scopes))["token"]
        return LionDesk(self.server, token)

    def seed_lists(self):
        """The seed record's hotness level, source and custom field."""
        return (self.make("/hotness-levels", name="Pending", rank=14, color="#3b274c"),
                self.make("/sources", name="Zillow Lead"),
                self.make("/custom-fields", key="infrastructures", name="infrastructures",
                          data_type="number", rank=2))

    def native_contact(self, contact_id):
        r = self.native.get(f"/contacts/{contact_id}")
        assert r.status_code == 200, r.text
        return r.json()["data"]


@pytest.fixture
def acct(server):
    return Account(server)


def assert_ld_error(r, status, name, fields=()):
    """Feathers' error shape: name, message, code, className, errors naming `fields`."""
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == ERROR_KEYS, body
    assert (body["name"], body["code"], body["className"]) == (name, status, CLASS_NAMES[name])
    assert isinstance(body["message"], str) and body["message"], body
    assert isinstance(body["errors"], dict), body
    for field in fields:
        assert field in body["errors"], (field, body)
    if not fields and status != 400:
        assert body["errors"] == {}, body
    return body


def ms(native_timestamp):
    """A native `...:15Z` time as LionDesk writes it: `...:15.000Z`."""
    return native_timestamp[:-1] + ".000Z"


def seed_body(assignee_id, level, source):
    return {**SEED_BODY, "assigned_user_id": assignee_id, "hotness_id": level["id"],
            "source_id": source["id"]}


def seed_record(contact_id, owner_id, body, level, source, field):
    """The seed's GET response form for `body`, keys in the contract's order."""
    record = {"id": contact_id, "owner_user_id": owner_id, **body, "addresses": [],
              "hotness": {"name": "Pending", "rank": 14, "color": "#3b274c"},
              "custom_fields": [{"id": field["id"], "user_id": None, "name": "infrastructures",
                                 "rank": 2, "data_type": "Number", "value": None}],
              "source": {"id": source["id"], "name": "Zillow Lead", "user_id": None,
                         "created_at": ms(source["created_at"])}}
    return {key: record[key] for key in RECORD_KEYS}


def pieces(total, longest, fill):
    """Distinct strings of at most `longest` characters making `total` joined by one separator."""
    out = []
    while total > 0:
        size = min(longest, total)
        if total - size == 1:  # no room for a separator and a piece
            size -= 1
        out.append(str(len(out)).ljust(size, fill))
        total -= size + 1
    return out


def email_of(length):
    """A valid address of `length` characters: local part <= 64, domain labels <= 63."""
    local = "e" * min(64, length - 10)
    return local + "@" + ".".join(pieces(length - len(local) - len("@.com"), 63, "d")) + ".com"


def tags_of(length):
    """A tags string of `length` characters whose tags each fit the 64-character tag limit."""
    return ",".join(pieces(length, 60, "t"))


def ids(body):
    return [c["id"] for c in body["data"]]


# --- the seed's requests, verbatim ---------------------------------------------------------------

def test_the_seed_post_patch_and_get_give_the_seeds_record(acct):
    level, source, field = acct.seed_lists()
    assignee, other = acct.user("account"), acct.user("account")
    body = seed_body(assignee.id, level, source)
    r = acct.ld.post("//contacts", body)
    assert r.status_code == 201, r.text
    created = r.json()
    assert list(created) == RECORD_KEYS and isinstance(created["id"], int)
    assert created == seed_record(created["id"], acct.user_id, body, level, source, field)

    r = acct.ld.patch(f"//contacts/{created['id']}",
                      {"assigned_user_id": str(other.id), "first_name": "Bill"})
    assert r.status_code == 200, r.text
    patched = r.json()
    assert list(patched) == RECORD_KEYS
    assert patched["assigned_user_id"] == other.id
    assert TIMESTAMP.match(patched["modified_at"])
    assert patched["modified_at"] > SEED_BODY["modified_at"]  # an edit is a modification
    assert patched == {**created, "assigned_user_id": other.id,
                       "modified_at": patched["modified_at"]}

    r = acct.ld.get(f"//contacts/{created['id']}")
    assert r.status_code == 200, r.text
    assert r.json() == patched


def test_the_seed_delete_returns_the_removed_record_then_404(acct):
    created = acct.ld.create(**PLAIN_BILL)
    path = f"//contacts/{created['id']}"
    r = acct.ld.delete(path)
    assert r.status_code == 200, r.text
    assert r.json() == created
    message = f"No record found for id '{created['id']}'"
    for r in (acct.ld.get(path), acct.ld.patch(path, {"first_name": "B"}), acct.ld.delete(path)):
        assert assert_ld_error(r, 404, "NotFound")["message"] == message
    assert acct.ld.find()["total"] == 0
    # A soft delete, as a native one: the native API restores it.
    assert acct.native.post(f"/contacts/{created['id']}/restore").status_code == 200
    assert acct.ld.read(created["id"])["first_name"] == "Bill"


# --- find: the seed's filter examples and the other encodings -----------------------------------

OTHERS = [
    ("steve", {"first_name": "Steve", "last_name": "Jobs", "email": "steve.jobs@apple.com",
               "mobile_phone": "1 (250) 555-8899", "company": "Apple", "tags": "Seller",
               "created_at": "2017-11-21T07:08:10.000Z",
               "modified_at": "2018-02-01T07:08:10.000Z"}),
    ("melinda", {"first_name": "Melinda", "last_name": "Gates", "company": "microsoft",
                 "tags": "pending, vip", "created_at": "2017-01-15T09:30:00.000Z"}),
    ("tim", {"first_name": "Tim", "last_name": "Cook", "company": "Apple",
             "created_at": "2019-06-01T12:00:00.000Z"}),
    # No last name; created exactly at 2018-05-07T10:00:00-07:00.
    ("prince", {"first_name": "Prince", "created_at": "2018-05-07T17:00:00.000Z"}),
    ("steveg", {"first_name": "Steve", "last_name": "Gates",
                "created_at": "2020-03-01T08:00:00.000Z"}),
]


@pytest.fixture(scope="module")
def people(server):
    """Its own account, only read by the tests using it: Bill (the seed body, created
    2016-07-01) and OTHERS, in this order (find's default order is by id)."""
    acct = Account(server)
    level, source, _ = acct.seed_lists()
    bill = acct.ld.create(**seed_body(acct.user("account").id, level, source))
    made = {"bill": bill["id"]}
    made.update((name, acct.ld.create(**body)["id"]) for name, body in OTHERS)
    return SimpleNamespace(acct=acct, ld=acct.ld, ids=made, bill=bill)


def test_the_seed_find_answers_the_seeds_envelope(people):
    body = people.ld.find(path="//contacts")
    assert (body["total"], body["limit"], body["skip"]) == (6, 10, 0)
    assert ids(body) == list(people.ids.values())
    assert body["data"][0] == people.ld.read(people.ids["bill"])
    assert all(list(record) == RECORD_KEYS for record in body["data"])


ALL = ["bill", "steve", "melinda", "tim", "prince", "steveg"]
GATES = ["bill", "melinda", "steveg"]
GATES_OR_JOBS = ["bill", "steve", "melinda", "steveg"]
SEED_FILTERS = [
    ("first_name=bill&last_name=gates", ["bill"], {}),
    ("last_name[$ne]=gates", ["steve", "tim", "prince"], {}),
    ("$limit=2", ["bill", "steve"], {"total": 6, "limit": 2}),
    ("last_name=gates&$limit=2&$skip=2", ["steveg"], {"total": 3, "limit": 2, "skip": 2}),
    ("$limit=10&$sort[created_at]=-1", ["steveg", "tim", "prince", "steve", "melinda", "bill"],
     {}),
    ("last_name[$in]=gates&last_name[$in]=jobs", GATES_OR_JOBS, {}),
    ("last_name[$nin]=gates&last_name[$nin]=jobs", ["tim", "prince"], {}),
    ("created_at[$lt]=2020-01-01T00:00:00Z", ALL[:5], {}),
    ("created_at[$gte]=2018-05-07T10:00:00-07:00", ["tim", "prince", "steveg"], {}),
    ("created_at[$gte]=2017-01-01&created_at[$lte]=2017-01-31T00:00:00Z", ["melinda"], {}),
]
IN_SORTED = "last_name[$in]=gates&last_name[$in]=jobs&last_name[$in]=cook"
MORE_FILTERS = [
    ("last_name%5B%24in%5D=gates&last_name%5B%24in%5D=jobs", GATES_OR_JOBS, {}),
    ("last_name%5B%24in%5D%5B0%5D=gates&last_name%5B%24in%5D%5B1%5D=jobs", GATES_OR_JOBS, {}),
    ("last_name[$in][0]=gates&last_name[$in][1]=jobs", GATES_OR_JOBS, {}),
    ("last_name[$in][]=gates&last_name[$in][]=jobs", GATES_OR_JOBS, {}),
    ("$or[0][last_name]=gates&$or[1][first_name][$ne]=steve",
     ["bill", "melinda", "tim", "prince", "steveg"], {}),
    ("last_name=GATES", GATES, {}),
    ("mobile_phone=1%20(604)%20555-4572", ["bill"], {}),
    ("mobile_phone=%2B16045554572", ["bill"], {}),
    ("mobile_phone=6045554572", ["bill"], {}),
    ("tags=pending", ["bill", "melinda"], {}),
    ("company=microsoft", ["bill", "melinda"], {}),
    (IN_SORTED + "&$sort[last_name]=1&$sort[first_name]=-1",
     ["tim", "steveg", "melinda", "bill", "steve"], {}),
    (IN_SORTED + "&$sort[last_name]=-1&$sort[first_name]=1",
     ["steve", "bill", "melinda", "steveg", "tim"], {}),
]


@pytest.mark.parametrize("query, names, envelope", SEED_FILTERS + MORE_FILTERS,
                         ids=[q for q, _, _ in SEED_FILTERS + MORE_FILTERS])
def test_filters_find_what_they_name(people, query, names, envelope):
    body = people.ld.find(query)
    assert ids(body) == [people.ids[name] for name in names], query
    expected = {"total": len(names), "limit": 10, "skip": 0, **envelope}
    assert {k: body[k] for k in expected} == expected


@pytest.mark.parametrize("query, keys", [
    ("$select[0]=id&$select[1]=email", {"id", "email"}),
    ("$select[]=first_name", {"id", "first_name"}),
    ("$select=first_name&$select=last_name", {"id", "first_name", "last_name"})])
def test_select_keeps_the_selected_keys_and_id(people, query, keys):
    body = people.ld.find(query)
    assert body["total"] == 6 and len(body["data"]) == 6
    assert all(set(record) == keys for record in body["data"]), body
    bill = [r for r in body["data"] if r["id"] == people.ids["bill"]][0]
    assert {k: bill[k] for k in keys} == {k: people.bill[k] for k in keys}


def test_limits_are_capped_at_100_and_zero_only_counts(people):
    body = people.ld.find("$limit=500")
    assert (body["limit"], body["total"], len(body["data"])) == (100, 6, 6)
    body = people.ld.find("$limit=0")
    assert (body["limit"], body["total"], body["data"]) == (0, 6, [])


@pytest.mark.parametrize("query, named", [("nickname=bill", "nickname"),
                                          ("last_name[$like]=gat", "last_name[$like]"),
                                          ("$sort[nickname]=1", "$sort[nickname]"),
                                          ("$foo=1", "$foo")])
def test_an_unknown_parameter_or_operator_is_400(people, query, named):
    body = assert_ld_error(people.ld.raw_get("/contacts?" + query), 400, "BadRequest", [named])
    assert set(body["errors"]) == {named}, body


# --- writes: limits, rules, the native view ------------------------------------------------------

# birthday and anniversary (45) are not here: no date is that long, see the date test below.
LIMITS = [  # field, a value exactly at its limit, one character over it
    ("first_name", "n" * 255, "n" * 256),
    ("last_name", "n" * 255, "n" * 256),
    ("email", email_of(254), email_of(256)),  # 254: the longest address RFC 5321 allows
    ("mobile_phone", "5" * 255, "5" * 256),
    ("home_phone", "5" * 45, "5" * 46),
    ("office_phone", "5" * 45, "5" * 46),
    ("fax", "5" * 45, "5" * 46),
    ("company", "c" * 45, "c" * 46),
    ("spouse_name", "s" * 45, "s" * 46),
    ("spouse_email", email_of(45), email_of(46)),
    ("tags", tags_of(508), tags_of(509)),
]


@pytest.mark.parametrize("field, at_limit, over", LIMITS, ids=[f for f, _, _ in LIMITS])
def test_a_field_over_its_limit_is_400_and_nothing_is_stored(acct, field, at_limit, over):
    kept = acct.ld.create(first_name="Kept")
    assert_ld_error(acct.ld.post("/contacts", {field: over}), 400, "BadRequest", [field])
    assert_ld_error(acct.ld.patch(f"/contacts/{kept['id']}", {field: over}), 400, "BadRequest",
                    [field])
    assert acct.ld.find()["total"] == 1
    assert acct.ld.read(kept["id"]) == kept
    assert acct.ld.create(**{field: at_limit})[field] == at_limit


@pytest.mark.parametrize("field", ["birthday", "anniversary"])
def test_a_date_field_refuses_a_non_date_at_its_limit_and_a_value_over_it(acct, field):
    """No date reaches the 45-character limit: 45 characters are refused as no date, 46 as too
    long; nothing is stored either way."""
    kept = acct.ld.create(first_name="Kept")
    path = f"/contacts/{kept['id']}"
    at_limit, over = "1955-10-28".ljust(45, "x"), "1955-10-28".ljust(46, "x")
    for r in (acct.ld.post("/contacts", {field: at_limit}), acct.ld.patch(path, {field: at_limit})):
        message = assert_ld_error(r, 400, "BadRequest", [field])["errors"][field]
        assert "date" in message and "characters" not in message, message
    for r in (acct.ld.post("/contacts", {field: over}), acct.ld.patch(path, {field: over})):
        message = assert_ld_error(r, 400, "BadRequest", [field])["errors"][field]
        assert "45 characters" in message, message
    assert acct.ld.find()["total"] == 1 and acct.ld.read(kept["id"]) == kept


@pytest.mark.parametrize("body, field", [
    ({"first_name": "Bill", "nickname": "Trey"}, "nickname"),
    ({"email": "bill-at-microsoft"}, "email"),
    ({"spouse_email": "melinda@"}, "spouse_email"),
    ({"birthday": "someday"}, "birthday"),
    ({"assigned_user_id": "two"}, "assigned_user_id")])
def test_a_bad_member_is_400_naming_it(acct, body, field):
    kept = acct.ld.create(first_name="Kept")
    assert_ld_error(acct.ld.post("/contacts", body), 400, "BadRequest", [field])
    assert_ld_error(acct.ld.patch(f"/contacts/{kept['id']}", body), 400, "BadRequest", [field])
    assert acct.ld.find()["total"] == 1 and acct.ld.read(kept["id"]) == kept


@pytest.mark.parametrize("raw", ["[1, 2]", '"Bill"', "42", "{not json"])
def test_a_body_that_is_not_a_json_object_is_400(acct, raw):
    assert_ld_error(acct.ld.post("/contacts", raw), 400, "BadRequest")
    assert acct.ld.find()["total"] == 0


def test_an_empty_body_makes_an_empty_contact(acct):
    got = acct.ld.create()
    assert list(got) == RECORD_KEYS and got["owner_user_id"] == acct.user_id
    assert TIMESTAMP.match(got["created_at"]) and TIMESTAMP.match(got["modified_at"])
    assert (got["addresses"], got["custom_fields"]) == ([], [])
    filled = {"id", "owner_user_id", "created_at", "modified_at", "addresses", "custom_fields"}
    assert all(got[key] is None for key in RECORD_KEYS if key not in filled), got


def test_the_native_api_sees_e164_phones_one_company_and_the_times(acct):
    bill = acct.ld.create(**{**PLAIN_BILL, "office_phone": "ask for the front desk"})
    assert acct.ld.read(bill["id"])["mobile_phone"] == "1 (604) 555-4572"
    assert bill["office_phone"] == "ask for the front desk"
    native = acct.native_contact(bill["id"])
    phones = {p["type"]: (p["raw"], p["e164"]) for p in native["phones"]}
    assert phones == {"mobile": ("1 (604) 555-4572", "+16045554572"),
                      "home": ("1 (604) 555-1124", "+16045551124"),
                      "office": ("ask for the front desk", None),
                      "fax": ("1 (306) 555-0449", "+13065550449")}
    spouse = {k: native["spouse"][k] for k in ("name", "email", "phone", "birthday")}
    assert spouse == {"name": "Melinda Gates", "email": "melinda@gatesfoundation.com",
                      "phone": "+16045551124", "birthday": "1964-08-15"}
    assert (native["birthday"], native["anniversary"]) == ("1955-10-28", "2017-10-31")
    assert native["tags"] == ["Pending"] and native["owner_user_id"] == acct.user_id
    assert (native["created_at"], native["updated_at"]) == ("2016-07-01T12:12:11Z",
                                                            "2018-01-09T12:24:09Z")
    company_id = native["company_id"]
    r = acct.native.get(f"/companies/{company_id}")
    assert r.status_code == 200 and r.json()["data"]["name"] == "Microsoft"
    # Found again case-insensitively: one company, read under its own name.
    melinda = acct.ld.create(first_name="Melinda", company="microsoft")
    assert melinda["company"] == "Microsoft"
    assert acct.native_contact(melinda["id"])["company_id"] == company_id
    apple = acct.ld.create(company="Apple")
    assert acct.native_contact(apple["id"])["company_id"] not in (None, company_id)
    r = acct.ld.patch(f"/contacts/{apple['id']}", {"company": ""})
    assert r.status_code == 200 and r.json()["company"] is None
    assert acct.native_contact(apple["id"])["company_id"] is None


def test_tags_split_on_commas_and_dates_read_as_yyyy_mm_dd(acct):
    got = acct.ld.create(tags="a, b,,c", birthday="10/28/1955")
    assert (got["tags"], got["birthday"]) == ("a,b,c", "1955-10-28")
    assert sorted(acct.native_contact(got["id"])["tags"]) == ["a", "b", "c"]
    r = acct.ld.patch(f"/contacts/{got['id']}", {"tags": ""})
    assert r.status_code == 200 and r.json()["tags"] is None
    assert acct.native_contact(got["id"])["tags"] == []


def test_custom_fields_and_addresses_are_written(acct):
    _, _, field = acct.seed_lists()
    got = acct.ld.create(custom_fields=[{"id": field["id"], "value": 42}],
                         addresses=[SEED_ADDRESS])
    assert got["custom_fields"] == [{"id": field["id"], "user_id": None,
                                     "name": "infrastructures", "rank": 2,
                                     "data_type": "Number", "value": 42}]
    [address] = got["addresses"]
    assert list(address) == ADDRESS_KEYS and isinstance(address["id"], int)
    for key in ("type", "street_address_1", "zip", "city"):
        assert address[key] == SEED_ADDRESS[key], key
    assert address["street_address_2"] in ("", None) and address["state"] in ("", None)
    assert (address["created_at"], address["modified_at"]) == (None, None)
    assert acct.ld.read(got["id"]) == got


def test_patch_ignores_read_only_members_and_returns_the_whole_record(acct):
    other = acct.user("account")
    created = acct.ld.create(first_name="Ada", owner_user_id=other.id,
                             created_at="2015-03-04T05:06:07.000Z")
    assert created["owner_user_id"] == acct.user_id
    assert created["created_at"] == "2015-03-04T05:06:07.000Z"
    r = acct.ld.patch(f"/contacts/{created['id']}", {
        "id": created["id"] + 1000, "owner_user_id": other.id, "last_name": "Lovelace",
        "created_at": "2001-01-01T00:00:00.000Z", "modified_at": "2001-01-01T00:00:00.000Z",
        "hotness": {"name": "Hot", "rank": 1, "color": "#ffffff"},
        "source": {"id": 1, "name": "Referral", "user_id": None, "created_at": None}})
    assert r.status_code == 200, r.text
    got = r.json()
    assert list(got) == RECORD_KEYS
    assert got["modified_at"] != "2001-01-01T00:00:00.000Z"
    assert got == {**created, "last_name": "Lovelace", "modified_at": got["modified_at"]}
    assert acct.ld.read(created["id"]) == got


def test_the_assigned_user_is_a_user_of_the_account(acct, server):
    mate = acct.user("account")
    created = acct.ld.create(assigned_user_id=str(mate.id))
    assert created["assigned_user_id"] == mate.id
    path = f"/contacts/{created['id']}"
    foreign = Account(server).user_id
    for bad in (foreign, str(foreign), 999999999, "abc"):
        assert_ld_error(acct.ld.post("/contacts", {"assigned_user_id": bad}), 400,
                        "BadRequest", ["assigned_user_id"])
        assert_ld_error(acct.ld.patch(path, {"assigned_user_id": bad}), 400, "BadRequest",
                        ["assigned_user_id"])
    assert acct.ld.find()["total"] == 1
    r = acct.ld.patch(path, {"assigned_user_id": None})
    assert r.status_code == 200 and r.json()["assigned_user_id"] is None


# --- who sees, changes and removes ---------------------------------------------------------------

@pytest.fixture
def shared(acct):
    """Zelda, owned by an `own` user, assigned to another and shared with a third; a stranger
    (also `own`) and the admin's own contact, which none of them sees."""
    who = {name: acct.user("own") for name in ("owner", "assignee", "sharee", "stranger")}
    zelda = who["owner"].ld.create(first_name="Zelda", last_name="Quartz",
                                   assigned_user_id=who["assignee"].id)
    assert zelda["owner_user_id"] == who["owner"].id
    r = who["owner"].native.post(f"/contacts/{zelda['id']}/shares",
                                 {"user_id": who["sharee"].id})
    assert r.status_code == 201, r.text
    acct.ld.create(first_name="Admin", last_name="Quartz")
    return acct, who, zelda


@pytest.mark.parametrize("who, sees", [("owner", True), ("assignee", True), ("sharee", True),
                                       ("stranger", False)])
def test_get_find_and_patch_follow_visibility(shared, who, sees):
    acct, users, zelda = shared
    client = users[who].ld
    path = f"/contacts/{zelda['id']}"
    expected = [zelda["id"]] if sees else []
    for query in ("", "last_name=quartz"):
        body = client.find(query)
        assert ids(body) == expected and body["total"] == len(expected)
    if sees:
        assert client.read(zelda["id"]) == zelda
        r = client.patch(path, {"email": f"{who}@example.com"})
        assert r.status_code == 200 and r.json()["email"] == f"{who}@example.com"
    else:
        assert_ld_error(client.get(path), 404, "NotFound")
        assert_ld_error(client.patch(path, {"email": "x@example.com"}), 404, "NotFound")
        assert acct.ld.read(zelda["id"]) == zelda


@pytest.mark.parametrize("who, status", [("assignee", 403), ("sharee", 403), ("stranger", 404),
                                         ("owner", 200)])
def test_only_the_owner_removes(shared, who, status):
    acct, users, zelda = shared
    r = users[who].ld.delete(f"/contacts/{zelda['id']}")
    if status == 200:
        assert r.status_code == 200 and r.json() == zelda
        assert_ld_error(acct.ld.get(f"/contacts/{zelda['id']}"), 404, "NotFound")
    else:
        assert_ld_error(r, status, "Forbidden" if status == 403 else "NotFound")
        assert acct.ld.read(zelda["id"]) == zelda


def test_another_account_never_sees_or_touches_the_contact(acct, server):
    zelda = acct.ld.create(first_name="Zelda", last_name="Quartz", email="zelda@example.com")
    other = Account(server)
    path = f"/contacts/{zelda['id']}"
    for r in (other.ld.get(path), other.ld.patch(path, {"first_name": "Eve"}),
              other.ld.delete(path)):
        assert_ld_error(r, 404, "NotFound")
    for query in ("", f"id={zelda['id']}", "last_name=quartz", "email=zelda@example.com"):
        body = other.ld.find(query)
        assert (body["total"], body["data"]) == (0, []), query
    assert acct.ld.read(zelda["id"]) == zelda


# --- errors and conditional requests -------------------------------------------------------------

def test_errors_have_the_feathers_shape(acct, server):
    zelda = acct.ld.create(first_name="Zelda")
    path = f"/contacts/{zelda['id']}"
    for client in (LionDesk(server, None), LionDesk(server, "not-a-token")):
        for r in (client.get("/contacts"), client.get(path), client.delete(path)):
            assert_ld_error(r, 401, "NotAuthenticated")
    assert_ld_error(acct.ld.get("/contacts/abc"), 404, "NotFound")
    body = assert_ld_error(acct.ld.get("/contacts/999999999"), 404, "NotFound")
    assert body["message"] == "No record found for id '999999999'"
    for method, target, body in (("PUT", path, {"first_name": "Eve"}),
                                 ("PATCH", "/contacts", {"first_name": "Eve"}),
                                 ("DELETE", "/contacts", None)):
        assert_ld_error(acct.ld.request(method, target, body), 405, "MethodNotAllowed")
    assert acct.ld.read(zelda["id"]) == zelda


def test_etags_if_none_match_and_a_stale_if_match(acct):
    created = acct.ld.create(first_name="Ada")
    path = f"/contacts/{created['id']}"
    etag = acct.ld.get(path).headers["ETag"]
    r = acct.ld.get(path, headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.content == b""
    r = acct.ld.patch(path, {"last_name": "Lovelace"}, headers={"If-Match": etag})
    assert r.status_code == 200, r.text
    assert_ld_error(acct.ld.patch(path, {"last_name": "Byron"}, headers={"If-Match": etag}),
                    412, "PreconditionFailed")
    r = acct.ld.get(path, headers={"If-None-Match": etag})
    assert r.status_code == 200 and r.json()["last_name"] == "Lovelace"
    assert r.headers["ETag"] != etag
    r = acct.ld.raw_get(path + "?$select[0]=first_name")
    assert r.status_code == 200 and r.json() == {"id": created["id"], "first_name": "Ada"}


def test_a_selection_has_no_etag_and_a_whole_get_has_one(acct):
    created = acct.ld.create(first_name="Ada", last_name="Lovelace")
    path = f"/contacts/{created['id']}"
    r = acct.ld.get(path)
    assert r.status_code == 200 and r.headers["ETag"] == '"1"', r.headers
    for r in (acct.ld.raw_get(path + "?$select[0]=first_name"),
              acct.ld.raw_get(path + "?$select[]=first_name&$select[]=last_name")):
        assert r.status_code == 200 and "ETag" not in r.headers, r.headers
        assert r.json()["first_name"] == "Ada"


# --- remove: what it answers, and If-Match -------------------------------------------------------

def test_the_owner_removes_and_gets_the_record_a_get_just_returned(acct):
    level, source, field = acct.seed_lists()
    owner = acct.user("own")
    bill = owner.ld.create(**seed_body(owner.id, level, source), addresses=[SEED_ADDRESS],
                           custom_fields=[{"id": field["id"], "value": 42}])
    path = f"/contacts/{bill['id']}"
    r = owner.ld.patch(path, {"tags": "Pending, Buyer", "email": "trey@microsoft.com"})
    assert r.status_code == 200, r.text
    before = owner.ld.read(bill["id"])
    assert before["tags"] == "Pending,Buyer" and before["custom_fields"][0]["value"] == 42
    r = owner.ld.delete(path)
    assert r.status_code == 200, r.text
    assert r.json() == before
    assert_ld_error(owner.ld.get(path), 404, "NotFound")
    assert acct.ld.find()["total"] == 0


def test_a_remove_with_a_stale_if_match_is_412_and_the_current_one_removes(acct):
    created = acct.ld.create(first_name="Ada")
    path = f"/contacts/{created['id']}"
    stale = acct.ld.get(path).headers["ETag"]
    assert acct.ld.patch(path, {"last_name": "Lovelace"}).status_code == 200
    assert_ld_error(acct.ld.delete(path, headers={"If-Match": stale}), 412, "PreconditionFailed")
    current = acct.ld.get(path)
    assert current.status_code == 200 and current.json()["last_name"] == "Lovelace"
    assert current.headers["ETag"] != stale
    r = acct.ld.delete(path, headers={"If-Match": current.headers["ETag"]})
    assert r.status_code == 200 and r.json() == current.json()
    assert_ld_error(acct.ld.get(path), 404, "NotFound")


# --- scoped tokens -------------------------------------------------------------------------------

def test_a_readonly_token_gets_and_finds_whole_records_but_writes_nothing(acct):
    level, source, field = acct.seed_lists()
    bill = acct.ld.create(**seed_body(acct.user_id, level, source))
    reader = acct.scoped("contacts.readonly")
    got = reader.read(bill["id"])
    assert got == bill
    assert got["custom_fields"] == [{"id": field["id"], "user_id": None, "name": "infrastructures",
                                     "rank": 2, "data_type": "Number", "value": None}]
    assert got["source"] == {"id": source["id"], "name": "Zillow Lead", "user_id": None,
                             "created_at": ms(source["created_at"])}
    assert reader.find()["data"] == [bill]
    assert reader.find("last_name=gates")["data"] == [bill]
    path = f"/contacts/{bill['id']}"
    for r in (reader.post("/contacts", PLAIN_BILL), reader.patch(path, {"first_name": "Trey"}),
              reader.delete(path)):
        body = assert_ld_error(r, 403, "Forbidden")
        assert body["message"] == "This token lacks the scope contacts.write", body
    assert acct.ld.find()["total"] == 1 and acct.ld.read(bill["id"]) == bill


def test_a_write_token_creates_patches_and_removes_answering_whole_records(acct):
    level, source, field = acct.seed_lists()
    acct.native.company("Microsoft")  # the token may not create companies
    writer = acct.scoped("contacts.write")
    body = seed_body(acct.user_id, level, source)
    r = writer.post("/contacts", body)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created == seed_record(created["id"], acct.user_id, body, level, source, field)
    assert ids(acct.ld.find()) == [created["id"]]
    assert acct.ld.read(created["id"]) == created

    path = f"/contacts/{created['id']}"
    r = writer.patch(path, {"last_name": "Gates III",
                            "custom_fields": [{"id": field["id"], "value": 7}]})
    assert r.status_code == 200, r.text
    patched = r.json()
    assert patched == {**created, "last_name": "Gates III", "modified_at": patched["modified_at"],
                       "custom_fields": [{**created["custom_fields"][0], "value": 7}]}
    assert acct.ld.read(created["id"]) == patched

    r = writer.delete(path)
    assert r.status_code == 200, r.text
    assert r.json() == patched
    assert_ld_error(acct.ld.get(path), 404, "NotFound")
    assert acct.ld.find()["total"] == 0


def test_a_write_token_names_only_companies_the_account_has(acct):
    writer = acct.scoped("contacts.write")
    r = writer.post("/contacts", {"first_name": "Bill", "company": "Microsoft"})
    assert_ld_error(r, 403, "Forbidden")
    assert acct.ld.find()["total"] == 0
    assert acct.native.get("/companies").json()["data"] == []
    kept = writer.create(first_name="Kept")
    assert_ld_error(writer.patch(f"/contacts/{kept['id']}", {"company": "Microsoft"}), 403,
                    "Forbidden")
    assert acct.ld.read(kept["id"]) == kept
    assert acct.native.get("/companies").json()["data"] == []

    company = acct.native.company("Microsoft")
    bill = writer.create(first_name="Bill", company="MICROSOFT")
    assert bill["company"] == "Microsoft"
    assert acct.native_contact(bill["id"])["company_id"] == company["id"]
    assert [c["id"] for c in acct.native.get("/companies").json()["data"]] == [company["id"]]


# --- writes: company write-back, blank values, times, spouse members -----------------------------

def test_writing_a_record_back_keeps_its_company_among_namesakes(acct):
    first, second = acct.native.company("Apple"), acct.native.company("Apple")
    steve = acct.ld.create(first_name="Steve", company="Apple")
    assert acct.native_contact(steve["id"])["company_id"] == first["id"]  # the oldest
    tim = acct.native.contact(second["id"], first_name="Tim")
    path = f"/contacts/{tim['id']}"
    record = acct.ld.read(tim["id"])
    assert record["company"] == "Apple"

    r = acct.ld.patch(path, record)
    assert r.status_code == 200, r.text
    assert r.json() == {**record, "modified_at": r.json()["modified_at"]}
    assert acct.native_contact(tim["id"])["company_id"] == second["id"]
    r = acct.ld.patch(path, {"company": "APPLE"})
    assert r.status_code == 200 and r.json()["company"] == "Apple", r.text
    assert acct.native_contact(tim["id"])["company_id"] == second["id"]

    r = acct.ld.patch(path, {"company": "Microsoft"})
    assert r.status_code == 200 and r.json()["company"] == "Microsoft", r.text
    moved = acct.native_contact(tim["id"])["company_id"]
    assert moved not in (None, first["id"], second["id"])
    assert acct.native.get(f"/companies/{moved}").json()["data"]["name"] == "Microsoft"
    r = acct.ld.patch(path, {"company": ""})
    assert r.status_code == 200 and r.json()["company"] is None, r.text
    assert acct.native_contact(tim["id"])["company_id"] is None


def test_blank_phones_and_spouse_members_are_no_value(acct):
    ada = acct.ld.create(first_name="Ada", home_phone="", spouse_name="", spouse_phone="")
    assert (ada["home_phone"], ada["spouse_name"], ada["spouse_phone"]) == (None, None, None)
    assert acct.native_contact(ada["id"])["phones"] == []

    bill = acct.ld.create(**PLAIN_BILL)
    path = f"/contacts/{bill['id']}"
    r = acct.ld.patch(path, {"home_phone": ""})
    assert r.status_code == 200, r.text
    assert r.json() == {**bill, "home_phone": None, "modified_at": r.json()["modified_at"]}
    native = acct.native_contact(bill["id"])
    assert sorted(p["type"] for p in native["phones"]) == ["fax", "mobile", "office"]

    r = acct.ld.patch(path, {"spouse_phone": ""})
    assert r.status_code == 200, r.text
    assert (r.json()["spouse_phone"], r.json()["spouse_name"]) == (None, "Melinda Gates")
    assert acct.native_contact(bill["id"])["spouse"]["phone"] is None
    r = acct.ld.patch(path, {"spouse_name": ""})
    assert r.status_code == 200, r.text
    spouse = {k: v for k, v in r.json().items() if k.startswith("spouse_")}
    assert spouse == {"spouse_name": None, "spouse_email": "melinda@gatesfoundation.com",
                      "spouse_phone": None, "spouse_birthday": "1964-08-15"}
    native = acct.native_contact(bill["id"])["spouse"]
    assert (native["name"], native["email"]) == (None, "melinda@gatesfoundation.com")


@pytest.mark.parametrize("body, field", [
    ({"created_at": "2999-01-01T00:00:00.000Z"}, "created_at"),
    ({"modified_at": "2999-01-01T00:00:00.000Z"}, "modified_at"),
    ({"created_at": "2018-01-09T12:24:09.000Z", "modified_at": "2018-01-09T12:24:08.000Z"},
     "modified_at"),
    ({"created_at": "yesterday"}, "created_at"),
    ({"modified_at": "2018-13-09T12:24:09Z"}, "modified_at")])
def test_a_time_in_the_future_out_of_order_or_unreadable_is_400_naming_it(acct, body, field):
    body = assert_ld_error(acct.ld.post("/contacts", {"first_name": "Ada", **body}), 400,
                           "BadRequest", [field])
    assert set(body["errors"]) == {field}, body
    assert acct.ld.find()["total"] == 0


def test_modified_at_alone_sets_both_times_and_created_at_alone_is_modified_now(acct):
    got = acct.ld.create(modified_at="2018-01-09T12:24:09Z")
    assert (got["created_at"], got["modified_at"]) == ("2018-01-09T12:24:09.000Z",) * 2
    assert acct.ld.read(got["id"]) == got

    before = datetime.now(timezone.utc).replace(microsecond=0)
    got = acct.ld.create(created_at="2018-01-09T12:24:09Z")
    after = datetime.now(timezone.utc)
    assert got["created_at"] == "2018-01-09T12:24:09.000Z"
    modified = datetime.strptime(got["modified_at"], "%Y-%m-%dT%H:%M:%S.000Z")
    modified = modified.replace(tzinfo=timezone.utc)
    assert before - timedelta(seconds=1) <= modified <= after + timedelta(seconds=1), got


def test_spouse_members_patch_one_by_one_and_all_null_is_no_spouse(acct):
    spouse = {"spouse_name": "Melinda Gates", "spouse_email": "melinda@gatesfoundation.com",
              "spouse_phone": "1 (604) 555-1124", "spouse_birthday": "1964-08-15"}
    created = acct.ld.create(first_name="Bill", **spouse)
    path = f"/contacts/{created['id']}"
    r = acct.ld.patch(path, {"spouse_name": "X"})
    assert r.status_code == 200, r.text
    spouse["spouse_name"] = "X"
    assert {k: r.json()[k] for k in spouse} == spouse
    assert acct.native_contact(created["id"])["spouse"] == {
        "name": "X", "email": "melinda@gatesfoundation.com", "phone": "+16045551124",
        "birthday": "1964-08-15"}
    for member in ("spouse_email", "spouse_phone", "spouse_birthday", "spouse_name"):
        r = acct.ld.patch(path, {member: None})
        assert r.status_code == 200, r.text
        spouse[member] = None
        assert {k: r.json()[k] for k in spouse} == spouse
        native = acct.native_contact(created["id"])["spouse"]
        if any(spouse.values()):
            assert native[member.removeprefix("spouse_")] is None, native
        else:
            assert native is None
    assert acct.ld.read(created["id"])["first_name"] == "Bill"


# --- find: every operator and sort key of the record --------------------------------------------

RANKED_NAMES = ("ann", "bob", "cat", "dan")
# Each field's values for ann, bob, cat and dan, in an order of their own; Eve has none of them.
RANKED_FIELDS = {
    "first_name": ("Ann", "Bob", "Cat", "Dan"),
    "created_at": ("2016-03-01T00:00:00Z", "2015-05-05T00:00:00Z", "2019-09-09T00:00:00Z",
                   "2017-07-07T00:00:00Z"),
    "modified_at": ("2021-01-01T00:00:00Z", "2019-01-01T00:00:00Z", "2020-01-01T00:00:00Z",
                    "2018-01-01T00:00:00Z"),
    "birthday": ("1950-05-05", "1960-12-31", "1940-01-01", "1955-06-01"),
    "anniversary": ("2001-01-01", "2003-03-03", "2002-02-02", "2004-04-04"),
    "spouse_name": ("Carla", "dana", "Bea", "anna"),
    "spouse_email": ("carla@spouse.example", "abe@spouse.example", "dee@spouse.example",
                     "bo@spouse.example"),
    "spouse_birthday": ("1951-01-01", "1953-03-03", "1954-04-04", "1952-02-02"),
    "home_phone": ("1 (604) 555-0102", "1 (604) 555-0104", "1 (604) 555-0103",
                   "1 (604) 555-0101"),
    "office_phone": ("1 (208) 555-0104", "1 (208) 555-0102", "1 (208) 555-0101",
                     "1 (208) 555-0103"),
    "fax": ("1 (306) 555-0103", "ask for the front desk", "1 (306) 555-0101",
            "1 (306) 555-0102"),
    "mobile_phone": ("1 (250) 555-0103", "1 (250) 555-0102", "1 (250) 555-0101",
                     "1 (250) 555-0104"),
    "email": ("cara@x.example", "ada@x.example", "bea@x.example", "dot@x.example"),
    "company": ("Delta", "alpha", "Charlie", "Bravo"),
    "tags": ("apple", "zest", "Kiwi", "mango"),
    # Indexes into the fixture's levels (ids ascending, ranks descending), sources (ids
    # ascending, names descending) and users (the admin, then three made after it).
    "hotness_id": (2, 1, 3, 0),
    "source_id": (1, 2, 0, 3),
    "assigned_user_id": (0, 1, 3, 2),
}
RANKED_OWNERS = (3, 0, 1, 2)  # who creates ann, bob, cat and dan: indexes into the users
RANKED_SORTS = [  # field, ascending
    ("created_at", "bob ann dan cat"),
    ("modified_at", "dan bob cat ann"),
    ("birthday", "cat ann dan bob"),
    ("anniversary", "ann cat bob dan"),
    ("spouse_name", "dan cat ann bob"),
    ("spouse_email", "bob dan ann cat"),
    ("spouse_birthday", "ann dan bob cat"),
    ("home_phone", "dan ann cat bob"),
    ("office_phone", "cat bob dan ann"),
    ("fax", "cat dan ann bob"),  # the free text after the numbers
    ("mobile_phone", "cat bob ann dan"),
    ("email", "bob cat ann dan"),
    ("company", "bob dan cat ann"),
    ("tags", "ann cat dan bob"),
    ("hotness_id", "dan bob ann cat"),
    ("source_id", "cat ann bob dan"),
    ("owner_user_id", "bob cat dan ann"),
    ("assigned_user_id", "ann bob dan cat"),
]
RANKED_FILTERS = [  # {name} is a contact's id; {levelN}, {sourceN}, {userN} the fixture's
    ("created_at[$gt]=2016-03-01T00:00:00Z", "cat dan eve"),
    ("created_at[$lte]=2016-03-01T00:00:00Z", "ann bob"),
    ("id[$gt]={bob}", "cat dan eve"),
    ("id[$lte]={bob}", "ann bob"),
    ("birthday[$gte]=1955-06-01", "bob dan"),
    ("spouse_name=DANA", "bob"),
    ("spouse_name[$lt]=bea", "dan"),
    ("spouse_email=CARLA@SPOUSE.EXAMPLE", "ann"),
    ("spouse_birthday=03/03/1953", "bob"),
    ("spouse_birthday[$gt]=1952-02-02", "bob cat"),
    ("home_phone=604.555.0101", "dan"),
    ("office_phone=%2B12085550101", "cat"),
    ("fax=ASK%20FOR%20THE%20FRONT%20DESK", "bob"),
    ("fax=306-555-0103", "ann"),
    ("fax[$ne]=ask%20for%20the%20front%20desk", "ann cat dan eve"),
    ("mobile_phone[$ne]=250-555-0102", "ann cat dan eve"),
    ("email=BEA@X.EXAMPLE", "cat"),
    ("anniversary[$lt]=2003-03-03", "ann cat"),
    ("anniversary[$gte]=2003-03-03", "bob dan"),
    ("hotness_id={level0}", "dan"),
    ("source_id={source0}", "cat"),
    ("owner_user_id={user0}", "bob eve"),
    ("assigned_user_id={user3}", "cat"),
    ("modified_at=2019-01-01T00:00:00Z", "bob"),
    ("modified_at[$lt]=2020-01-01", "bob dan"),
    ("$or[0][company]=alpha&$or[1][spouse_name]=bea&$sort[created_at]=-1", "cat bob"),
    ("$or[0][company]=alpha&$or[1][tags]=kiwi&$or[2][fax]=306-555-0103&$sort[company]=-1",
     "ann cat bob"),
]


@pytest.fixture(scope="module")
def ranked(server):
    """Its own account, only read: RANKED_FIELDS' four contacts, then Eve (no values)."""
    acct = Account(server)
    users = [SimpleNamespace(id=acct.user_id, ld=acct.ld)]
    users += [acct.user("account") for _ in range(3)]
    levels = [acct.make("/hotness-levels", name=f"Level {i}", rank=10 - i) for i in range(4)]
    sources = [acct.make("/sources", name=f"Source {3 - i}") for i in range(4)]
    listed = {"hotness_id": [level["id"] for level in levels],
              "source_id": [source["id"] for source in sources],
              "assigned_user_id": [user.id for user in users]}
    refs = {}
    for i, name in enumerate(RANKED_NAMES):
        body = {field: values[i] for field, values in RANKED_FIELDS.items()}
        body.update((field, listed[field][body[field]]) for field in listed)
        refs[name] = users[RANKED_OWNERS[i]].ld.create(**body)["id"]
    refs["eve"] = acct.ld.create(first_name="Eve")["id"]
    refs.update((f"level{i}", level["id"]) for i, level in enumerate(levels))
    refs.update((f"source{i}", source["id"]) for i, source in enumerate(sources))
    refs.update((f"user{i}", user.id) for i, user in enumerate(users))
    return SimpleNamespace(ld=acct.ld, refs=refs)


@pytest.mark.parametrize("query, names", RANKED_FILTERS, ids=[q for q, _ in RANKED_FILTERS])
def test_operators_filter_every_field(ranked, query, names):
    body = ranked.ld.find(query.format(**ranked.refs))
    expected = [ranked.refs[name] for name in names.split()]
    assert ids(body) == expected and body["total"] == len(expected), (query, body)


@pytest.mark.parametrize("field, ascending", RANKED_SORTS, ids=[f for f, _ in RANKED_SORTS])
def test_sort_orders_by_every_field_both_ways(ranked, field, ascending):
    expected = [ranked.refs[name] for name in ascending.split()]
    valued = "first_name[$ne]=eve&"  # the order of a missing value is not the seed's to say
    assert ids(ranked.ld.find(f"{valued}$sort[{field}]=1")) == expected
    assert ids(ranked.ld.find(f"{valued}$sort[{field}]=-1")) == expected[::-1]


def test_or_for_an_own_user_finds_only_what_it_sees(acct):
    viewer = acct.user("own")
    acct.ld.create(first_name="Ann", last_name="Quartz")
    acct.ld.create(first_name="Bob", last_name="Stone")
    cat = viewer.ld.create(first_name="Cat", last_name="Quartz")["id"]
    dan = viewer.ld.create(first_name="Dan", last_name="Stone")["id"]
    viewer.ld.create(first_name="Eve", last_name="Other")
    fay = acct.ld.create(first_name="Fay", last_name="Stone", assigned_user_id=viewer.id)["id"]
    query = "$or[0][last_name]=quartz&$or[1][last_name]=stone"
    body = viewer.ld.find(query)
    assert (ids(body), body["total"]) == ([cat, dan, fay], 3)
    body = viewer.ld.find(query + "&$limit=1&$sort[first_name]=-1")
    assert (ids(body), body["total"]) == ([fay], 3)
    body = viewer.ld.find(query + "&first_name[$ne]=dan")
    assert (ids(body), body["total"]) == ([cat, fay], 2)
    assert acct.ld.find(query)["total"] == 5

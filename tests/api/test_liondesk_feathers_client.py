"""The official FeathersJS REST client (tests/clients) speaks /compat/liondesk: seed 002's creates,
get, patch, every find operator, $select, errors and remove come back as the contract says."""
import re
from datetime import datetime
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import pytest

from conftest import Client
from nodeclients import error, result, run_script

BASE_PATH = "/compat/liondesk"
LD_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

# The contract's record: every key, always, in this order.
RECORD_KEYS = [
    "id", "owner_user_id", "assigned_user_id", "first_name", "last_name", "email",
    "mobile_phone", "home_phone", "office_phone", "fax", "company", "birthday", "anniversary",
    "spouse_name", "spouse_email", "spouse_phone", "spouse_birthday", "tags", "created_at",
    "modified_at", "hotness_id", "source_id", "addresses", "hotness", "custom_fields", "source",
]
FIND_KEYS = ["total", "limit", "skip", "data"]

# What the script sends (it echoes it as `_sent`); Bill's body is the seed's, with this account's
# user, hotness level and source ids.
BILL = {
    "first_name": "Bill", "last_name": "Gates", "email": "bill@microsoft.com",
    "mobile_phone": "1 (604) 555-4572", "home_phone": "1 (604) 555-1124",
    "office_phone": "1 (208) 555-4432", "fax": "1 (306) 555-0449", "company": "Microsoft",
    "birthday": "1955-10-28", "anniversary": "2017-10-31", "spouse_name": "Melinda Gates",
    "spouse_email": "melinda@gatesfoundation.com", "spouse_phone": "1 (604) 555-1124",
    "spouse_birthday": "1964-08-15", "tags": "Pending", "created_at": "2016-07-01T12:12:11.000Z",
    "modified_at": "2018-01-09T12:24:09.000Z",
}
JOBS = {
    "first_name": "Steve", "last_name": "Jobs", "email": "steve.jobs@apple.com",
    "mobile_phone": "1 (250) 555-8899", "company": "Apple", "tags": "Seller",
    "created_at": "2017-11-21T07:08:10.000Z", "modified_at": "2018-02-01T07:08:10.000Z",
}
WOZ = {"first_name": "Steve", "last_name": "Wozniak", "company": "Apple",
       "created_at": "2019-03-01T00:00:00Z"}


def made(client, path, body):
    r = client.post(path, body)
    assert r.status_code == 201, r.text
    return r.json()["data"]


def instant(text):
    """A timestamp or a date (midnight UTC) as an aware datetime."""
    if len(text) == 10:
        text += "T00:00:00Z"
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def run(server):
    """Runs the script once against a fresh account: an admin token, a second (`own`) user to
    assign, a hotness level and a source (the seed's "Pending" and "Zillow Lead")."""
    account = server.account()
    token = server.token(account["id"], "admin")
    admin = Client(server, token)
    r = admin.get("/me")
    assert r.status_code == 200, r.text
    owner_id = r.json()["data"]["id"]
    user = made(admin, "/users", {"role": "editor", "visibility": "own", "name": "Assignee"})
    level = made(admin, "/hotness-levels", {"name": "Pending", "rank": 14, "color": "#3b274c"})
    source = made(admin, "/sources", {"name": "Zillow Lead"})
    steps = run_script("liondesk_feathers.mjs", ("@feathersjs/feathers", "@feathersjs/rest-client"),
                       server.url + BASE_PATH, token, user["id"], level["id"], source["id"])
    assert steps["_sent"] == {
        "bill": {"assigned_user_id": user["id"], **BILL, "hotness_id": level["id"],
                 "source_id": source["id"]},
        "jobs": JOBS, "woz": WOZ}
    return SimpleNamespace(steps=steps, admin=admin, owner_id=owner_id, user_id=user["id"],
                           level=level, source=source)


def requests_of(run, step):
    """(method, path, status) of each request the step made."""
    return [(r["method"], urlsplit(r["url"]).path, r["status"])
            for r in run.steps[step]["requests"]]


def ids(page):
    return [record["id"] for record in page["data"]]


def expected_record(run, sent, record_id, hotness=None, source=None):
    """The record the contract promises for a body: what was sent, verbatim, null elsewhere."""
    record = dict.fromkeys(RECORD_KEYS)
    record.update(id=record_id, owner_user_id=run.owner_id, addresses=[], custom_fields=[],
                  hotness=hotness, source=source)
    record.update(sent)
    return record


def test_creates_answer_201_with_every_key_in_the_contracts_order(run):
    bill, jobs, woz = (result(run, f"create_{name}") for name in ("bill", "jobs", "woz"))
    for name, record in (("bill", bill), ("jobs", jobs), ("woz", woz)):
        assert list(record) == RECORD_KEYS, name
        assert requests_of(run, f"create_{name}") == [("POST", f"{BASE_PATH}/contacts", 201)]
        assert type(record["id"]) is int and type(record["owner_user_id"]) is int
    assert bill["id"] < jobs["id"] < woz["id"]

    # Bill: every field as sent (phones verbatim), the hotness level and the source expanded.
    assert type(bill["assigned_user_id"]) is int
    assert LD_TIMESTAMP.match(bill["source"]["created_at"]), bill["source"]
    assert instant(bill["source"]["created_at"]) == instant(run.source["created_at"])
    assert bill == expected_record(
        run, {**BILL, "assigned_user_id": run.user_id, "hotness_id": run.level["id"],
              "source_id": run.source["id"]},
        bill["id"], hotness={"name": "Pending", "rank": 14, "color": "#3b274c"},
        source={"id": run.source["id"], "name": "Zillow Lead", "user_id": None,
                "created_at": bill["source"]["created_at"]})

    assert jobs == expected_record(run, JOBS, jobs["id"])

    # Woz: created_at in the record's format; modified_at set by the server.
    assert LD_TIMESTAMP.match(woz["modified_at"]), woz
    assert woz == expected_record(run, {**WOZ, "created_at": "2019-03-01T00:00:00.000Z",
                                        "modified_at": woz["modified_at"]}, woz["id"])


def test_get_returns_the_created_record(run):
    bill = result(run, "create_bill")
    assert result(run, "get_bill") == bill
    assert list(result(run, "get_bill")) == RECORD_KEYS
    assert requests_of(run, "get_bill") == [("GET", f"{BASE_PATH}/contacts/{bill['id']}", 200)]


def test_patch_with_a_numeric_string_user_answers_the_whole_record(run):
    before = result(run, "get_bill")
    after = result(run, "patch_bill")
    assert requests_of(run, "patch_bill") == [("PATCH", f"{BASE_PATH}/contacts/{before['id']}",
                                               200)]
    assert list(after) == RECORD_KEYS
    assert after["first_name"] == "William"
    assert after["assigned_user_id"] == run.user_id and type(after["assigned_user_id"]) is int
    assert LD_TIMESTAMP.match(after["modified_at"]), after
    unchanged = [k for k in RECORD_KEYS if k not in ("first_name", "modified_at")]
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
    assert after["created_at"] == "2016-07-01T12:12:11.000Z"


def ci(value):
    return value.lower() if value is not None else None


def sort_by(*keys):
    """Orders records as `$sort` does: (key, 1 | -1) pairs, the first one given deciding first."""
    def order(records):
        for key, direction in reversed(keys):
            records = sorted(records, key=key, reverse=direction == -1)  # stable both ways
        return records
    return order


def everyone(c):
    return True


# Each find step: its query (as the script sends it) as a predicate on the three records after
# the patch, and its order (by id, creation order, unless it sorts). Text compares
# case-insensitively; $ne and $nin also match a record without a value.
FINDS = {
    "find_all": (everyone, None),
    "find_last_name": (lambda c: ci(c["last_name"]) == "gates", None),
    "find_ne": (lambda c: ci(c["last_name"]) != "gates", None),
    "find_in": (lambda c: ci(c["last_name"]) in ("gates", "jobs"), None),
    "find_nin": (lambda c: ci(c["last_name"]) not in ("gates", "jobs"), None),
    "find_created_lt": (
        lambda c: instant(c["created_at"]) < instant("2018-01-01T00:00:00Z"), None),
    "find_created_range": (
        lambda c: (instant("2017-01-01") <= instant(c["created_at"])
                   <= instant("2017-12-31T23:59:59Z")), None),
    "find_created_gte_offset": (
        lambda c: instant(c["created_at"]) >= instant("2018-05-07T10:00:00-07:00"), None),
    "find_sort_created_desc": (everyone, sort_by((lambda c: instant(c["created_at"]), -1))),
    "find_sort_last_name": (everyone, sort_by((lambda c: ci(c["last_name"]), 1))),
    "find_sort_first_last": (everyone, sort_by((lambda c: ci(c["first_name"]), 1),
                                               (lambda c: ci(c["last_name"]), 1))),
    "find_sort_first_last_desc": (everyone, sort_by((lambda c: ci(c["first_name"]), 1),
                                                    (lambda c: ci(c["last_name"]), -1))),
    "find_or": (
        lambda c: ci(c["last_name"]) == "gates" or ci(c["first_name"]) != "steve", None),
    "find_mobile_phone": (lambda c: c["mobile_phone"] == BILL["mobile_phone"], None),
    "find_tags": (lambda c: "seller" in (ci(c["tags"]) or "").split(","), None),
    "find_company": (lambda c: ci(c["company"]) == "apple", sort_by((lambda c: c["id"], 1))),
}


@pytest.fixture
def records(run):
    """The three contacts as they are when the finds run (Bill patched), in creation order."""
    return [result(run, "patch_bill"), result(run, "create_jobs"), result(run, "create_woz")]


def test_finds_filter_and_sort_as_the_contract_says(run, records):
    for step, (matches, order) in FINDS.items():
        page = result(run, step)
        assert list(page) == FIND_KEYS, step
        chosen = [c for c in records if matches(c)]
        if order is not None:
            chosen = order(chosen)
        assert ids(page) == [c["id"] for c in chosen], step
        assert (page["total"], page["limit"], page["skip"]) == (len(chosen), 10, 0), step
        assert page["data"] == chosen, step
        assert requests_of(run, step) == [("GET", f"{BASE_PATH}/contacts", 200)], step

    # The same, spelled out: several sort keys apply in the order given.
    bill, jobs, woz = (c["id"] for c in records)
    assert ids(result(run, "find_sort_created_desc")) == [woz, jobs, bill]
    assert ids(result(run, "find_sort_first_last")) == [jobs, woz, bill]
    assert ids(result(run, "find_sort_first_last_desc")) == [woz, jobs, bill]
    assert ids(result(run, "find_all")) == [bill, jobs, woz]


def test_limit_and_skip_page_with_the_total(run, records):
    bill, jobs, woz = (c["id"] for c in records)
    page = result(run, "find_limit")
    assert (page["total"], page["limit"], page["skip"], ids(page)) == (3, 2, 0, [bill, jobs])
    page = result(run, "find_limit_skip")
    assert (page["total"], page["limit"], page["skip"], ids(page)) == (3, 1, 1, [jobs])


def test_select_keeps_the_selected_keys_and_id(run, records):
    page = result(run, "find_select")
    assert (page["total"], page["limit"], page["skip"]) == (3, 10, 0)
    assert page["data"] == [{"id": c["id"], "first_name": c["first_name"]} for c in records]
    for record in page["data"]:
        assert set(record) == {"id", "first_name"}

    # $or with $select: Jobs by last name, Bill by company.
    page = result(run, "find_or_select")
    assert (page["total"], page["limit"], page["skip"]) == (2, 10, 0)
    assert page["data"] == [{"id": c["id"], "last_name": c["last_name"]} for c in records[:2]]
    for record in page["data"]:
        assert set(record) == {"id", "last_name"}

    # On get too.
    got = result(run, "get_select")
    assert got == {"id": records[0]["id"], "email": "bill@microsoft.com"}
    assert set(got) == {"id", "email"}


def test_the_client_sends_qs_indexed_brackets(run):
    """What the server parses: qs's `a[$in][0]=x` forms, percent-encoded."""
    def query(step):
        (request,) = run.steps[step]["requests"]
        return parse_qsl(urlsplit(request["url"]).query)

    assert query("find_in") == [("last_name[$in][0]", "gates"), ("last_name[$in][1]", "jobs")]
    assert query("find_or") == [("$or[0][last_name]", "gates"),
                                ("$or[1][first_name][$ne]", "steve")]
    assert query("find_or_select") == [("$or[0][last_name]", "jobs"),
                                       ("$or[1][company]", "microsoft"),
                                       ("$select[0]", "last_name")]
    assert query("find_mobile_phone") == [("mobile_phone", "+16045554572")]
    assert "%2B16045554572" in run.steps["find_mobile_phone"]["requests"][0]["url"]


def test_errors_are_feathers_errors(run):
    bad = error(run, "find_unknown_field")
    assert (bad["name"], bad["code"], bad["className"]) == ("BadRequest", 400, "bad-request")
    assert "nope" in bad["errors"], bad
    assert isinstance(bad["message"], str) and bad["message"]
    assert requests_of(run, "find_unknown_field") == [("GET", f"{BASE_PATH}/contacts", 400)]

    missing = error(run, "get_missing")
    assert missing == {"name": "NotFound", "code": 404, "className": "not-found",
                       "message": "No record found for id '99999999'", "errors": {}}
    assert requests_of(run, "get_missing") == [("GET", f"{BASE_PATH}/contacts/99999999", 404)]


def test_remove_answers_the_record_as_it_was_and_it_is_gone(run):
    woz = result(run, "create_woz")
    assert result(run, "remove_woz") == woz
    assert list(result(run, "remove_woz")) == RECORD_KEYS
    assert requests_of(run, "remove_woz") == [("DELETE", f"{BASE_PATH}/contacts/{woz['id']}",
                                               200)]
    gone = error(run, "get_removed")
    assert gone == {"name": "NotFound", "code": 404, "className": "not-found",
                    "message": f"No record found for id '{woz['id']}'", "errors": {}}
    assert requests_of(run, "get_removed") == [("GET", f"{BASE_PATH}/contacts/{woz['id']}",
                                                404)]


def test_the_native_api_sees_bill_in_e164_at_his_company(run):
    bill_id = result(run, "create_bill")["id"]
    r = run.admin.get(f"/contacts/{bill_id}")
    assert r.status_code == 200, r.text
    native = r.json()["data"]
    phones = {p["type"]: p for p in native["phones"]}
    assert {kind: p["raw"] for kind, p in phones.items()} == {
        "mobile": BILL["mobile_phone"], "home": BILL["home_phone"],
        "office": BILL["office_phone"], "fax": BILL["fax"]}
    assert phones["mobile"]["e164"] == "+16045554572"
    assert native["spouse"]["phone"] == "+16045551124"
    assert native["first_name"] == "William"
    assert native["owner_user_id"] == run.owner_id
    assert native["assigned_user_id"] == run.user_id
    assert native["tags"] == ["Pending"]
    assert native["hotness_id"] == run.level["id"] and native["source_id"] == run.source["id"]
    assert native["company_id"] is not None
    r = run.admin.get(f"/companies/{native['company_id']}")
    assert r.status_code == 200, r.text
    assert r.json()["data"]["name"] == "Microsoft"

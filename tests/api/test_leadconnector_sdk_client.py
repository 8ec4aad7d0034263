"""HighLevel's official Node SDK, @gohighlevel/api-client (tests/clients), speaks
/compat/leadconnector: seed 004's create, get, update, tags, upserts, searches, duplicate lookups,
the deprecated list and delete answer the shapes the SDK returns, and the server's refusals are
the SDK's error classes."""
import re
from datetime import datetime
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from nodeclients import error, result, run_script

SDK = "@gohighlevel/api-client"
BASE_PATH = "/compat/leadconnector"
DEFAULT_VERSION = "2023-02-21"  # what the SDK 3.x sends unless told otherwise
HL_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# What the script sends (it echoes it as `_sent`), each with this account's uid for locationId.
# Jane's body is the seed's "Create Contact" example.
JANE = {
    "firstName": "Jane", "lastName": "Smith", "email": "jane@smithco.com",
    "phone": "+15551234567", "tags": ["new-lead", "website"], "source": "api",
    "companyName": "Smith Co", "address1": "456 Oak Ave", "city": "Austin", "state": "TX",
    "postalCode": "78702", "country": "US", "timezone": "America/Chicago",
}
JOHN = {"firstName": "John", "lastName": "Doe", "email": "john@doeco.com",
        "phone": "+15559876543"}


def sent(location):
    """The script's bodies for an account whose uid is `location`."""
    return {
        "jane": {**JANE, "locationId": location},
        "update": {"firstName": "Janet"},
        "upsertJane": {"locationId": location, "email": "jane@smithco.com", "city": "Dallas"},
        "john": {"locationId": location, **JOHN},
        "search": {"locationId": location, "pageLimit": 10,
                   "filters": [{"field": "email", "operator": "eq",
                                "value": "jane@smithco.com"}]},
        "searchPage": {"locationId": location, "page": 2, "pageLimit": 1,
                       "sort": [{"field": "firstName", "direction": "asc"}]},
        "badEmail": {"locationId": location, "firstName": "Bad", "email": "not-an-email"},
        "badTimezone": {"locationId": location, "firstName": "Bad",
                        "email": "bad.tz@example.com", "timezone": "Mars/Olympus"},
        "readonlyCreate": {"locationId": location, "firstName": "Read",
                           "email": "read.only@example.com"},
    }


@pytest.fixture(scope="module")
def run(server):
    """Runs the script once against a fresh account: its admin's token (every contacts scope)
    and a second token of the same user narrowed to contacts.readonly."""
    tenant = server.tenant()
    admin = tenant.admin
    location = tenant.account["uid"]
    r = admin.get("/me")
    assert r.status_code == 200, r.text
    owner_id = r.json()["data"]["id"]
    r = admin.post(f"/users/{owner_id}/tokens", {"scopes": ["contacts.readonly"]})
    assert r.status_code == 201, r.text
    readonly = r.json()["data"]["token"]
    steps = run_script("leadconnector_sdk.mjs", (SDK,), server.url + BASE_PATH, admin.token,
                       location, readonly)
    assert steps["_client"]["api-client"] == "3.1.0"
    assert steps["_sent"] == sent(location)
    return SimpleNamespace(steps=steps, server=server, admin=admin, location=location,
                           owner_id=owner_id)


def requests_of(run, step):
    """(client, method, path, Version header, status) of each request the step made."""
    return [(r["client"], r["method"], urlsplit(r["url"]).path, r["version"], r["status"])
            for r in run.steps[step]["requests"]]


def query_of(run, step):
    (request,) = run.steps[step]["requests"]
    return parse_qsl(urlsplit(request["url"]).query)


def sdk_error(cls, status, message, reason):
    """What the script records for an SDK error of class `cls` raised on a NestJS error body
    whose `message` is a string (the SDK's message is that string)."""
    return {"class": cls, "name": "GHLError", "code": CODES[cls], "statusCode": status,
            "message": message, "instanceOf": ["GHLError", cls],
            "response": {"statusCode": status, "message": message, "error": reason}}


CODES = {"GHLValidationError": "VALIDATION", "GHLAuthenticationError": "AUTHENTICATION",
         "GHLNotFoundError": "NOT_FOUND"}


def contact(run, contact_id, body, stamps):
    """The contact the server shows for what was sent: `body`'s fields, its full name, no dnd,
    no custom fields, this account's locationId and `stamps`' dateAdded and dateUpdated."""
    return {"id": contact_id, **body, "name": f"{body['firstName']} {body['lastName']}",
            "locationId": run.location, "dnd": False, "customFields": [],
            "dateAdded": stamps["dateAdded"], "dateUpdated": stamps["dateUpdated"]}


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def jane_id(run):
    return result(run, "create_jane")["contact"]["id"]


def path(contact_id=None, suffix=""):
    tail = "/" if contact_id is None else f"/{contact_id}"
    return f"{BASE_PATH}/contacts{tail}{suffix}"


def test_create_answers_201_with_the_seeds_contact(run):
    created = result(run, "create_jane")
    assert list(created) == ["contact"]
    jane = created["contact"]
    assert type(jane["id"]) is str and re.fullmatch(r"[1-9]\d*", jane["id"]), jane
    for stamp in ("dateAdded", "dateUpdated"):
        assert HL_TIMESTAMP.match(jane[stamp]), jane
    assert jane["dateUpdated"] == jane["dateAdded"]
    assert jane == contact(run, jane["id"], JANE, jane)
    assert (jane["phone"], jane["companyName"], jane["tags"]) == (
        "+15551234567", "Smith Co", ["new-lead", "website"])
    assert requests_of(run, "create_jane") == [
        ("default", "POST", path(), DEFAULT_VERSION, 201)]


def test_get_returns_the_created_contact(run):
    assert result(run, "get_jane") == result(run, "create_jane")
    assert requests_of(run, "get_jane") == [
        ("default", "GET", path(jane_id(run)), DEFAULT_VERSION, 200)]


def test_update_answers_succeded_and_the_changed_contact(run):
    before = result(run, "get_jane")["contact"]
    updated = result(run, "update_jane")
    assert list(updated) == ["succeded", "contact"]
    assert updated["succeded"] is True
    after = updated["contact"]
    assert (after["firstName"], after["name"]) == ("Janet", "Janet Smith")
    assert HL_TIMESTAMP.match(after["dateUpdated"]), after
    assert instant(after["dateUpdated"]) >= instant(before["dateUpdated"])
    assert after == {**before, "firstName": "Janet", "name": "Janet Smith",
                     "dateUpdated": after["dateUpdated"]}
    assert requests_of(run, "update_jane") == [
        ("default", "PUT", path(jane_id(run)), DEFAULT_VERSION, 200)]


def test_add_and_remove_tags_answer_the_contacts_tags(run):
    assert result(run, "add_tags") == {"tags": ["new-lead", "website", "vip"]}
    assert requests_of(run, "add_tags") == [
        ("default", "POST", path(jane_id(run), "/tags"), DEFAULT_VERSION, 201)]
    assert result(run, "remove_tags") == {"tags": ["new-lead", "vip"]}
    assert requests_of(run, "remove_tags") == [
        ("default", "DELETE", path(jane_id(run), "/tags"), DEFAULT_VERSION, 200)]


def test_upsert_by_email_updates_the_existing_contact(run):
    before = result(run, "update_jane")["contact"]
    upserted = result(run, "upsert_existing")
    assert list(upserted) == ["new", "contact", "traceId"]
    assert upserted["new"] is False
    assert UUID.match(upserted["traceId"]), upserted
    jane = upserted["contact"]
    assert jane["id"] == jane_id(run)
    assert jane["city"] == "Dallas"
    assert jane == {**before, "city": "Dallas", "tags": ["new-lead", "vip"],
                    "dateUpdated": jane["dateUpdated"]}
    assert result(run, "get_after_upsert") == {"contact": jane}
    assert requests_of(run, "upsert_existing") == [
        ("default", "POST", path(suffix="upsert"), DEFAULT_VERSION, 200)]


def test_upsert_of_an_unknown_email_creates_a_contact(run):
    upserted = result(run, "upsert_new")
    assert list(upserted) == ["new", "contact", "traceId"]
    assert upserted["new"] is True
    assert UUID.match(upserted["traceId"]), upserted
    assert upserted["traceId"] != result(run, "upsert_existing")["traceId"]
    john = upserted["contact"]
    assert type(john["id"]) is str and john["id"] != jane_id(run)
    assert int(john["id"]) > int(jane_id(run))
    assert john == {**contact(run, john["id"], JOHN, john), "tags": []}
    assert requests_of(run, "upsert_new") == [
        ("default", "POST", path(suffix="upsert"), DEFAULT_VERSION, 200)]


def test_search_filters_pages_and_counts(run):
    jane = result(run, "get_after_upsert")["contact"]
    john = result(run, "upsert_new")["contact"]
    assert result(run, "search_email") == {"contacts": [jane], "total": 1}
    # Sorted by first name (Janet, John), one a page: page 2 is John, of 2.
    assert result(run, "search_page") == {"contacts": [john], "total": 2}
    for step in ("search_email", "search_page"):
        assert requests_of(run, step) == [
            ("default", "POST", path(suffix="search"), DEFAULT_VERSION, 200)], step


def test_duplicate_lookup_by_email_and_by_number(run):
    jane = result(run, "get_after_upsert")
    assert result(run, "duplicate_email") == jane
    assert result(run, "duplicate_number") == jane
    assert result(run, "duplicate_none") == {"contact": None}
    assert query_of(run, "duplicate_email") == [("locationId", run.location),
                                                ("email", "jane@smithco.com")]
    assert query_of(run, "duplicate_number") == [("locationId", run.location),
                                                 ("number", "+15551234567")]
    assert "number=%2B15551234567" in run.steps["duplicate_number"]["requests"][0]["url"]
    for step in ("duplicate_email", "duplicate_number", "duplicate_none"):
        assert requests_of(run, step) == [
            ("default", "GET", path(suffix="search/duplicate"), DEFAULT_VERSION, 200)], step


def test_the_deprecated_list_answers_contacts_count_and_meta(run):
    jane = result(run, "get_after_upsert")["contact"]
    assert result(run, "list_query") == {
        "contacts": [jane], "count": 1,
        "meta": {"total": 1, "nextPageUrl": None, "startAfterId": None, "startAfter": None}}
    assert query_of(run, "list_query") == [("locationId", run.location), ("query", "smith"),
                                           ("limit", "10")]

    # One a page, by id: Jane, then a next page after her.
    first = result(run, "list_first")
    started = int(instant(jane["dateAdded"]).timestamp() * 1000)
    assert first["contacts"] == [jane]
    assert first["count"] == 2
    meta = first["meta"]
    assert {k: meta[k] for k in ("total", "startAfterId", "startAfter")} == {
        "total": 2, "startAfterId": jane["id"], "startAfter": started}
    assert set(meta) == {"total", "nextPageUrl", "startAfterId", "startAfter"}
    next_page = urlsplit(meta["nextPageUrl"])
    assert next_page.path == path()
    assert parse_qsl(next_page.query) == [
        ("locationId", run.location), ("limit", "1"), ("startAfter", str(started)),
        ("startAfterId", jane["id"])]
    for step in ("list_query", "list_first"):
        assert requests_of(run, step) == [("default", "GET", path(), DEFAULT_VERSION, 200)]


def test_the_sdk_sends_its_version_header_and_the_server_reads_it(run):
    # Every request of the default clients carried the SDK's default version.
    for step, got in run.steps.items():
        if step.startswith("_"):
            continue
        for request in got["requests"]:
            if request["client"] in ("default", "readonly"):
                assert request["version"] == DEFAULT_VERSION, (step, request)

    # A client built with apiVersion 2021-07-28 sends it, and is answered.
    assert result(run, "get_v2021") == result(run, "get_after_upsert")
    assert requests_of(run, "get_v2021") == [
        ("v2021", "GET", path(jane_id(run)), "2021-07-28", 200)]

    # One built with a version the API does not have is refused, naming what it sent.
    message = "Version header is invalid: '2020-01-01'; use 2021-07-28 or 2023-02-21"
    assert error(run, "get_bad_version") == sdk_error(
        "GHLValidationError", 400, message, "Bad Request")
    assert requests_of(run, "get_bad_version") == [
        ("bad_version", "GET", path(jane_id(run)), "2020-01-01", 400)]

    # The same, without the SDK: the header decides.
    john_id = result(run, "upsert_new")["contact"]["id"]
    url = run.server.url + path(john_id)
    auth = {"Authorization": f"Bearer {run.admin.token}"}
    for version in ("2021-07-28", DEFAULT_VERSION):
        r = requests.get(url, headers={**auth, "Version": version}, timeout=10)
        assert r.status_code == 200, r.text
        assert r.json()["contact"]["id"] == john_id
    r = requests.get(url, headers={**auth, "Version": "2020-01-01"}, timeout=10)
    assert r.status_code == 400, r.text
    assert r.json() == {"statusCode": 400, "message": message, "error": "Bad Request"}
    r = requests.get(url, headers=auth, timeout=10)
    assert r.status_code == 400, r.text
    assert r.json() == {"statusCode": 400, "message": "Version header was not found",
                        "error": "Bad Request"}


def test_invalid_fields_are_ghl_validation_errors_naming_the_field(run):
    for step, field, message in (
            ("create_bad_email", "email", "email must be a valid email address"),
            ("create_bad_timezone", "timezone",
             "timezone must be an IANA time zone name such as America/Chicago")):
        got = error(run, step)
        assert got["message"].startswith(field + " "), (step, got)
        # NestJS's validation body: `message` a list, which the SDK joins.
        assert got == {**sdk_error("GHLValidationError", 422, message, "Unprocessable Entity"),
                       "response": {"statusCode": 422, "message": [message],
                                    "error": "Unprocessable Entity"}}, step
        assert requests_of(run, step) == [("default", "POST", path(), DEFAULT_VERSION, 422)]


def test_a_readonly_token_reads_but_its_write_is_a_ghl_authentication_error(run):
    assert result(run, "readonly_get") == result(run, "get_after_upsert")
    assert requests_of(run, "readonly_get") == [
        ("readonly", "GET", path(jane_id(run)), DEFAULT_VERSION, 200)]
    assert error(run, "readonly_create") == sdk_error(
        "GHLAuthenticationError", 401, "The token is not authorized for this scope.",
        "Unauthorized")
    # One request: the SDK, having no OAuth session to refresh, does not retry the 401.
    assert requests_of(run, "readonly_create") == [
        ("readonly", "POST", path(), DEFAULT_VERSION, 401)]


def test_delete_answers_succeded_and_the_contact_is_then_not_found(run):
    assert result(run, "delete_jane") == {"succeded": True}
    assert requests_of(run, "delete_jane") == [
        ("default", "DELETE", path(jane_id(run)), DEFAULT_VERSION, 200)]
    assert error(run, "get_deleted") == sdk_error(
        "GHLNotFoundError", 404, "Contact not found", "Not Found")
    assert requests_of(run, "get_deleted") == [
        ("default", "GET", path(jane_id(run)), DEFAULT_VERSION, 404)]


def native_phones(record):
    return [(p["type"], p["raw"], p["e164"]) for p in record["phones"]]


def test_the_native_api_sees_what_the_sdk_wrote(run):
    jane_native_id = int(jane_id(run))
    john_native_id = int(result(run, "upsert_new")["contact"]["id"])

    # Jane is deleted (restorably, as the native API deletes): gone from reads, in the bin.
    r = run.admin.get(f"/contacts/{jane_native_id}")
    assert r.status_code == 404, r.text
    r = run.admin.get("/contacts", params={"deleted": "true"})
    assert r.status_code == 200, r.text
    (jane,) = r.json()["data"]
    assert jane["id"] == jane_native_id
    assert native_phones(jane) == [("mobile", "+15551234567", "+15551234567")]
    assert jane["tags"] == ["new-lead", "vip"]
    assert {k: jane[k] for k in ("first_name", "last_name", "email", "address", "city", "state",
                                 "zip", "country", "timezone", "source", "owner_user_id")} == {
        "first_name": "Janet", "last_name": "Smith", "email": "jane@smithco.com",
        "address": "456 Oak Ave", "city": "Dallas", "state": "TX", "zip": "78702",
        "country": "US", "timezone": "America/Chicago", "source": "api",
        "owner_user_id": run.owner_id}
    r = run.admin.get(f"/companies/{jane['company_id']}")
    assert r.status_code == 200, r.text
    assert r.json()["data"]["name"] == "Smith Co"

    # John, from the upsert, is the one live contact (not connected, as every contact the
    # compat API makes): the refused creates stored nothing.
    r = run.admin.get("/contacts", params={"is_connected": "all"})
    assert r.status_code == 200, r.text
    (john,) = r.json()["data"]
    assert john["id"] == john_native_id
    assert native_phones(john) == [("mobile", "+15559876543", "+15559876543")]
    assert (john["first_name"], john["last_name"], john["email"], john["tags"],
            john["is_connected"], john["owner_user_id"]) == (
        "John", "Doe", "john@doeco.com", [], False, run.owner_id)

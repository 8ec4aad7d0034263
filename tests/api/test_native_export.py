"""Contact export: GET /contacts/export and `contactd export` stream every contact the caller sees
(the list's filters apply) as CSV or NDJSON that `contactd import` reads back into the same
contacts; refused parameters, visibility, streaming and flat memory."""
import csv
import io
import json
import os
import signal
import subprocess

import pytest
import requests

from conftest import BIN, Client, Server, assert_error, free_port, new_user, start_server
from rawhttp import connect, read_response, read_to_eof, send, split_head

EXPORT = "/contacts/export"

# The account's custom fields, in the order they are defined (the CSV's column order).
CUSTOM_FIELDS = [
    ("score", "number", {}),
    ("industry", "text", {}),
    ("vip", "boolean", {}),
    ("markets", "multi_select", {"options": ["NY", "A;B", "São Paulo, BR", "[beta]"]}),
    ("renewal", "date", {}),
    ("bio", "long_text", {}),
    ("tier", "select", {"options": ["Gold", "Silver; Plus"]}),
    ("last_call", "datetime", {}),
    ("deck", "url", {}),
    ("assistant", "email", {}),
    ("hotline", "phone", {}),
]

# Members of a contact that point at other records of its account (or are its identity), so that
# they cannot mean the same in another account: left out of an export and of the comparison.
ACCOUNT_LOCAL = {"id", "uid", "owner_account_id", "company_id", "version", "updated_at",
                 "reports_to", "owner_user_id", "assigned_user_id", "source_id", "hotness_id",
                 "hotness"}

# Members an NDJSON line never has.
NOT_EXPORTED = ACCOUNT_LOCAL | {"contact_type", "full_name_given"}


def export(client, fmt, params=(), **kw):
    """An export's response, checked to be a successful chunked download."""
    r = client.get(EXPORT, params=[("format", fmt), *list(params)], **kw)
    assert r.status_code == 200, r.text
    assert r.headers["Transfer-Encoding"] == "chunked"
    assert "Content-Length" not in r.headers
    return r


def ndjson_rows(body):
    text = body.decode("utf-8")
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def csv_rows(body):
    """The header and the records (as dicts) of a CSV export."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n"), text[-50:]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    records = [dict(zip(header, record, strict=True)) for record in reader]
    return header, records


def column(fmt, body, name):
    """The values of one top-level member of every exported contact, in order."""
    if fmt == "csv":
        return [record[name] for record in csv_rows(body)[1]]
    return [row.get(name) for row in ndjson_rows(body)]


def every_contact(client):
    """Every live contact the client sees, connected or not, by id (all pages)."""
    contacts, cursor = [], None
    while True:
        params = {"is_connected": "all", "limit": 200}
        if cursor:
            params["cursor"] = cursor
        r = client.get("/contacts", params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        contacts += body["data"]
        cursor = body["pagination"].get("next_cursor")
        if not cursor:
            break
    return sorted(contacts, key=lambda c: c["id"])


def listed(client, params):
    """The contacts a list with these filters returns (all pages), by id."""
    contacts, cursor = [], None
    while True:
        page = [*params, ("limit", 200)] + ([("cursor", cursor)] if cursor else [])
        r = client.get("/contacts", params=page)
        assert r.status_code == 200, r.text
        contacts += r.json()["data"]
        cursor = r.json()["pagination"].get("next_cursor")
        if not cursor:
            break
    return sorted(contacts, key=lambda c: c["id"])


def comparable(client, contacts):
    """The contacts without their account-local members, the company named instead of its id and
    address ids left out (they number a contact's addresses, and an import numbers them anew)."""
    names = {}
    out = []
    for contact in contacts:
        company = contact["company_id"]
        if company is not None and company not in names:
            r = client.get(f"/companies/{company}")
            assert r.status_code == 200, r.text
            names[company] = r.json()["data"]["name"]
        kept = {k: v for k, v in contact.items() if k not in ACCOUNT_LOCAL}
        kept["company_name"] = names.get(company)
        kept["addresses"] = [{k: v for k, v in a.items() if k != "id"}
                             for a in contact["addresses"]]
        out.append(kept)
    return out


def define_custom_fields(client):
    for key, data_type, extra in CUSTOM_FIELDS:
        r = client.post("/custom-fields", {"key": key, "name": key.title(), "data_type": data_type,
                                           **extra})
        assert r.status_code == 201, r.text


def run_cli(server, *args):
    """`contactd ARGS --db DB` with its output as bytes (CSV lines end in CRLF)."""
    return subprocess.run([BIN, *map(str, args), "--db", str(server.db)], capture_output=True,
                          timeout=120)


def import_file(server, account_id, path):
    result = server.cli("import", "--account", str(account_id), "--file", str(path), check=False)
    assert result.returncode == 0, result.stderr
    assert "0 rows failed" in result.stderr, result.stderr
    return result


# --- the round trip ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def source(server, tmp_path_factory):
    """Account A: custom fields of every type and contacts using every member, with the values an
    export must take care of (separators, quotes, line ends, JSON-looking text, unicode)."""
    tenant = server.tenant()
    admin = tenant.admin
    define_custom_fields(admin)
    meridian = admin.company('Meridian, Capital "LLC"')
    apex = admin.company("Apex; Partners")
    olberg = admin.company("Ölberg Straße")
    source_id = admin.post("/sources", {"name": "Zillow"}).json()["data"]["id"]
    hotness_id = admin.post("/hotness-levels", {"name": "Hot", "rank": 3}).json()["data"]["id"]
    editor_id = tenant.editor.get("/me").json()["data"]["id"]

    rich = admin.contact(
        meridian["id"], contact_types=["sponsor", "lender_contact"], first_name="Zoë",
        last_name='O\'Brien "Bo"', email="zoe@example.com", title="Head, Capital Markets",
        department="Debt; Equity",
        phones=[{"raw": "020 7946 0958", "country": "GB", "extension": "12", "type": "office"},
                {"raw": "(212) 555-0184", "type": "mobile"},
                {"raw": "+1 718 555 0108", "type": "fax"},
                {"raw": "+44 20 7946 0000", "type": "home"}],
        addresses=[{"type": "Main Office", "line1": "1 Main St, Floor 2", "line2": 'Suite "B"',
                    "city": "Austin", "state": "TX", "postal_code": "78701", "country_code": "us",
                    "addressee": "Zoë", "company_name": "Meridian", "attention": "Legal; Ops",
                    "phone": "(212) 555-0184"},
                   {"type": "home", "city": "Paris", "country_code": "FR"},
                   {"line1": "[not json", "city": "London", "country_code": "GB"}],
        tags=["vip", "a;b", "Lead"],
        spouse={"name": "Tom O'Brien", "email": "tom@example.com", "phone": "(604) 555-1124",
                "birthday": "08/15/1964"},
        dnd=True,
        dnd_settings={"sms": {"status": "permanent", "message": "Replied \"STOP\", twice",
                              "code": "21610"},
                      "email": {"status": "active"}},
        custom_fields={"score": 4.5, "industry": 'Real, "estate"', "vip": True,
                       "markets": ["A;B", "NY", "São Paulo, BR"], "renewal": "2025-01-31",
                       "bio": 'line one\nline two, "quoted"\r\nthree', "tier": "Silver; Plus",
                       "last_call": "2024-05-06T07:08:09Z", "deck": "https://example.com/deck",
                       "assistant": "assist@example.com", "hotline": "(212) 555-0199"},
        notes='multi\nline, "quoted" ✓ 日本 — done', birthday="1970-02-03",
        anniversary="06/07/1995",
        is_connected=False, source_id=source_id, hotness_id=hotness_id,
        assigned_user_id=editor_id)
    admin.contact(
        meridian["id"], contact_type="lender_contact", first_name="Ann", last_name="Lee",
        full_name="Dr. Ann Lee, CFA", is_primary=True, status="archived",
        reports_to=rich["id"], is_connected=True, dnd=True, tags=["plain"],
        custom_fields={"score": 42, "vip": False, "markets": ["NY"], "tier": "Gold"})
    admin.contact(
        apex["id"], contact_type="sponsor", full_name="Mary Ann Smith", is_connected=True,
        tags=["[draft]", "plain"], notes="[not json]", title="{curly}",
        custom_fields={"markets": ["[beta]"], "industry": "[none]", "score": 1e21})
    admin.contact(apex["id"], contact_type="lender_contact", custom_fields={"markets": []},
                  notes="emoji 😀 end")
    admin.contact(
        olberg["id"], contact_type="sponsor", first_name="Élodie", last_name="Martin",
        display_name="Lodie", email="elodie@example.com", address="1 Battery Park Plaza",
        city="New York", state="NY", zip="10004", linkedin_url="https://linkedin.com/in/elodie",
        website="https://example.co.uk", code="007", tax_id="12-3456789",
        description="Desc, with comma", timezone="Europe/London",
        preferred_contact_method="EMAIL", source="Referral; friend", country="gb",
        status="inactive", is_connected=True,
        phones=[{"raw": "212-555-0185 ext. 34", "type": "work"},
                {"raw": "212-555-0186", "extension": "77", "type": "fax"}])
    admin.contact(
        olberg["id"], contact_type="sponsor", first_name="true", last_name="0", is_connected=False,
        dnd=False, dnd_settings={"call": {"status": "inactive"}}, spouse={"name": "Only Name"},
        custom_fields={"score": -0.000123, "vip": False, "industry": "true",
                       "markets": ["São Paulo, BR"]})
    # Kept from another system: its creation time goes out and comes back.
    path = tmp_path_factory.mktemp("source") / "old.ndjson"
    path.write_text(json.dumps({"contact_type": "sponsor", "company_name": meridian["name"],
                                "first_name": "Old", "last_name": "Timer", "is_connected": True,
                                "created_at": "2019-03-04T05:06:07Z"}) + "\n")
    import_file(server, tenant.account["id"], path)
    contacts = every_contact(admin)
    assert len(contacts) == 7
    return tenant, contacts


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_an_export_imports_back_into_the_same_contacts(server, source, tmp_path, fmt):
    tenant, contacts = source
    exported = export(tenant.admin, fmt).content
    path = tmp_path / f"contacts.{fmt}"
    path.write_bytes(exported)

    target = server.tenant()
    define_custom_fields(target.admin)
    result = import_file(server, target.account["id"], path)
    assert f"imported {len(contacts)} contacts" in result.stderr

    mine = comparable(tenant.admin, contacts)
    theirs = comparable(target.admin, every_contact(target.admin))
    assert len(theirs) == len(mine)
    for original, imported in zip(mine, theirs):
        assert imported == original
    # What was imported exports to the same bytes.
    again = export(target.admin, fmt).content
    assert again == exported


def test_ndjson_lines_are_create_bodies_without_account_references(source):
    tenant, contacts = source
    rows = ndjson_rows(export(tenant.admin, "ndjson").content)
    assert len(rows) == len(contacts)
    for row, contact in zip(rows, contacts):
        assert not set(row) & NOT_EXPORTED, row
        empty = [k for k, v in row.items() if v in (None, "", [], {})]
        assert not empty, row
        for phone in row.get("phones", []):
            assert "id" not in phone and "e164" not in phone
            assert all(v not in (None, "") for v in phone.values()), phone
        for address in row.get("addresses", []):
            assert "id" not in address and None not in address.values()
        assert row["company_name"] is not None
        assert row["created_at"] == contact["created_at"]
        assert ("full_name" in row) == contact["full_name_given"]
        if contact["addresses"]:
            assert not {"address", "city", "state", "zip"} & set(row), row


def test_csv_has_the_import_columns_and_json_cells(source):
    tenant, contacts = source
    r = export(tenant.admin, "csv")
    header, records = csv_rows(r.content)
    assert len(records) == len(contacts)
    keys = [f["key"] for f in tenant.admin.get("/custom-fields").json()["data"]]
    assert [c for c in header if c.startswith("custom_fields.")] == [f"custom_fields.{k}"
                                                                       for k in keys]
    for name in ("contact_types", "company_name", "first_name", "full_name", "phones",
                 "addresses", "dnd_settings", "tags", "spouse.name", "spouse.birthday",
                 "is_connected", "created_at"):
        assert name in header
    assert not set(header) & NOT_EXPORTED
    assert len(set(header)) == len(header)
    rich = records[0]
    assert rich["contact_types"] == ";".join(contacts[0]["contact_types"])
    assert len(contacts[0]["contact_types"]) == 2
    assert json.loads(rich["tags"]) == ["vip", "a;b", "Lead"]  # an item holds ';'
    assert json.loads(rich["custom_fields.markets"]) == ["A;B", "NY", "São Paulo, BR"]
    phones = json.loads(rich["phones"])
    assert [p["raw"] for p in phones] == [p["raw"] for p in contacts[0]["phones"]]
    assert len(json.loads(rich["addresses"])) == 3
    assert json.loads(rich["dnd_settings"])["sms"]["code"] == "21610"
    assert rich["custom_fields.bio"] == 'line one\nline two, "quoted"\r\nthree'
    assert rich["is_connected"] == "false" and rich["dnd"] == "true"
    ann = records[1]
    assert ann["tags"] == "plain" and ann["custom_fields.markets"] == "NY"
    assert ann["custom_fields.vip"] == "false"
    mary = records[2]
    assert json.loads(mary["tags"]) == ["[draft]", "plain"]  # a cell starting with '[' is JSON
    assert mary["notes"] == "[not json]"


def test_a_contact_without_a_company_comes_back(server, tenant, tmp_path):
    """A contact whose company was deleted with detach=true has no company: its row must still
    import (and into a contact without a company, or not be given out as importable)."""
    company = tenant.admin.company("Gone Co")
    kept = tenant.admin.company("Kept Co")
    tenant.admin.contact(company["id"], last_name="Detached", is_connected=True)
    tenant.admin.contact(kept["id"], last_name="Attached", is_connected=True)
    r = tenant.admin.session.delete(f"{server.api}/companies/{company['id']}",
                                    params={"detach": "true"})
    assert r.status_code == 204, r.text
    for fmt in ("ndjson", "csv"):
        path = tmp_path / f"detached.{fmt}"
        path.write_bytes(export(tenant.admin, fmt).content)
        target = server.tenant()
        result = server.cli("import", "--account", str(target.account["id"]), "--file", str(path),
                            check=False)
        assert result.returncode == 0, f"{fmt}: {result.stderr}"
        names = [c["last_name"] for c in every_contact(target.admin)]
        assert names == ["Detached", "Attached"], fmt


def round_trip(server, client, fmt, tmp_path, define=True):
    """Exports `client`'s contacts, imports them into a new account (with the same custom fields
    when `define`), checks the contacts are the same and export to the same bytes."""
    exported = export(client, fmt).content
    path = tmp_path / f"round-trip.{fmt}"
    path.write_bytes(exported)
    target = server.tenant()
    if define:
        define_custom_fields(target.admin)
    import_file(server, target.account["id"], path)
    assert comparable(target.admin, every_contact(target.admin)) == comparable(
        client, every_contact(client))
    assert export(target.admin, fmt).content == exported


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_numbers_read_in_the_accounts_default_country_keep_it(server, tenant, tmp_path, fmt):
    """Numbers written nationally in a GB account are still GB numbers in a US account."""
    assert tenant.admin.patch("/settings", {"default_country": "GB"}).status_code == 200
    define_custom_fields(tenant.admin)
    tenant.admin.contact(tenant.admin.company("GB Co")["id"], last_name="Brit",
                         phones=[{"raw": "020 7946 0958", "type": "office"}],
                         spouse={"phone": "020 7946 0959"},
                         addresses=[{"city": "London", "phone": "020 7946 0960"}],
                         custom_fields={"hotline": "020 7946 0961"})
    phone = every_contact(tenant.admin)[0]["phones"][0]
    assert (phone["country"], phone["e164"]) == ("GB", "+442079460958")
    round_trip(server, tenant.admin, fmt, tmp_path)


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
@pytest.mark.parametrize("tags", [["{}"], ['{"k":1}'], ["[x]"], ["{}", "x"]],
                         ids=["empty-object", "object", "array", "two"])
def test_text_that_looks_like_json_reads_back_as_text(server, tenant, tmp_path, fmt, tags):
    """A lone tag that is a JSON object or array is a tag again, not a cell parsed as JSON."""
    define_custom_fields(tenant.admin)
    tenant.admin.contact(tenant.admin.company("{Curly} Co")["id"], last_name="[Square]",
                         tags=tags, notes="{}", title="[1]",
                         custom_fields={"industry": "{}", "bio": "[]"})
    round_trip(server, tenant.admin, fmt, tmp_path)


def scoped_client(server, tenant, scopes):
    me = tenant.admin.get("/me").json()["data"]
    r = tenant.admin.post(f"/users/{me['id']}/tokens", {"scopes": scopes})
    assert r.status_code == 201, r.text
    return Client(server, r.json()["data"]["token"])


@pytest.mark.parametrize("scopes", [
    ["contacts.readonly"],
    ["contacts.readonly", "settings.readonly"],
    ["contacts.readonly", "settings.readonly", "companies.readonly"],
], ids=lambda s: "+".join(s))
def test_a_token_that_reads_contacts_exports_them(server, tenant, scopes):
    """The export is a read of contacts (as the list is): a token scoped to read contacts gets the
    admin's export, company names and custom field columns included, as the other surfaces show
    company names to it; never an internal error."""
    define_custom_fields(tenant.admin)
    company = tenant.admin.company("Scoped Co")
    tenant.admin.contact(company["id"], first_name="Scoped", custom_fields={"score": 7},
                         is_connected=True)
    scoped = scoped_client(server, tenant, scopes)
    assert [c["first_name"] for c in scoped.get("/contacts").json()["data"]] == ["Scoped"]
    for fmt in ("csv", "ndjson"):
        r = scoped.get(EXPORT, params={"format": fmt})
        assert r.status_code == 200, r.text
        assert r.content == export(tenant.admin, fmt).content
        assert b"Scoped Co" in r.content


def test_a_token_without_the_contacts_scope_is_refused(server, tenant):
    me = tenant.admin.get("/me").json()["data"]
    r = tenant.admin.post(f"/users/{me['id']}/tokens", {"scopes": ["companies.readonly"]})
    scoped = Client(server, r.json()["data"]["token"])
    assert_error(scoped.get(EXPORT, params={"format": "csv"}), 403, "forbidden")


# --- the CLI -----------------------------------------------------------------------------------

def test_cli_export_equals_the_http_export(server, source, tmp_path):
    tenant, contacts = source
    account = tenant.account["id"]
    for fmt in ("csv", "ndjson"):
        http = export(tenant.admin, fmt).content
        assert export(tenant.admin, fmt, [("is_connected", "all")]).content == http
        result = run_cli(server, "export", "--account", account, "--format", fmt)
        assert result.returncode == 0, result.stderr
        assert result.stdout == http
        stderr = result.stderr.decode()
        assert f"exported {len(contacts)} contacts" in stderr
        assert "export: 100%" in stderr

        out = tmp_path / f"out.{fmt}"
        result = run_cli(server, "export", "--account", account, "--format", fmt, "--out", out)
        assert result.returncode == 0, result.stderr
        assert result.stdout == b""
        assert out.read_bytes() == http
        assert not (tmp_path / f"out.{fmt}.partial").exists()
        assert f"exported {len(contacts)} contacts" in result.stderr.decode()


def test_cli_export_overwrites_an_existing_file(server, source, tmp_path):
    tenant, _ = source
    out = tmp_path / "again.csv"
    out.write_text("stale\n" * 10000)
    result = run_cli(server, "export", "--account", tenant.account["id"], "--format", "csv",
                     "--out", out)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == export(tenant.admin, "csv").content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.csv"]


def test_cli_export_failures(server, source, tmp_path):
    tenant, _ = source
    missing = run_cli(server, "export", "--account", 987654, "--format", "csv")
    assert missing.returncode == 1
    assert b"does not exist" in missing.stderr and missing.stdout == b""
    out = tmp_path / "never.csv"
    missing = run_cli(server, "export", "--account", 987654, "--format", "csv", "--out", out)
    assert missing.returncode == 1 and not out.exists()
    assert not (tmp_path / "never.csv.partial").exists()
    bad = run_cli(server, "export", "--account", tenant.account["id"], "--format", "xml")
    assert bad.returncode != 0 and b"--format" in bad.stderr and bad.stdout == b""
    nowhere = run_cli(server, "export", "--account", tenant.account["id"], "--format", "csv",
                      "--out", tmp_path / "no" / "such" / "dir.csv")
    assert nowhere.returncode == 1
    assert not (tmp_path / "no").exists()


def test_cli_export_exports_the_whole_account(server, tenant):
    """Connected or not, and whoever owns the contacts: the CLI is the account's admin."""
    company = tenant.admin.company()
    own = new_user(tenant, "editor", "own")
    own.contact(company["id"], email="own@example.com", is_connected=False)
    tenant.admin.contact(company["id"], email="admin@example.com", is_connected=True)
    other = server.tenant()
    other.admin.contact(other.admin.company()["id"], email="other@example.com", is_connected=True)
    result = run_cli(server, "export", "--account", tenant.account["id"], "--format", "ndjson")
    assert result.returncode == 0, result.stderr
    assert [row["email"] for row in ndjson_rows(result.stdout)] == ["own@example.com",
                                                                    "admin@example.com"]


# --- filters -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def people(server):
    """Contacts to filter: name, state, tags, connected, tier; each with a unique email."""
    tenant = server.tenant()
    admin = tenant.admin
    r = admin.post("/custom-fields", {"key": "tier", "name": "Tier", "data_type": "select",
                                      "options": ["Gold", "Silver"]})
    assert r.status_code == 201, r.text
    company = admin.company("Filter Co")
    rows = [
        ("Sarah", "Chen", "NY", ["vip"], True, "Gold"),
        ("Bill", "Gates", "WA", ["Board"], True, None),
        ("Steve", "Jobs", "CA", [], False, "Silver"),
        ("Ada", "Chen", "CA", ["beta"], True, "Gold"),
        ("Grace", "Hopper", "NY", ["zeta"], False, None),
        ("Hidden", "Chen", "NY", ["vip"], False, "Silver"),
        ("Zelda", "Quartz", "TX", ["vip", "beta"], True, None),
    ]
    for first, last, state, tags, connected, tier in rows:
        fields = {"first_name": first, "last_name": last, "state": state, "tags": tags,
                  "email": f"{first.lower()}@example.com", "is_connected": connected}
        if tier:
            fields["custom_fields"] = {"tier": tier}
        admin.contact(company["id"], **fields)
    return tenant


FILTERS = [
    [("last_name", "chen")],
    [("tags[$in]", "vip"), ("tags[$in]", "beta")],
    [("$or[0][last_name]", "chen"), ("$or[1][state]", "CA")],
    [("state", "NY"), ("$or[0][first_name]", "hidden"), ("$or[1][tags]", "zeta")],
    [("search", "chen")],
    [("first_name[$ne]", "steve"), ("state[$in]", "CA"), ("state[$in]", "NY")],
    [("custom_fields.tier", "Gold")],
    [("last_name", "nobody")],
]


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
@pytest.mark.parametrize("params", FILTERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p))
def test_filters_export_what_the_list_of_all_contacts_returns(people, fmt, params):
    expected = [c["email"] for c in listed(people.admin, [*params, ("is_connected", "all")])]
    got = column(fmt, export(people.viewer, fmt, params).content, "email")
    assert got == expected
    assert len(got) == len(set(got))


@pytest.mark.parametrize("connected, emails", [
    ("true", ["sarah", "bill", "ada", "zelda"]),
    ("false", ["steve", "grace", "hidden"]),
    ("all", ["sarah", "bill", "steve", "ada", "grace", "hidden", "zelda"]),
])
def test_is_connected_narrows_the_export_and_defaults_to_all(people, connected, emails):
    expected = [f"{name}@example.com" for name in emails]
    got = column("ndjson", export(people.admin, "ndjson", [("is_connected", connected)]).content,
                 "email")
    assert got == expected
    assert got == [c["email"] for c in listed(people.admin, [("is_connected", connected)])]
    everyone = column("ndjson", export(people.admin, "ndjson").content, "email")
    assert everyone == [f"{name}@example.com" for name in
                        ["sarah", "bill", "steve", "ada", "grace", "hidden", "zelda"]]
    chen = export(people.admin, "csv", [("last_name", "chen"), ("is_connected", connected)])
    chen = column("csv", chen.content, "email")
    assert chen == [e for e in expected if e.split("@")[0] in ("sarah", "ada", "hidden")]


def test_a_deleted_contact_is_not_exported(tenant, server):
    company = tenant.admin.company()
    gone = tenant.admin.contact(company["id"], email="gone@example.com")
    tenant.admin.contact(company["id"], email="stays@example.com")
    r = tenant.admin.session.delete(f"{server.api}/contacts/{gone['id']}")
    assert r.status_code == 204, r.text
    assert column("ndjson", export(tenant.admin, "ndjson").content, "email") == [
        "stays@example.com"]


# --- who sees what ---------------------------------------------------------------------------

def test_exports_hold_only_what_the_caller_sees(server, tenant):
    company = tenant.admin.company()
    owner = new_user(tenant, "editor", "own")
    stranger = new_user(tenant, "editor", "own")
    owner.contact(company["id"], email="mine1@example.com", is_connected=False)
    tenant.admin.contact(company["id"], email="admin@example.com", is_connected=True)
    owner.contact(company["id"], email="mine2@example.com", is_connected=True)
    shared = tenant.admin.contact(company["id"], email="shared@example.com", is_connected=True)
    r = tenant.admin.post(f"/contacts/{shared['id']}/shares", {"user_id": owner.user["id"]})
    assert r.status_code == 201, r.text
    other = server.tenant()
    other.admin.contact(other.admin.company()["id"], email="other@example.com")

    everyone = ["mine1@example.com", "admin@example.com", "mine2@example.com",
                "shared@example.com"]
    for fmt in ("csv", "ndjson"):
        assert column(fmt, export(owner, fmt).content, "email") == [
            "mine1@example.com", "mine2@example.com", "shared@example.com"]
        assert column(fmt, export(stranger, fmt).content, "email") == []
        for client in (tenant.viewer, tenant.editor, tenant.admin):
            assert column(fmt, export(client, fmt).content, "email") == everyone
        assert column(fmt, export(other.viewer, fmt).content, "email") == ["other@example.com"]
    # What the list shows the `own` user, filtered alike.
    assert column("ndjson", export(owner, "ndjson", [("is_connected", "true")]).content,
                  "email") == [c["email"] for c in listed(owner, [("is_connected", "true")])]


def test_an_export_needs_a_valid_token(server, tenant):
    url = server.api + EXPORT
    assert_error(requests.get(url, params={"format": "csv"}), 401, "unauthorized")
    assert_error(requests.get(url, params={"format": "ndjson"},
                              headers={"Authorization": "Bearer cdt_not-a-token"}),
                 401, "unauthorized")


def test_another_accounts_custom_fields_are_not_columns(server, tenant):
    other = server.tenant()
    define_custom_fields(other.admin)
    header, records = csv_rows(export(tenant.viewer, "csv").content)
    assert records == [] and not [c for c in header if c.startswith("custom_fields.")]


# --- refused parameters ------------------------------------------------------------------------

@pytest.mark.parametrize("name, value", [
    ("limit", "10"), ("cursor", "abc"), ("offset", "0"), ("sort", "id"), ("fields", "email"),
    ("deleted", "true"), ("sort", "-last_name"), ("limit[$gt]", "1")])
def test_paging_sorting_and_selection_are_refused_by_name(tenant, name, value):
    r = tenant.admin.get(EXPORT, params=[("format", "csv"), (name, value)])
    error = assert_error(r, 400, "bad_request", [name.split("[")[0]])
    assert [d["field"] for d in error["details"]] == [name.split("[")[0]]


def test_every_refused_parameter_is_named_at_once(tenant):
    r = tenant.admin.get(EXPORT, params=[("format", "xml"), ("limit", "1"), ("cursor", "x"),
                                         ("offset", "2"), ("sort", "id"), ("fields", "email"),
                                         ("deleted", "true"), ("is_connected", "maybe")])
    error = assert_error(r, 400, "bad_request", ["format", "limit", "cursor", "offset", "sort",
                                                 "fields", "deleted", "is_connected"])
    assert len(error["details"]) == 8


@pytest.mark.parametrize("params", [[], [("format", "xml")], [("format", "")],
                                    [("format", "CSV")], [("format[$in]", "csv")]],
                         ids=["missing", "xml", "empty", "upper", "operator"])
def test_format_must_be_csv_or_ndjson(tenant, params):
    r = tenant.admin.get(EXPORT, params=params)
    error = assert_error(r, 400, "bad_request", ["format"])
    assert [d["field"] for d in error["details"]] == ["format"]
    assert "csv" in error["message"] and "ndjson" in error["message"]


def test_a_bad_filter_is_named_with_a_missing_format(tenant):
    r = tenant.admin.get(EXPORT, params={"is_connected": "maybe", "limit": "5"})
    assert_error(r, 400, "bad_request", ["format", "is_connected", "limit"])


# --- the download ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, content_type", [("csv", "text/csv; charset=utf-8"),
                                               ("ndjson", "application/x-ndjson")])
def test_headers_name_the_download(tenant, fmt, content_type):
    tenant.admin.contact(tenant.admin.company()["id"], last_name="Header")
    r = export(tenant.viewer, fmt)
    assert r.headers["Content-Type"] == content_type
    assert r.headers["Content-Disposition"] == f'attachment; filename="contacts.{fmt}"'
    assert r.headers["X-Request-Id"]
    assert column(fmt, r.content, "last_name") == ["Header"]


def test_an_empty_account_exports_a_header_or_nothing(tenant):
    define_custom_fields(tenant.admin)
    csv_body = export(tenant.viewer, "csv").content
    assert csv_body.endswith(b"\r\n") and csv_body.count(b"\r\n") == 1
    header, records = csv_rows(csv_body)
    assert records == [] and header[0] == "contact_types" and "custom_fields.hotline" in header
    assert export(tenant.viewer, "ndjson").content == b""
    # A filter that matches nothing gives the same.
    company = tenant.admin.company()
    tenant.admin.contact(company["id"], last_name="Someone")
    assert export(tenant.viewer, "csv", [("last_name", "nobody")]).content == csv_body
    assert export(tenant.viewer, "ndjson", [("last_name", "nobody")]).content == b""


def raw_request(method, server, token, target):
    return (f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\n\r\n").encode()


def read_chunks(reader):
    """The status, headers and chunks (bytes each) of a chunked response."""
    status = int(reader.readline().split(b" ")[1])
    headers = {}
    while (line := reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    assert headers.get("transfer-encoding") == "chunked", headers
    chunks = []
    while True:
        size = int(reader.readline().strip(), 16)
        if size == 0:
            assert reader.readline() == b"\r\n"
            return status, headers, chunks
        chunks.append(reader.read(size))
        assert reader.readline() == b"\r\n"


@pytest.fixture(scope="module")
def many(server, tmp_path_factory):
    """1,200 contacts (more than two of the export's batches), imported in order."""
    tenant = server.tenant()
    rows = [{"contact_type": "sponsor", "company_name": f"Stream Co {i % 7}",
             "last_name": f"S{i:04d}", "email": f"s{i:04d}@example.com",
             "tags": ["bulk"] if i % 3 else ["bulk", "third"], "is_connected": i % 2 == 0}
            for i in range(1200)]
    path = tmp_path_factory.mktemp("many") / "many.ndjson"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    import_file(server, tenant.account["id"], path)
    return tenant


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_many_contacts_stream_complete_and_in_id_order(many, fmt):
    r = export(many.viewer, fmt)
    emails = column(fmt, r.content, "email")
    assert emails == [f"s{i:04d}@example.com" for i in range(1200)]
    assert emails == [c["email"] for c in every_contact(many.admin)]
    # Filtered across batches: every third contact, still in order.
    third = column(fmt, export(many.viewer, fmt, [("tags", "third")]).content, "email")
    assert third == [f"s{i:04d}@example.com" for i in range(0, 1200, 3)]
    connected = column(fmt, export(many.viewer, fmt, [("is_connected", "true")]).content, "email")
    assert connected == [f"s{i:04d}@example.com" for i in range(0, 1200, 2)]


def test_the_body_is_sent_in_chunks_on_a_connection_that_stays_open(server, many):
    token = many.viewer.token
    target = "/api/external/v2/contacts/export?format=ndjson"
    whole = export(many.viewer, "ndjson").content
    with connect(server.port, timeout=30) as sock:
        reader = sock.makefile("rb")
        send(sock, raw_request("GET", server, token, target))
        status, headers, chunks = read_chunks(reader)
        assert status == 200 and "content-length" not in headers
        assert len(chunks) >= 2 and all(chunks)  # pieces, none empty
        assert b"".join(chunks) == whole
        # HEAD: the headers only; the connection then serves another export.
        send(sock, raw_request("HEAD", server, token, target))
        head = read_response(reader, head=True)
        assert head.status == 200 and head.header("Content-Type") == "application/x-ndjson"
        assert head.body == b""
        send(sock, raw_request("GET", server, token, target.replace("ndjson", "csv")))
        again = read_response(reader)
        assert again.status == 200
        assert again.body == export(many.viewer, "csv").content


def test_an_http_1_0_client_gets_the_body_until_the_connection_closes(server, many):
    """HTTP/1.0 has no chunked coding (RFC 9112 §7.1): the body ends where the connection does."""
    target = "/api/external/v2/contacts/export?format=csv"
    whole = export(many.viewer, "csv").content
    with connect(server.port, timeout=30) as sock:
        send(sock, (f"GET {target} HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                    f"Authorization: Bearer {many.viewer.token}\r\n\r\n").encode())
        status, head, body = split_head(read_to_eof(sock))
    assert status == 200
    headers = head.decode("latin-1").lower()
    assert "transfer-encoding" not in headers and "content-length" not in headers
    assert "connection: close" in headers
    assert body == whole


# --- memory ------------------------------------------------------------------------------------

def rss(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_a_shutdown_cuts_an_export_the_client_is_not_reading(tmp_path):
    """A stream could outlast any grace period: on SIGTERM it ends before its final chunk, and the
    server exits cleanly (not by the grace period's exit code 1)."""
    db = tmp_path / "cut.db"
    subprocess.run([BIN, "accounts", "create", "--name", "Cut", "--create-db", "--db", str(db)],
                   check=True, capture_output=True)
    path = tmp_path / "cut.ndjson"
    with path.open("w") as out:
        for i in range(8000):  # about 16 MB exported: more than the sockets' buffers hold
            out.write(json.dumps({"last_name": f"C{i:05d}", "notes": f"{i} " + "x" * 1900})
                      + "\n")
    port = free_port()
    proc = start_server(db, port, args=["--shutdown-grace", "5"])
    try:
        server = Server(db, port, proc)
        import_file(server, 1, path)
        token = server.token(1, "viewer")
        with connect(port, timeout=30) as sock:
            send(sock, raw_request("GET", server, token,
                                   "/api/external/v2/contacts/export?format=ndjson"))
            first = sock.recv(65536)
            assert first.startswith(b"HTTP/1.1 200") and b"chunked" in first.lower()
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=60) == 0
            body = first + read_to_eof(sock)
        assert not body.endswith(b"0\r\n\r\n")
        assert len(body) < 8000 * 1900
    finally:
        if proc.poll() is None:
            proc.kill()


# Under `make test-asan` the sanitizer keeps freed memory in quarantine (256 MB by default), so the
# process's RSS measures that rather than what the export holds; the plain run measures it.
@pytest.mark.skipif("ASAN_OPTIONS" in os.environ,
                    reason="ASan's quarantine keeps freed memory: RSS does not measure the export")
def test_memory_stays_flat_however_large_the_export(tmp_path):
    """40,000 contacts (an export of more than 30 MB) stream through a server whose memory grows
    by far less than the export. A smaller export first fills what a server keeps whatever an
    export's size (a page cache per connection, an allocator arena per read thread), so that the
    growth measured is what depends on the size."""
    db = tmp_path / "mem.db"
    subprocess.run([BIN, "accounts", "create", "--name", "Mem", "--create-db", "--db", str(db)],
                   check=True, capture_output=True)
    port = free_port()
    proc = start_server(db, port)
    try:
        server = Server(db, port, proc)
        client = Client(server, server.token(1, "viewer"))
        words = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike "
                 "november oscar papa quebec romeo sierra tango").split()
        path = tmp_path / "mem.ndjson"
        with path.open("w") as out:
            for i in range(40000):
                notes = " ".join(words[(i * 7 + k * 3) % len(words)] for k in range(200))
                out.write(json.dumps({"contact_type": "sponsor", "company_name": f"Co {i % 50}",
                                      "first_name": "Mem", "last_name": f"M{i:05d}",
                                      "email": f"m{i:05d}@example.com", "notes": notes,
                                      "tags": ["bulk"], "is_connected": i % 4 == 0}) + "\n")
        import_file(server, 1, path)

        def stream(params):
            """Bytes and lines of a streamed export, and the server's peak RSS meanwhile."""
            r = client.get(EXPORT, params=params, stream=True)
            assert r.status_code == 200, r.text
            assert r.headers["Transfer-Encoding"] == "chunked"
            size, lines, peak, next_sample = 0, 0, rss(proc.pid), 0
            for piece in r.iter_content(1 << 16):
                size += len(piece)
                lines += piece.count(b"\n")
                if size >= next_sample:
                    peak = max(peak, rss(proc.pid))
                    next_sample = size + (1 << 20)
            return size, lines, max(peak, rss(proc.pid))

        for fmt in ("ndjson", "csv", "ndjson", "csv"):
            warm_size, warm_lines, _ = stream({"format": fmt, "is_connected": "true"})
            assert warm_lines == 10000 + (fmt == "csv")
        for fmt in ("ndjson", "csv"):
            before = rss(proc.pid)
            size, lines, peak = stream({"format": fmt})
            assert size >= 30_000_000 and size > 3.5 * warm_size
            assert lines == 40000 + (fmt == "csv")
            assert peak - before < size / 3, (fmt, before, peak, size)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0


"""`contactd import`: NDJSON and CSV through the API's validation, invalid rows reported."""
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BIN, ROOT


def run_import(server, account_id, path, *extra):
    return subprocess.run([BIN, "import", "--account", str(account_id), "--file", str(path),
                           "--db", str(server.db), *extra], capture_output=True, text=True,
                          timeout=120)


def test_ndjson_import_validates_rows_and_reports_bad_ones(server, tmp_path):
    tenant = server.tenant()
    existing = tenant.admin.company("Existing Co")
    lines = [
        {"contact_type": "lender_contact", "company_id": existing["id"], "last_name": "One",
         "is_connected": True, "phones": [{"raw": "(212) 555-0184", "type": "office"}]},
        {"contact_type": "sponsor", "company_name": "New Co", "last_name": "Two", "is_connected": True,
         "created_at": "2022-05-01T10:00:00Z"},
        {"contact_type": "sponsor", "company_name": "new co", "last_name": "Three", "is_connected": True},
        {"contact_type": "sponsor", "company_name": "New Co", "email": "bad"},
        {"contact_type": "sponsor", "company_id": 999999},
        {"company_name": "X", "phones": [{"raw": "12"}]},
    ]
    path = tmp_path / "in.ndjson"
    path.write_text("\n".join(json.dumps(l) for l in lines[:3]) + "\n\n" +
                    "\n".join(json.dumps(l) for l in lines[3:]) + "\nnot json\n")
    result = run_import(server, tenant.account["id"], path)
    assert result.returncode == 1
    # Blank line 4 is skipped: bad rows are lines 5, 6, 7 and 8.
    assert "line 5: email must be a valid email address" in result.stderr
    assert "line 6: company_id must be the id of a company" in result.stderr
    # A row may have no type (contacts of the other surfaces have none); its phone is bad.
    assert "line 7: " in result.stderr and "contact_type" not in result.stderr
    assert "phones[0].raw" in result.stderr
    assert "line 8: Request body is not valid JSON" in result.stderr
    assert "imported 3 contacts (1 companies created)" in result.stderr

    listed = tenant.admin.get("/contacts", params={"sort": "last_name"}).json()["data"]
    assert [c["last_name"] for c in listed] == ["One", "Three", "Two"]
    one, three, two = listed
    assert one["phones"][0]["e164"] == "+12125550184" and one["company_id"] == existing["id"]
    assert two["company_id"] == three["company_id"] != existing["id"]
    assert two["created_at"] == "2022-05-01T10:00:00Z"
    companies = tenant.admin.get("/companies").json()["data"]
    assert sorted(c["name"] for c in companies) == ["Existing Co", "New Co"]


def test_import_finds_companies_by_name_as_the_api_does(server, tmp_path):
    """Names compare case-insensitively over all of Unicode (Straße is STRASSE), as
    /compat/liondesk's company does; an existing company is found, not made again."""
    tenant = server.tenant()
    existing = tenant.admin.company("Ölberg Partners")
    rows = [{"contact_type": "sponsor", "company_name": name, "last_name": f"N{i}"}
            for i, name in enumerate(["Straße GmbH", "STRASSE GMBH", "ÖLBERG PARTNERS"])]
    path = tmp_path / "in.ndjson"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result = run_import(server, tenant.account["id"], path)
    assert result.returncode == 0, result.stderr
    assert "imported 3 contacts (1 companies created)" in result.stderr
    listed = tenant.admin.get("/contacts", params={"sort": "last_name", "is_connected": "all"})
    ids = [c["company_id"] for c in listed.json()["data"]]
    assert ids[0] == ids[1] != existing["id"] and ids[2] == existing["id"]


def test_csv_import_uses_field_names_as_columns(server, tmp_path):
    tenant = server.tenant()
    path = tmp_path / "in.csv"
    path.write_text(
        "contact_type,company_name,first_name,last_name,phones,is_connected,contact_types\n"
        "lender_contact,Meridian,Sarah,\"Chen, Jr.\",(212) 555-0184:office;+44 20 7946 0958,true,\n"
        ",Meridian,Bill,Gates,,true,sponsor;lender_contact\n"
        "lender_contact,Meridian,Bad,Phone,12:fax,true,\n"
        "lender_contact,Meridian,Too,Few\n")
    result = run_import(server, tenant.account["id"], path)
    assert result.returncode == 1, result.stderr
    assert "line 4: phones[0].raw" in result.stderr
    assert "line 5: has 4 fields, the header has 7" in result.stderr
    listed = tenant.admin.get("/contacts", params={"sort": "first_name"}).json()["data"]
    assert [c["first_name"] for c in listed] == ["Bill", "Sarah"]
    bill, sarah = listed
    assert sarah["last_name"] == "Chen, Jr."
    assert [(p["e164"], p["type"]) for p in sarah["phones"]] == [
        ("+12125550184", "office"), ("+442079460958", "mobile")]
    assert bill["contact_types"] == ["sponsor", "lender_contact"]


def test_import_into_unknown_account_fails(server, tmp_path):
    path = tmp_path / "in.ndjson"
    path.write_text("{}\n")
    result = run_import(server, 987654, path)
    assert result.returncode != 0 and "does not exist" in result.stderr


def test_bench_gen_output_imports_cleanly(server, tmp_path):
    out = tmp_path / "gen"
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen"), "--out", str(out), "--rows", "2000",
                    "--small-accounts", "1", "--small-rows", "50", "--companies", "40"],
                   check=True, timeout=120)
    tenant = server.tenant()
    # The custom fields the rows use, as bench/run defines them.
    for definition in json.loads((out / "custom_fields.json").read_text()):
        assert tenant.admin.post("/custom-fields", definition).status_code == 201
    result = run_import(server, tenant.account["id"], out / "big.ndjson")
    assert result.returncode == 0, result.stderr
    assert "imported 2000 contacts" in result.stderr and "0 rows failed" in result.stderr
    total = tenant.admin.get("/contacts", params={"is_connected": "all"}).json()["pagination"]["total"]
    assert total == 2000
    industry = tenant.admin.get("/contacts", params={"is_connected": "all",
                                                      "custom_fields.industry": "office"})
    assert 0 < industry.json()["pagination"]["total"] < 2000
    again = run_import(server, tenant.account["id"], out / "small-00.ndjson")
    assert again.returncode == 0, again.stderr


def test_bench_gen_is_deterministic(tmp_path):
    for name in ("a", "b"):
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen"), "--out", str(tmp_path / name),
                        "--rows", "300", "--small-accounts", "0", "--seed", "7"], check=True, timeout=60)
    assert (tmp_path / "a" / "big.ndjson").read_bytes() == (tmp_path / "b" / "big.ndjson").read_bytes()


def contact_indexes(db):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return sorted(conn.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'index' "
                                   "AND tbl_name = 'contacts'").fetchall())


@pytest.mark.parametrize("mode", ["rebuild", "keep"])
def test_import_modes_keep_every_index_and_row_while_a_server_runs(server, tmp_path, mode):
    tenant = server.tenant()
    company = tenant.admin.company("Mode Co")
    before = contact_indexes(server.db)
    assert len(before) > 10
    rows = [{"contact_type": "sponsor", "company_id": company["id"], "last_name": f"Mode{i % 7}",
             "state": "NY" if i % 2 else "CA", "is_connected": True,
             "phones": [{"raw": f"(212) 555-{1000 + i:04d}"}]} for i in range(700)]
    path = tmp_path / "in.ndjson"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = run_import(server, tenant.account["id"], path, "--indexes", mode)
    assert result.returncode == 0, result.stderr
    assert ("building the contact indexes" in result.stderr) == (mode == "rebuild")
    assert contact_indexes(server.db) == before
    # Filters and totals (served by the indexes) see every imported row.
    page = tenant.admin.get("/contacts", params={"last_name": "mode3", "state": "NY"}).json()
    expected = [r for r in rows if r["last_name"] == "Mode3" and r["state"] == "NY"]
    assert page["pagination"]["total"] == len(expected)
    assert tenant.admin.get("/contacts").json()["pagination"]["total"] == 700


def test_auto_mode_rebuilds_indexes_only_when_the_load_outweighs_the_table(tmp_path):
    db = tmp_path / "auto.db"
    subprocess.run([BIN, "accounts", "create", "--name", "A", "--create-db", "--db", str(db)], check=True,
                   capture_output=True)
    company = {"contact_type": "sponsor", "company_name": "Auto Co"}
    big, small = tmp_path / "big.ndjson", tmp_path / "small.ndjson"
    big.write_text("".join(json.dumps({**company, "last_name": f"B{i}"}) + "\n" for i in range(300)))
    small.write_text("".join(json.dumps({**company, "last_name": f"S{i}"}) + "\n" for i in range(20)))
    run = lambda path: subprocess.run([BIN, "import", "--account", "1", "--file", str(path),  # noqa: E731
                                       "--db", str(db)], capture_output=True, text=True, timeout=60)
    first = run(big)  # into an empty table: rebuild
    assert first.returncode == 0 and "building the contact indexes" in first.stderr
    second = run(small)  # 20 rows next to 300: keep
    assert second.returncode == 0 and "building the contact indexes" not in second.stderr
    assert "imported 20 contacts" in second.stderr


def test_import_rejects_an_unknown_index_mode(server, tmp_path):
    path = tmp_path / "in.ndjson"
    path.write_text("{}\n")
    result = run_import(server, 1, path, "--indexes", "sometimes")
    assert result.returncode != 0 and "--indexes" in result.stderr


def test_csv_import_carries_the_union_fields(server, tmp_path):
    tenant = server.tenant()
    path = tmp_path / "union.csv"
    path.write_text(
        "contact_type,company_name,first_name,tags,status,dnd,birthday,country\n"
        "sponsor,Acme,Ann,vip; Lead ;vip,archived,true,10/28/1955,gb\n")
    result = run_import(server, tenant.account["id"], path)
    assert result.returncode == 0, result.stderr
    ann = tenant.admin.get("/contacts", params={"is_connected": "all"}).json()["data"][0]
    assert ann["tags"] == ["vip", "Lead"] and ann["status"] == "archived" and ann["dnd"] is True
    assert ann["birthday"] == "1955-10-28" and ann["country"] == "GB"
    assert tenant.admin.get("/contacts", params={"is_connected": "all", "tags": "lead"}).json()[
        "pagination"]["total"] == 1


def test_import_carries_custom_fields_spouses_and_the_account_country(server, tmp_path):
    tenant = server.tenant()
    admin = tenant.admin
    for key, data_type, extra in (("score", "number", {}), ("vip", "boolean", {}),
                                  ("markets", "multi_select", {"options": ["NY", "LA"]}),
                                  ("industry", "text", {})):
        r = admin.post("/custom-fields", {"key": key, "name": key, "data_type": data_type,
                                          **extra})
        assert r.status_code == 201, r.text
    assert admin.patch("/settings", {"default_country": "GB"}).status_code == 200
    path = tmp_path / "custom.csv"
    path.write_text(
        "contact_type,company_name,first_name,custom_fields.score,custom_fields.vip,"
        "custom_fields.markets,custom_fields.industry,spouse.name,phones\n"
        "sponsor,Acme,Ann,2.5,true,NY;LA,Retail,Bob,020 7946 0958\n"
        "sponsor,Acme,Bad,high,,,,,\n"
        "sponsor,Acme,Worse,,,,,,\n")
    result = run_import(server, tenant.account["id"], path)
    assert result.returncode == 1, result.stderr
    assert "line 3: custom_fields.score must be a number" in result.stderr
    listed = admin.get("/contacts", params={"is_connected": "all", "sort": "first_name"}).json()
    ann, worse = listed["data"]
    assert ann["custom_fields"] == {"score": 2.5, "vip": True, "markets": ["NY", "LA"],
                                    "industry": "Retail"}
    assert ann["spouse"]["name"] == "Bob" and ann["phones"][0]["e164"] == "+442079460958"
    assert worse["custom_fields"] == {}
    # Imported values are indexed like written ones.
    r = admin.get("/contacts", params={"is_connected": "all", "custom_fields.markets": "la",
                                       "custom_fields.score[$gt]": "2"})
    assert [c["id"] for c in r.json()["data"]] == [ann["id"]]
    # NDJSON rows with a key the account has not defined are refused, naming it.
    path = tmp_path / "custom.ndjson"
    path.write_text('{"contact_type":"sponsor","company_name":"Acme","custom_fields":'
                    '{"nope":1}}\n')
    result = run_import(server, tenant.account["id"], path)
    assert result.returncode == 1 and "custom_fields.nope" in result.stderr, result.stderr


def test_import_links_sources_and_hotness_levels(server, tmp_path):
    tenant = server.tenant()
    source = tenant.admin.post("/sources", {"name": "Zillow"}).json()["data"]
    level = tenant.admin.post("/hotness-levels", {"name": "Hot", "rank": 3}).json()["data"]
    path = tmp_path / "lists.csv"
    path.write_text("contact_type,company_name,first_name,source_id,hotness_id,source\n"
                    f"sponsor,Acme,Ann,{source['id']},{level['id']},\n"
                    "sponsor,Acme,Bob,,,zillow\n"
                    "sponsor,Acme,Cat,999999,,\n")
    result = run_import(server, tenant.account["id"], path)
    assert result.returncode == 1 and "source_id must be the id of a source" in result.stderr, \
        result.stderr
    listed = tenant.admin.get("/contacts", params={"is_connected": "all",
                                                    "sort": "first_name"}).json()["data"]
    assert [(c["first_name"], c["source"], c["source_id"]) for c in listed] == [
        ("Ann", "Zillow", source["id"]), ("Bob", "zillow", source["id"])]
    assert listed[0]["hotness"]["name"] == "Hot"


def test_import_sets_managers_and_reports_a_missing_one_by_line(server, tmp_path):
    tenant = server.tenant()
    company = tenant.admin.company()
    boss = tenant.admin.contact(company["id"], first_name="Boss")
    theirs = server.tenant()
    foreign = theirs.admin.contact(theirs.admin.company()["id"])
    path = tmp_path / "managers.csv"
    path.write_text("contact_type,company_name,first_name,reports_to\n"
                    f"sponsor,Acme,Ann,{boss['id']}\n"
                    "sponsor,Acme,Bob,999999\n"
                    f"sponsor,Acme,Cat,{foreign['id']}\n"
                    "sponsor,Acme,Dan,\n")
    result = run_import(server, tenant.account["id"], path)
    assert result.returncode == 1, result.stderr
    assert "line 3: reports_to must be the id of a contact" in result.stderr
    assert "line 4: reports_to must be the id of a contact" in result.stderr
    listed = tenant.admin.get("/contacts", params={"is_connected": "all", "sort": "first_name"}
                              ).json()["data"]
    assert [(x["first_name"], x["reports_to"]) for x in listed] == [
        ("Ann", boss["id"]), ("Boss", None), ("Dan", None)]


def test_import_sets_owners_and_assignees_of_the_account_only(server, tmp_path):
    tenant = server.tenant()
    ann = tenant.admin.post("/users", {"role": "editor", "visibility": "own"}).json()["data"]
    stranger = server.tenant().admin.get("/me").json()["data"]
    path = tmp_path / "people.csv"
    path.write_text("contact_type,company_name,first_name,owner_user_id,assigned_user_id\n"
                    f"sponsor,Acme,Ann,{ann['id']},\n"
                    f"sponsor,Acme,Bob,,{ann['id']}\n"
                    f"sponsor,Acme,Cat,,{stranger['id']}\n"
                    f"sponsor,Acme,Dan,999999,\n"
                    "sponsor,Acme,Eve,,\n")
    result = run_import(server, tenant.account["id"], path)
    assert result.returncode == 1, result.stderr
    assert "line 4: assigned_user_id must be the id of a user of this account" in result.stderr
    assert "line 5: owner_user_id must be the id of a user of this account" in result.stderr
    listed = tenant.admin.get("/contacts", params={"is_connected": "all", "sort": "first_name"}
                              ).json()["data"]
    assert [(x["first_name"], x["owner_user_id"], x["assigned_user_id"]) for x in listed] == [
        ("Ann", ann["id"], None), ("Bob", None, ann["id"]), ("Eve", None, None)]

"""`contactd import`: NDJSON and CSV through the API's validation, invalid rows reported."""
import json
import subprocess
import sys
from pathlib import Path

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
    assert "line 7: " in result.stderr and "contact_type is required" in result.stderr
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
    result = run_import(server, tenant.account["id"], out / "big.ndjson")
    assert result.returncode == 0, result.stderr
    assert "imported 2000 contacts" in result.stderr and "0 rows failed" in result.stderr
    total = tenant.admin.get("/contacts", params={"is_connected": "all"}).json()["pagination"]["total"]
    assert total == 2000
    again = run_import(server, tenant.account["id"], out / "small-00.ndjson")
    assert again.returncode == 0, again.stderr


def test_bench_gen_is_deterministic(tmp_path):
    for name in ("a", "b"):
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen"), "--out", str(tmp_path / name),
                        "--rows", "300", "--small-accounts", "0", "--seed", "7"], check=True, timeout=60)
    assert (tmp_path / "a" / "big.ndjson").read_bytes() == (tmp_path / "b" / "big.ndjson").read_bytes()

"""The command line: admin commands never create a database by accident; import checks dates."""
import json
import subprocess

import pytest

from conftest import BIN


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("command", [
    ["tokens", "create", "--account", "1", "--role", "admin"],
    ["import", "--account", "1", "--file", "{file}"],
    ["accounts", "create", "--name", "X"],
    ["users", "create", "--account", "1", "--role", "editor"],
    ["users", "list", "--account", "1"],
    ["tokens", "list", "--user", "1"],
    ["tokens", "revoke", "1"],
], ids=["tokens-create", "import", "accounts-create", "users-create", "users-list", "tokens-list",
        "tokens-revoke"])
def test_admin_commands_on_a_missing_database_fail_and_create_nothing(tmp_path, command):
    source = tmp_path / "rows.ndjson"
    source.write_text(json.dumps({"contact_type": "sponsor", "company_name": "Nowhere Co"}) + "\n")
    missing = tmp_path / "missing.db"
    result = run(*[part.replace("{file}", str(source)) for part in command], "--db", str(missing))
    assert result.returncode != 0, result.stdout + result.stderr
    assert str(missing) in result.stderr, result.stderr
    assert "cdt_" not in result.stdout
    assert not missing.exists()
    assert not (tmp_path / "missing.db-wal").exists()


def test_accounts_create_with_create_db_makes_a_new_database(tmp_path):
    db = tmp_path / "new.db"
    result = run("accounts", "create", "--name", "X", "--create-db", "--db", str(db))
    assert result.returncode == 0, result.stderr
    account = json.loads(result.stdout)
    assert account["name"] == "X" and account["id"] > 0
    assert db.exists()
    # The new database is a working one: a token for that account can be made on it.
    token = run("tokens", "create", "--account", str(account["id"]), "--role", "viewer", "--db", str(db))
    assert token.returncode == 0, token.stderr
    assert token.stdout.strip().startswith("cdt_")


def test_import_rejects_creation_times_in_the_future_or_before_1970(server, tmp_path):
    tenant = server.tenant()
    rows = [
        {"contact_type": "sponsor", "company_name": "Time Co", "last_name": "Future",
         "is_connected": True, "created_at": "2999-01-01T00:00:00Z"},
        {"contact_type": "sponsor", "company_name": "Time Co", "last_name": "Valid",
         "is_connected": True, "created_at": "2021-03-04T05:06:07Z"},
        {"contact_type": "sponsor", "company_name": "Time Co", "last_name": "Past",
         "is_connected": True, "created_at": "1969-12-31T23:59:59Z"},
    ]
    path = tmp_path / "times.ndjson"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result = subprocess.run([BIN, "import", "--account", str(tenant.account["id"]), "--file",
                             str(path), "--db", str(server.db)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    for number in (1, 3):
        named = [l for l in lines if f"line {number}:" in l]
        assert named and "created_at" in named[0], result.stderr
    assert not any("line 2:" in l for l in lines), result.stderr
    listed = tenant.admin.get("/contacts", params={"is_connected": "all"}).json()["data"]
    assert [(c["last_name"], c["created_at"]) for c in listed] == [("Valid", "2021-03-04T05:06:07Z")]

"""The indexes serve the list shapes of the API without sorting or reading rows of other accounts.

Each query is the shape the SQLite store runs (see store/sqlite); a plan that needs a temporary
B-tree for ORDER BY sorts every matching row of the account before it can return the first page.
"""
import sqlite3
import subprocess

import pytest

from conftest import BIN


@pytest.fixture(scope="module")
def schema_db(tmp_path_factory):
    """A fresh database of the current schema: plans without statistics gathered from whatever
    other tests wrote (PRAGMA optimize would make them depend on the suite's order)."""
    db = tmp_path_factory.mktemp("plans") / "plans.db"
    subprocess.run([BIN, "accounts", "create", "--name", "Plans", "--create-db", "--db", str(db)],
                   check=True, capture_output=True)
    return db


def plan(db, sql):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql))


@pytest.mark.parametrize("where", ["account_id = 1 AND is_connected IN (1, 1)",
                                   "account_id = 1 AND is_connected = 1",
                                   "account_id = 1"])
def test_id_ordered_pages_need_no_sort(schema_db, where):
    text = plan(schema_db, f"SELECT id FROM contacts WHERE {where} AND id > 5 ORDER BY id LIMIT 51")
    assert "TEMP B-TREE" not in text and "USING" in text, text


@pytest.mark.parametrize("field", ["last_name_key", "state_key", "created_at", "email_key",
                                   "city_key", "contact_type_mask", "full_name_key", "status",
                                   "preferred_contact_method"])
def test_filtered_totals_count_index_entries_only(schema_db, field):
    text = plan(schema_db, f"SELECT count(*) FROM contacts WHERE account_id = 1 AND "
                           f"is_connected = 1 AND {field} = 'x'")
    assert "COVERING INDEX" in text, text


def test_contact_type_sets_are_served_by_the_mask_index(schema_db):
    text = plan(schema_db, "SELECT count(*) FROM contacts WHERE account_id = 1 AND "
                           "is_connected = 1 AND contact_type_mask IN (2, 3)")
    assert "COVERING INDEX contacts_connected_contact_type_mask" in text, text


@pytest.mark.parametrize("key", ["last_name_key", "full_name_key"])
def test_sorted_pages_walk_an_index(schema_db, key):
    text = plan(schema_db, "SELECT id FROM contacts WHERE account_id = 1 AND is_connected = 1 "
                           f"ORDER BY {key}, id LIMIT 50 OFFSET 10000")
    assert "TEMP B-TREE" not in text, text


@pytest.mark.parametrize("key", ["full_name_key", "created_at", "updated_at"])
def test_sorted_pages_of_every_contact_merge_two_index_walks(schema_db, key):
    """is_connected=all (every /api/v1 list): the connected and unconnected halves, each in its
    index's order, merged; no sort of the account's contacts."""
    half = (f"SELECT {key} AS k0, id AS k1, id AS page_id FROM contacts WHERE account_id = 1 "
            "AND is_connected = {}")
    text = plan(schema_db, f"SELECT page_id FROM ({half.format(0)} UNION ALL {half.format(1)} "
                           "ORDER BY k0 DESC, k1 DESC LIMIT 20 OFFSET 20000)")
    assert "MERGE" in text and "TEMP B-TREE" not in text, text


@pytest.mark.parametrize("select", ["SELECT id", "SELECT count(*)"])
def test_tag_filters_look_up_their_match(schema_db, select):
    # The page and the total walk the tagged ids (rowid=?), not the account's contacts.
    text = plan(schema_db, f"{select} FROM contacts WHERE account_id = 1 AND is_connected = 1 AND "
                           "id IN (SELECT contact_id FROM contact_tags WHERE account_id = 1 AND "
                           "tag_key = 'vip') ORDER BY 1 LIMIT 51")
    assert "rowid=?" in text and "contact_tags USING PRIMARY KEY" in text, text


@pytest.mark.parametrize("select", ["SELECT id", "SELECT count(*)"])
def test_searches_look_up_their_match(schema_db, select):
    text = plan(schema_db, f"{select} FROM contacts WHERE account_id = 1 AND is_connected = 1 AND "
                           "id IN (SELECT contact_id FROM contact_words WHERE account_id = 1 AND "
                           "word >= 'jo' AND word < 'jp') ORDER BY 1 LIMIT 51")
    assert "rowid=?" in text and "contact_words USING PRIMARY KEY" in text, text



@pytest.mark.parametrize("condition", ["value IN ('gold')", "value > 2.5"])
@pytest.mark.parametrize("select", ["SELECT id", "SELECT count(*)"])
def test_custom_field_filters_look_up_their_match(schema_db, select, condition):
    text = plan(schema_db, f"{select} FROM contacts WHERE account_id = 1 AND is_connected = 1 AND "
                           "id IN (SELECT contact_id FROM contact_field_values WHERE "
                           f"account_id = 1 AND field_id = 3 AND {condition}) ORDER BY 1 LIMIT 51")
    assert "rowid=?" in text and "contact_field_values USING PRIMARY KEY" in text, text


@pytest.mark.parametrize("column", ["source_id", "hotness_id", "reports_to"])
def test_list_links_are_served_by_their_partial_indexes(schema_db, column):
    text = plan(schema_db, f"SELECT count(*) FROM contacts WHERE account_id = 1 AND "
                           f"is_connected = 1 AND {column} = 3")
    assert f"contacts_{column}" in text, text


def test_reporting_links_walk_the_partial_index_in_order(schema_db):
    text = plan(schema_db, "SELECT reports_to, id FROM contacts WHERE account_id = 1 AND "
                           "reports_to IS NOT NULL ORDER BY reports_to, id LIMIT 10001")
    assert "contacts_reports_to" in text and "TEMP B-TREE" not in text, text


VISIBLE_FROM = ("(SELECT id AS vid FROM contacts WHERE account_id = 1 AND owner_user_id = 5 "
                "UNION SELECT id FROM contacts WHERE account_id = 1 AND assigned_user_id = 5 "
                "UNION SELECT contact_id FROM contact_shares WHERE user_id = 5) AS visible "
                "CROSS JOIN contacts ON contacts.id = visible.vid")


@pytest.mark.parametrize("tail", [
    "SELECT id FROM {} WHERE account_id = 1 AND is_connected = 1 ORDER BY id LIMIT 51",
    "SELECT id FROM {} WHERE account_id = 1 AND is_connected = 1 ORDER BY last_name_key, id "
    "LIMIT 51 OFFSET 100",
    "SELECT count(*) FROM {} WHERE account_id = 1 AND is_connected IN (0, 1) AND "
    "last_name_key = 'x'",
    "SELECT id FROM {} WHERE account_id = 1 AND id IN (SELECT contact_id FROM contact_tags "
    "WHERE account_id = 1 AND tag_key = 'vip') ORDER BY id LIMIT 51"])
def test_restricted_lists_start_from_what_the_user_sees(schema_db, tail):
    # An `own` user's list reads its owned, assigned and shared ids by index, then their rows by
    # id: it costs what the user sees, whatever the account holds and the list asks.
    text = plan(schema_db, tail.format(VISIBLE_FROM))
    for index in ("contacts_owner", "contacts_assigned", "contact_shares_user"):
        assert f"COVERING INDEX {index}" in text, text
    after = text.split("SCAN visible | ", 1)[1]
    assert after.startswith("SEARCH contacts USING") and "rowid=?)" in after, text
    assert "SCAN contacts" not in text, text
